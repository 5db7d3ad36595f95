/**
 * The logger's test page: runs the call sequence of calls.ts with the browser `SummaryWriter` into
 * a memory sink and into a sink that sends every write back to the Node test (`window.sendEventBytes`,
 * exposed by the test; playwright-core carries `Uint8Array`s across as they are), and returns the
 * memory sink's files.
 */

import { createMemorySink, type EventByteSink, type MemoryEventFile, SummaryWriter } from '../../src/browser';
import {
  sharedOptions,
  smallQueueOptions,
  steppingClock,
  writeSequence,
  writeSmallQueueSequence,
} from './calls';

declare global {
  // Exposed by the test with page.exposeFunction.
  var sendEventBytes: (path: string, bytes: Uint8Array) => Promise<void>;
  var pageReady: boolean;
  var writeWithMemorySink: () => Promise<MemoryEventFile[]>;
  var writeWithCallbackSink: () => Promise<string[]>;
}

async function writeAll(sink: EventByteSink): Promise<string[]> {
  const main = new SummaryWriter('run', { ...sharedOptions, nowMs: steppingClock(), sink });
  await writeSequence(main);
  const small = new SummaryWriter('small', { ...smallQueueOptions, nowMs: steppingClock(), sink });
  await writeSmallQueueSequence(small);
  return [main.path, small.path];
}

globalThis.writeWithMemorySink = async () => {
  const sink = createMemorySink();
  await writeAll(sink);
  return sink.files();
};

globalThis.writeWithCallbackSink = () =>
  writeAll({ write: (path, bytes) => globalThis.sendEventBytes(path, bytes) });

globalThis.pageReady = true;
