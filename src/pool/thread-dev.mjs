// The parse pool's thread when nianbao runs from its TypeScript sources (vitest, tsx): load
// thread.ts through tsx's own loader. Node 20's worker threads do not inherit the loader hooks of
// the thread that started them (and `--import tsx` in a worker's execArgv does not apply them to
// dynamic imports), so tsx is asked directly. Never used from dist/, where thread.js is plain JS.
import { tsImport } from 'tsx/esm/api';

const mod = await tsImport('./thread.ts', import.meta.url);
export default mod.default;
