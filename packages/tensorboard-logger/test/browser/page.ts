/**
 * The logger's test page: runs the call sequence of calls.ts with the browser `SummaryWriter` into
 * a memory sink and into a sink that sends every write back to the Node test (`window.sendEventBytes`,
 * exposed by the test), and returns the memory sink's files.
 */

import { createMemorySink, type EventByteSink, SummaryWriter } from '../../src/browser';
import {
  sharedOptions,
  smallQueueOptions,
  steppingClock,
  writeSequence,
  writeSmallQueueSequence,
} from './calls';

interface PageFile {
  readonly path: string;
  readonly name: string;
  /** The bytes as base64 (what crosses the page boundary unchanged). */
  readonly base64: string;
}

declare global {
  // Exposed by the test with page.exposeFunction.
  var sendEventBytes: (path: string, base64: string) => Promise<void>;
  var pageReady: boolean;
  var writeWithMemorySink: () => Promise<PageFile[]>;
  var writeWithCallbackSink: () => Promise<string[]>;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
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
  return sink.files().map((file) => ({ path: file.path, name: file.name, base64: toBase64(file.bytes) }));
};

globalThis.writeWithCallbackSink = () =>
  writeAll({ write: (path, bytes) => globalThis.sendEventBytes(path, toBase64(bytes)) });

globalThis.pageReady = true;
