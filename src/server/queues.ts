/** The UI's view of the distributed-mode queues: the queue module's own API. */
export { enqueueExtract, openQueues, type Queues as UiQueues } from '../queue/index.js';
