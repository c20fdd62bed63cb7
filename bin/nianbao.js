#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` / `npm run build` (the `prepare` script).
// `extract` starts its first parse thread before the CLI's modules load, so that the thread's own
// start runs alongside them (dist/src/pool/start.js).
import { startEarly } from '../dist/src/pool/start.js';

startEarly(process.argv);
const { main } = await import('../dist/src/cli.js');

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err?.stack ?? String(err)); process.exitCode = 1; },
);
