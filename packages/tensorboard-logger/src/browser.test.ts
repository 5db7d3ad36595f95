import { describe, expect, it } from 'vitest';
import { invalidArgumentMessage } from '../test/support';
import {
  type BrowserSummaryWriterOptions,
  createMemorySink,
  decodeRecords,
  type EventByteSink,
  EventFileWriteError,
  SummaryWriter,
  type TensorBoardLoggerError,
} from './browser';

const fixed = { nowMs: () => 1_700_000_000_123, fileIndex: 0 } as const;

const SINK_EXPECTED =
  'an object with a write(path, bytes) function (and optional open and close functions), e.g. createMemorySink()';

describe('browser SummaryWriter options', () => {
  it.each([
    [undefined, `new SummaryWriter: options.sink must be ${SINK_EXPECTED}; received undefined.`],
    [{}, `new SummaryWriter: options.sink must be ${SINK_EXPECTED}; received undefined.`],
    [{ sink: {} }, `new SummaryWriter: options.sink must be ${SINK_EXPECTED}; received {}.`],
    [
      { sink: { write: () => {}, close: 1 } },
      `new SummaryWriter: options.sink must be ${SINK_EXPECTED}; received {"close":1}.`,
    ],
  ])('%#: rejects a missing or malformed sink', (options, message) => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types
    expect(invalidArgumentMessage(() => new SummaryWriter('run', options as any))).toBe(message);
  });

  it('rejects the file-system options, naming the known ones, and collects every issue', () => {
    const sink = createMemorySink();
    const wrong = { sink, fsync: true, maxQueue: 0 } as unknown as BrowserSummaryWriterOptions;
    const message = invalidArgumentMessage(() => new SummaryWriter('', wrong));
    expect(message).toContain('new SummaryWriter: 3 invalid arguments:');
    expect(message).toContain('- new SummaryWriter: logdir must be a non-empty string; received "".');
    expect(message).toContain('options.fsync must be one of the known options (');
    expect(message).toContain('nowMs, hostname, pid, fileIndex, sink); received "fsync".');
    expect(message).toContain(
      '- new SummaryWriter: options.maxQueue must be a positive integer (records); received 0.',
    );
  });
});

describe('browser SummaryWriter sinks', () => {
  it('names files as the Node writer does, with the browser defaults for host and pid', async () => {
    const sink = createMemorySink();
    const writer = new SummaryWriter('runs/a/', { ...fixed, sink });
    expect(writer.path).toBe('runs/a/events.out.tfevents.1700000000.browser.0.0');
    writer.addScalar('lr', 0.5, 3);
    await writer.close();
    const [file] = sink.files();
    expect(file?.name).toBe('events.out.tfevents.1700000000.browser.0.0');
    const events = [...decodeRecords(file!.bytes)].map((record) => record.event);
    expect(events.map((event) => [event.step, event.fileVersion ?? event.summary?.[0]?.simpleValue])).toEqual(
      [
        [0, 'brain.Event:2'],
        [3, 0.5],
      ],
    );
  });

  it('calls open before the first bytes and close once per file, and waits for the promises write returns', async () => {
    const calls: string[] = [];
    let pending = 0;
    const sink: EventByteSink = {
      open: (path) => calls.push(`open ${path}`),
      write: async (path, bytes) => {
        calls.push(`write ${path} ${bytes.length > 0}`);
        pending++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        pending--;
      },
      close: (path) => {
        calls.push(`close ${path} pending=${pending}`);
      },
    };
    const writer = new SummaryWriter('run', { ...fixed, sink });
    writer.addScalar('lr', 1, 0);
    await writer.flush();
    expect(pending).toBe(0);
    await writer.close();
    expect(calls).toEqual([
      'open run/events.out.tfevents.1700000000.browser.0.0',
      'write run/events.out.tfevents.1700000000.browser.0.0 true',
      'close run/events.out.tfevents.1700000000.browser.0.0 pending=0',
    ]);
  });

  it.each([
    ['rejects', () => Promise.reject(new Error('the page went away'))],
    [
      'throws',
      () => {
        throw new Error('the page went away');
      },
    ],
  ])(
    'turns a sink whose write %s into an EventFileWriteError, counting the lost records',
    async (_, write) => {
      const errors: TensorBoardLoggerError[] = [];
      const writer = new SummaryWriter('run', {
        ...fixed,
        sink: { write },
        onError: (error) => errors.push(error),
      });
      writer.addScalar('lr', 1, 0);
      const failure = await writer.flush().catch((error: unknown) => error);
      expect(EventFileWriteError.isInstance(failure)).toBe(true);
      expect((failure as EventFileWriteError).operation).toBe('write');
      expect((failure as Error).message).toBe(
        'SummaryWriter: write failed for "run/events.out.tfevents.1700000000.browser.0.0": the page went away',
      );
      writer.addScalar('lr', 2, 1);
      expect(writer.droppedRecords).toBe(3);
      await expect(writer.close()).rejects.toBe(failure);
      await Promise.resolve();
      expect(errors).toEqual([failure]);
    },
  );

  it('gives a second writer on the same name in one sink the next file index', async () => {
    const sink = createMemorySink();
    const first = new SummaryWriter('run', { ...fixed, sink });
    const second = new SummaryWriter('run', { ...fixed, sink });
    expect(second.path).toBe('run/events.out.tfevents.1700000000.browser.0.1');
    await Promise.all([first.close(), second.close()]);
    expect(sink.files().map((file) => file.path)).toEqual([first.path, second.path]);
  });
});
