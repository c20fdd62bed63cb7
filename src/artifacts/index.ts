/** Content-addressed raw bytes: `openArtifacts({ dir })` → put / get / has by SHA-256. */
export { type ArtifactStore, type ArtifactStoreOptions, DEFAULT_ARTIFACT_MAX_BYTES, openArtifacts } from './store.js';
export { artifactPath, isSha256 } from './paths.js';
export { ArtifactCorruptError, ArtifactError, ArtifactTooLargeError, InvalidArtifactKeyError } from './errors.js';
