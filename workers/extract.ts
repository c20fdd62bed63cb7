/**
 * The `extract` queue's processor, run by BullMQ in its sandbox: extract the record of one stored
 * artifact. CPU-heavy (pdf.js, LibreOffice), so it never runs on the worker's own event loop.
 */
import { extractProcessor } from '../src/queue/processors.js';
import { sandboxed } from '../src/queue/sandbox.js';
import { withExtractHold } from '../src/queue/test-hooks.js';

// withExtractHold is the identity unless a test sets NIANBAO_TEST_EXTRACT_HOLD_MS.
export default sandboxed(withExtractHold(extractProcessor));
