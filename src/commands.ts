/**
 * Side-effect module: each import registers its commands with the CLI (see registerCommands).
 * Commands beyond `extract` and `schema` live in their own modules.
 */
import './commands/export.js';
export {};
