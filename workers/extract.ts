/**
 * The `extract` queue's processor, run by BullMQ in its sandbox: extract the record of one stored
 * artifact. CPU-heavy (pdf.js, LibreOffice), so it never runs on the worker's own event loop.
 */
import { extractProcessor } from '../src/queue/processors.js';
import { sandboxed } from '../src/queue/sandbox.js';

export default sandboxed(extractProcessor);
