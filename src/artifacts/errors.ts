/** Failures of the artifact store, one class each, with the record issue code they map to. */

export class ArtifactError extends Error {
  override name = 'ArtifactError';
}

/** put() was given more bytes than the store accepts (maps to the record issue `too_large`). */
export class ArtifactTooLargeError extends ArtifactError {
  override name = 'ArtifactTooLargeError';
  readonly code = 'too_large' as const;
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`Artifact of ${bytes} bytes exceeds the limit of ${maxBytes} bytes.`);
  }
}

/** A key that is not a lowercase hex SHA-256: refused before it can name a path. */
export class InvalidArtifactKeyError extends ArtifactError {
  override name = 'InvalidArtifactKeyError';
  constructor(readonly key: string) {
    super(`Not a SHA-256 artifact key: ${JSON.stringify(key.slice(0, 80))}`);
  }
}

/** The bytes on disk no longer hash to their key (disk damage or a hand edit). */
export class ArtifactCorruptError extends ArtifactError {
  override name = 'ArtifactCorruptError';
  constructor(
    readonly key: string,
    readonly actual: string,
  ) {
    super(`Artifact ${key} is damaged: its bytes hash to ${actual}.`);
  }
}
