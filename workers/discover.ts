/**
 * The `discover` queue's processor, run by BullMQ in its sandbox: read a portal's listing pages
 * and enqueue a fetch for every report (and, for the scheduler's fan-out job, one discover job
 * per portal). Parsing pages of the open web happens here, away from the worker's event loop.
 */
import { discoverProcessor } from '../src/queue/processors.js';
import { sandboxed } from '../src/queue/sandbox.js';

export default sandboxed(discoverProcessor);
