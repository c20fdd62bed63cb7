/** Version of the extractor, stored beside every record so re-extraction can be targeted. */
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
export const EXTRACTOR_VERSION = `nianbao/${VERSION}`;
