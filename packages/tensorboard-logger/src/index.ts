/**
 * @anneal/tensorboard-logger — write and read TensorBoard event files from Node, with no native
 * or runtime dependencies. In a web page: `@anneal/tensorboard-logger/browser`.
 */

export type { EventByteSink } from './byte-sink';
export { EventFileReadError, type ReadOperation } from './errors';
export { readEventFile, readEvents, readLogdir, readRun, readScalars } from './node-reader';
export { type EventFileReceiver, eventFileReceiver } from './node-receiver';
export { SummaryWriter } from './node-writer';
export * from './portable';
export type { SummaryWriterOptions, WriterFileSystem } from './writer';
