/**
 * The `fetch` queue's processor, run by BullMQ in its sandbox when the worker is started with
 * `--fetch-sandbox process|thread` (by default fetch runs inline: see src/queue/worker.ts): fetch
 * one document, store its bytes, and enqueue its extraction when they have no record yet.
 */
import { fetchProcessor } from '../src/queue/processors.js';
import { sandboxed } from '../src/queue/sandbox.js';

export default sandboxed(fetchProcessor);
