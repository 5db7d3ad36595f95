/**
 * The browser entry in Chromium: it bundles for the browser with no Node built-in among its
 * inputs, and the browser `SummaryWriter` (memory sink, and a sink that sends each write back to
 * this process) produces files byte-identical to the Node writer's for the same calls, which the
 * reader reads.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePage, nodeBuiltinInputs, type OpenedPage, openModulePage } from '@anneal/chromium-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventFileReceiver, readRun, readScalars, SummaryWriter } from '../src/index';
import {
  SMALL_QUEUE_SCALARS,
  sharedOptions,
  smallQueueOptions,
  steppingClock,
  writeSequence,
  writeSmallQueueSequence,
} from './browser/calls';
import { temporaryDirectory } from './support';

const here = dirname(fileURLToPath(import.meta.url));
const STEP_TIMEOUT_MS = 30_000;

/** Every file under `root`, by path relative to it (with `/`), with its bytes. */
function filesUnder(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const visit = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = join(directory, entry.name);
      if (entry.isDirectory()) visit(full);
      else files.set(relative(root, full).split('\\').join('/'), readFileSync(full));
    }
  };
  visit(root);
  return files;
}

/** The Node writer's files for the call sequence, by path relative to their root. */
async function nodeFiles(): Promise<Map<string, Buffer>> {
  const root = temporaryDirectory();
  const main = new SummaryWriter(join(root, 'run'), {
    ...sharedOptions,
    nowMs: steppingClock(),
    flushOnExit: false,
  });
  await writeSequence(main);
  const small = new SummaryWriter(join(root, 'small'), {
    ...smallQueueOptions,
    nowMs: steppingClock(),
    flushOnExit: false,
  });
  await writeSmallQueueSequence(small);
  return filesUnder(root);
}

describe('the browser entry', () => {
  let served: OpenedPage;
  let pageInputs: string[];
  let builtinInputs: string[];
  let expected: Map<string, Buffer>;

  beforeAll(async () => {
    const bundle = await bundlePage(join(here, 'browser', 'page.ts'));
    pageInputs = Object.keys(bundle.metafile.inputs);
    builtinInputs = nodeBuiltinInputs(bundle.metafile);
    served = await openModulePage(bundle.code, { gpu: false, stepMs: 20_000, ready: 'pageReady' });
    expected = await nodeFiles();
  }, 60_000);

  afterAll(async () => {
    await served?.close();
  });

  it('bundles for the browser with no Node built-in among its inputs', () => {
    expect(builtinInputs).toEqual([]);
    expect(pageInputs.some((input) => input.endsWith('tensorboard-logger/src/browser.ts'))).toBe(true);
  });

  it(
    'writes, into a memory sink, the bytes the Node writer writes to files',
    async () => {
      const files = await served.page.evaluate(() => globalThis.writeWithMemorySink(), undefined);
      expect(served.errors).toEqual([]);
      const received = new Map(files.map((file) => [file.path, Buffer.from(file.bytes)]));
      expect([...received.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [path, bytes] of expected) expect(received.get(path)?.equals(bytes), path).toBe(true);
      for (const file of files) expect(file.path.endsWith(`/${file.name}`)).toBe(true);
      expect(files.map((file) => file.name)).toContain('events.out.tfevents.1700000000.parity.7.3');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'sends every write back to the Node process, whose eventFileReceiver writes event files the reader reads',
    async () => {
      const root = temporaryDirectory();
      const writes: string[] = [];
      const receiver = eventFileReceiver(root);
      await served.page.exposeFunction('sendEventBytes', (path: string, bytes: Uint8Array) => {
        writes.push(path);
        return receiver.write(path, bytes);
      });
      // A fresh page, as a fresh process for the Node writer: sub-run files take `<n>` from a page-wide counter.
      await served.page.reload();
      await served.page.waitForFunction(() => globalThis.pageReady === true);
      const paths = await served.page.evaluate(() => globalThis.writeWithCallbackSink(), undefined);
      expect(served.errors).toEqual([]);
      expect(paths).toEqual([
        'run/events.out.tfevents.1700000000.parity.7.3',
        'small/events.out.tfevents.1700000000.parity.7.4',
      ]);
      await receiver.settled();
      expect(receiver.files()).toHaveLength(expected.size);
      const written = filesUnder(root);
      expect([...written.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [path, bytes] of expected) expect(written.get(path)?.equals(bytes), path).toBe(true);
      // The small queue made the writer write more than once; no byte was sent twice (the lengths match).
      expect(writes.filter((path) => path.startsWith('small/')).length).toBeGreaterThan(1);

      const scalars = await readScalars(root);
      const lr = scalars.small?.lr ?? [];
      expect(lr).toHaveLength(SMALL_QUEUE_SCALARS);
      expect(lr[SMALL_QUEUE_SCALARS - 1]).toMatchObject({
        step: SMALL_QUEUE_SCALARS - 1,
        value: Math.fround(1e-3 + 2999e-7),
      });
      const run = await readRun(join(root, 'run'));
      expect(run.scalars['train/learning_rate']).toHaveLength(200);
      expect(run.scalars['edge/nan']?.[0]?.value).toBeNaN();
      expect(run.texts.notes?.[0]?.text).toBe('trained in **Chromium** (ü, 漢字, 🚀)');
      expect(run.histograms['weights/dense']?.[0]?.proto?.num).toBe(7);
      expect(Object.keys(scalars).sort()).toEqual([
        'run',
        'run/hp',
        'run/loss_train',
        'run/loss_validation',
        'small',
      ]);
    },
    STEP_TIMEOUT_MS,
  );
});
