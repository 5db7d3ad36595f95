/**
 * @anneal/tensorboard-logger — write and read TensorBoard event files from Node, with no native
 * or runtime dependencies. In a web page: `@anneal/tensorboard-logger/browser`.
 */

export { EventFileReadError, type ReadOperation } from './errors';
export { readEvents, readLogdir, readRun, readScalars } from './node-reader';
export { SummaryWriter } from './node-writer';
export * from './portable';
export type { SummaryWriterOptions, WriterFileSystem } from './writer';
