/** bin/nianbao.js for the sources (run with `node --import tsx`), so the CLI test needs no build. */
import { main } from '../../src/cli.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
