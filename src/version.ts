/** Version of the extractor, stored beside every record so re-extraction can be targeted. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

// Read, not imported: an imported package.json would be copied into dist/ and found there first.
export const VERSION: string = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
export const EXTRACTOR_VERSION = `nianbao/${VERSION}`;
