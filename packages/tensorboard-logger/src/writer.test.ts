import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedWriterOptions, temporaryDirectory } from '../test/support';
import { defaultBucketLimits } from './histogram';
import {
  EventFileWriteError,
  InvalidArgumentError,
  QueueFullError,
  readEvents,
  readLogdir,
  readRun,
  SummaryWriter,
  type SummaryWriterOptions,
  TensorBoardLoggerError,
  WriterClosedError,
} from './index';

function writerIn(directory: string, options: SummaryWriterOptions = {}): SummaryWriter {
  return new SummaryWriter(directory, { ...fixedWriterOptions, ...options });
}

async function collect(file: string) {
  const events = [];
  for await (const record of readEvents(file)) events.push(record.event);
  return events;
}

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** Asserts that `call` throws an `InvalidArgumentError` (a `TensorBoardLoggerError`) with `message`. */
function expectInvalidArgument(call: () => unknown, message: string): void {
  let caught: unknown;
  try {
    call();
  } catch (error) {
    caught = error;
  }
  expect(InvalidArgumentError.isInstance(caught)).toBe(true);
  expect(TensorBoardLoggerError.isInstance(caught)).toBe(true);
  expect((caught as Error).message).toBe(message);
}

describe('file layout', () => {
  it('names the file events.out.tfevents.<10-digit seconds>.<host>.<pid>.<n> and starts with brain.Event:2', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(join(directory, 'run'), { fileIndex: 3 });
    await writer.close();
    expect(readdirSync(join(directory, 'run'))).toEqual(['events.out.tfevents.1700000000.testhost.4242.3']);
    const events = await collect(writer.path);
    expect(events).toEqual([{ wallTime: 1_700_000_000.123, step: 0, fileVersion: 'brain.Event:2' }]);
  });

  it('pads the seconds to 10 digits and appends filenameSuffix', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory, { nowMs: () => 5_000, fileIndex: 0, filenameSuffix: '.v2' });
    await writer.close();
    expect(readdirSync(directory)).toEqual(['events.out.tfevents.0000000005.testhost.4242.0.v2']);
  });

  it('never overwrites: a second writer with the same name takes the next index', async () => {
    const directory = temporaryDirectory();
    const first = writerIn(directory, { fileIndex: 0 });
    const second = writerIn(directory, { fileIndex: 0 });
    await Promise.all([first.close(), second.close()]);
    expect(readdirSync(directory).sort()).toEqual([
      'events.out.tfevents.1700000000.testhost.4242.0',
      'events.out.tfevents.1700000000.testhost.4242.1',
    ]);
  });
});

describe('round trip', () => {
  it('returns every scalar with float32 rounding, its step and wall time (simple_value and tensor encodings)', async () => {
    for (const scalarEncoding of ['simpleValue', 'tensor'] as const) {
      const directory = temporaryDirectory();
      const writer = writerIn(directory, { scalarEncoding });
      const written: [string, number, number, number][] = [];
      fc.assert(
        fc.property(
          fc.constantFrom('lr', 'train/loss', 'ünïcode/tag', 'x'.repeat(200)),
          fc.double(),
          fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          fc.double({ min: 0, max: 4e9, noNaN: true }),
          (tag, value, step, wallTime) => {
            writer.addScalar(tag, value, step, { wallTime });
            written.push([tag, value, step, wallTime]);
          },
        ),
        { seed: 42, numRuns: 300 },
      );
      await writer.close();
      const run = await readRun(directory);
      const byTag = new Map<string, { step: number; wallTime: number; value: number }[]>();
      for (const [tag, value, step, wallTime] of written) {
        byTag.set(tag, [...(byTag.get(tag) ?? []), { step, wallTime, value: Math.fround(value) }]);
      }
      expect(run.scalars).toEqual(Object.fromEntries(byTag));
      if (scalarEncoding === 'tensor') {
        for (const tag of byTag.keys())
          expect(run.metadata[tag]).toMatchObject({ pluginName: 'scalars', dataClass: 1 });
      } else expect(Object.keys(run.metadata)).toEqual([]);
    }
  });

  it('writes NaN, +Infinity, -Infinity and -0 as such', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory);
    [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0].forEach((value, step) => {
      writer.addScalar('special', value, step);
    });
    await writer.close();
    const values = (await readRun(directory)).scalars.special!.map((point) => point.value);
    expect(values[0]).toBeNaN();
    expect(values.slice(1, 3)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(Object.is(values[3], -0)).toBe(true);
  });

  it('uses the injected clock for wall times when none is given', async () => {
    const directory = temporaryDirectory();
    let now = 1_000_000;
    const writer = writerIn(directory, { nowMs: () => now });
    writer.addScalar('a', 1, 0);
    now += 1500;
    writer.addScalar('a', 2, 1);
    await writer.close();
    expect((await readRun(directory)).scalars.a!.map((point) => point.wallTime)).toEqual([1000, 1001.5]);
  });

  it('addScalars writes one sub-run per name, named <mainTag with / as _>_<name>, all with tag mainTag', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory);
    writer.addScalars('loss/total', { train: 0.5, validation: 0.75 }, 10, { wallTime: 99 });
    writer.addScalars('loss/total', { train: 0.25, validation: 0.5 }, 11);
    await writer.close();
    const runs = await readLogdir(directory);
    expect(Object.keys(runs).sort()).toEqual(['.', 'loss_total_train', 'loss_total_validation']);
    expect(runs.loss_total_train!.scalars).toEqual({
      'loss/total': [
        { step: 10, wallTime: 99, value: 0.5 },
        { step: 11, wallTime: 1_700_000_000.123, value: 0.25 },
      ],
    });
    expect(runs.loss_total_validation!.scalars['loss/total']!.map((point) => point.value)).toEqual([
      0.75, 0.5,
    ]);
  });

  it('addHistogram with precomputed buckets returns them exactly, converted to [k,3] with min/max as outer edges', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory);
    const histogram = {
      min: -1,
      max: 3,
      num: 6,
      sum: 4.5,
      sumSquares: 12.25,
      bucketLimits: [0, 1, 3],
      buckets: [2, 1, 3],
    };
    writer.addHistogram('weights', histogram, 7);
    await writer.close();
    const [point] = (await readRun(directory)).histograms.weights!;
    expect(point!.step).toBe(7);
    expect(point!.proto).toEqual(histogram);
    expect(point!.buckets).toEqual([
      { left: -1, right: 0, count: 2 },
      { left: 0, right: 1, count: 1 },
      { left: 1, right: 3, count: 3 },
    ]);
  });

  it('addHistogram from values uses the default bucket limits and exact statistics', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory);
    // A Float32Array, as tfjs dataSync() returns: statistics are over the float32 values.
    const values = Array.from(Float32Array.from([0.5, 1, 1.05, 2, -3, 0]));
    writer.addHistogram('h', Float32Array.from(values), 1);
    await writer.close();
    const proto = (await readRun(directory)).histograms.h![0]!.proto!;
    expect(proto.min).toBe(-3);
    expect(proto.max).toBe(2);
    expect(proto.num).toBe(6);
    expect(proto.sum).toBe(values.reduce((a, b) => a + b, 0));
    expect(proto.sumSquares).toBe(values.reduce((a, b) => a + b * b, 0));
    expect(proto.buckets.reduce((a, b) => a + b, 0)).toBe(6);
    const limits = defaultBucketLimits();
    // Every limit is one of TensorBoard's defaults, the first bucket is the empty left guard.
    for (const limit of proto.bucketLimits) expect(limits).toContain(limit);
    expect(proto.buckets[0]).toBe(0);
    // Each value v lies in the bucket whose limits satisfy limits[i-1] <= v < limits[i].
    for (const value of values) {
      const index = limits.findIndex((limit) => limit > value);
      const inProto = proto.bucketLimits.indexOf(limits[index]!);
      expect(proto.buckets[inProto]).toBeGreaterThan(0);
    }
  });

  it('addText writes a text-plugin string tensor under the given tag', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory);
    writer.addText('notes', '# Schedule\nwarmup **cosine** ✓', 3);
    await writer.close();
    const run = await readRun(directory);
    expect(run.texts.notes).toEqual([
      {
        step: 3,
        wallTime: 1_700_000_000.123,
        text: '# Schedule\nwarmup **cosine** ✓',
        strings: ['# Schedule\nwarmup **cosine** ✓'],
        shape: [],
      },
    ]);
    expect(run.metadata.notes?.pluginName).toBe('text');
  });

  it('addHparams writes experiment, session start (SUCCESS end) and the metric scalars into this run', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory);
    writer.addHparams(
      { peakValue: 0.1, optimizer: 'adam', warmup: true, zero: 0 },
      { 'hparam/accuracy': 0.9 },
      { hparamDomainDiscrete: { optimizer: ['adam', 'sgd'] } },
    );
    await writer.close();
    const run = await readRun(directory);
    expect(run.hparams!.sessionStartInfo!.hparams).toEqual({
      peakValue: 0.1,
      optimizer: 'adam',
      warmup: true,
      zero: 0,
    });
    expect(run.hparams!.experiment!.hparamInfos.map(({ name, type }) => [name, type])).toEqual([
      ['peakValue', 3],
      ['optimizer', 1],
      ['warmup', 2],
      ['zero', 3],
    ]);
    expect(run.hparams!.experiment!.hparamInfos[1]!.domainDiscrete).toEqual(['adam', 'sgd']);
    expect(run.hparams!.experiment!.metricInfos.map((metric) => metric.tag)).toEqual(['hparam/accuracy']);
    expect(run.hparams!.sessionEndInfo).toEqual({ status: 1, endTimeSecs: 0 });
    expect(run.scalars['hparam/accuracy']).toEqual([
      { step: 0, wallTime: 1_700_000_000.123, value: Math.fround(0.9) },
    ]);
    expect(Object.keys(run.metadata).sort()).toEqual([
      '_hparams_/experiment',
      '_hparams_/session_end_info',
      '_hparams_/session_start_info',
    ]);
  });

  it('addHparams({ runName }) writes into the sub-run, as torch add_hparams does', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory);
    writer.addHparams({ lr: 0.01 }, { loss: 1.5 }, { runName: 'trial-1', step: 5 });
    await writer.close();
    const runs = await readLogdir(directory);
    expect(runs['.']!.hparams).toBeUndefined();
    expect(runs['trial-1']!.hparams!.sessionStartInfo!.hparams).toEqual({ lr: 0.01 });
    expect(runs['trial-1']!.scalars.loss).toEqual([{ step: 5, wallTime: 1_700_000_000.123, value: 1.5 }]);
  });
});

describe('invalid arguments', () => {
  const validationDirectory = mkdtempSync(join(tmpdir(), 'anneal-tb-validation-'));
  const writer = new SummaryWriter(validationDirectory, { ...fixedWriterOptions });
  afterAll(async () => {
    await writer.close();
    rmSync(validationDirectory, { recursive: true, force: true });
  });

  it.each([
    [
      () => writer.addScalar('', 1, 0),
      'SummaryWriter.addScalar: tag must be a non-empty string; received "".',
    ],
    [
      () => writer.addScalar('lr', 1, -1),
      'SummaryWriter.addScalar: step must be a non-negative safe integer; received -1.',
    ],
    [
      () => writer.addScalar('lr', 1, 1.5),
      'SummaryWriter.addScalar: step must be a non-negative safe integer; received 1.5.',
    ],
    [
      () => writer.addScalar('lr', 1, 2 ** 53),
      'SummaryWriter.addScalar: step must be a non-negative safe integer; received 9007199254740992.',
    ],
    [
      // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types
      () => writer.addScalar('lr', '0.1' as any, 0),
      'SummaryWriter.addScalar: value must be a number; received "0.1".',
    ],
    [
      // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types
      () => writer.addScalar('lr', 0.1, undefined as any),
      'SummaryWriter.addScalar: step must be a non-negative safe integer; received undefined.',
    ],
    [
      () => writer.addScalar('lr', 0.1, 0, { wallTime: Number.NaN }),
      'SummaryWriter.addScalar: options.wallTime must be a finite number of seconds since the epoch (>= 0); received NaN.',
    ],
    [
      () => writer.addHistogram('h', [], 0),
      'SummaryWriter.addHistogram: values must be a non-empty array (an empty histogram has no range); received [].',
    ],
    [
      () => writer.addHistogram('h', [1, Number.NaN], 0),
      'SummaryWriter.addHistogram: values[1] must be a finite number (histograms cannot bucket NaN or ±Infinity); received NaN.',
    ],
    [
      () =>
        writer.addHistogram(
          'h',
          { min: 0, max: 1, num: 1, sum: 1, sumSquares: 1, bucketLimits: [1, 0], buckets: [0, 1] },
          0,
        ),
      'SummaryWriter.addHistogram: values.bucketLimits must be strictly increasing; received [1,0].',
    ],
    [
      () =>
        writer.addHistogram(
          'h',
          { min: 0, max: 1, num: 1, sum: 1, sumSquares: 1, bucketLimits: [1], buckets: [0, 1] },
          0,
        ),
      'SummaryWriter.addHistogram: values.buckets must be one count per bucket limit (1); received 2.',
    ],
    [
      // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types
      () => writer.addText('t', 42 as any, 0),
      'SummaryWriter.addText: text must be a string; received 42.',
    ],
    [
      () => writer.addScalars('loss', {}, 0),
      'SummaryWriter.addScalars: values must be at least one name; received {}.',
    ],
    [
      () => writer.addScalars('loss', { 'a/b': 1 }, 0),
      'SummaryWriter.addScalars: values["a/b"] must be keyed by a name without path separators; received "a/b".',
    ],
    [
      // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types
      () => writer.addHparams({ lr: [1] as any }, {}),
      'SummaryWriter.addHparams: hparams.lr must be a finite number, a string or a boolean; received [1].',
    ],
    [
      () => writer.addHparams({ lr: 0.1 }, {}, { runName: '../escape' }),
      'SummaryWriter.addHparams: options.runName must be a non-empty relative directory name without ".."; received "../escape".',
    ],
    [
      () => writer.addHparams({ lr: 0.1 }, {}, { hparamDomainDiscrete: { lr: ['a'] } }),
      'SummaryWriter.addHparams: options.hparamDomainDiscrete.lr must be a non-empty array of number values like the hparam; received ["a"].',
    ],
  ])('%#: throws InvalidArgumentError with the message', expectInvalidArgument);

  it('collects every issue of one call into one error', () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types
    const call = () => writer.addScalar('', 'x' as any, -2);
    expect(call).toThrow(
      'SummaryWriter.addScalar: 3 invalid arguments:\n- SummaryWriter.addScalar: tag must be a non-empty string; received "".\n- SummaryWriter.addScalar: value must be a number; received "x".\n- SummaryWriter.addScalar: step must be a non-negative safe integer; received -2.',
    );
    try {
      call();
    } catch (error) {
      expect((error as InvalidArgumentError).issues.map((issue) => issue.path)).toEqual([
        'tag',
        'value',
        'step',
      ]);
    }
  });

  it.each([
    [
      { maxQueue: 0 },
      'new SummaryWriter: options.maxQueue must be a positive integer (records); received 0.',
    ],
    [
      { maxQueueBytes: 10 },
      'new SummaryWriter: options.maxQueueBytes must be an integer >= 1024 (bytes); received 10.',
    ],
    [
      { flushIntervalMs: Number.POSITIVE_INFINITY },
      'new SummaryWriter: options.flushIntervalMs must be a number of milliseconds in (0, 2147483647]; received Infinity.',
    ],
    [
      { onQueueFull: 'wait' },
      'new SummaryWriter: options.onQueueFull must be "block" or "drop"; received "wait".',
    ],
    [
      { scalarEncoding: 'double' },
      'new SummaryWriter: options.scalarEncoding must be "simpleValue" or "tensor"; received "double".',
    ],
    [
      { hostname: 'a/b' },
      'new SummaryWriter: options.hostname must be a non-empty string without path separators; received "a/b".',
    ],
    [{ pid: -1 }, 'new SummaryWriter: options.pid must be a non-negative integer; received -1.'],
  ])('rejects options %j', (options, message) => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types
    expect(() => new SummaryWriter(temporaryDirectory(), options as any)).toThrow(message);
  });

  it('rejects an empty logdir and unknown options together', () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types
    expect(() => new SummaryWriter('', { maxQueu: 5 } as any)).toThrow(
      /2 invalid arguments[\s\S]*logdir must be a non-empty string; received ""[\s\S]*options.maxQueu must be one of the known options/,
    );
  });
});

describe('text the event file cannot hold: unpaired UTF-16 surrogates', () => {
  // Event files hold protobuf strings, which are UTF-8: a lone surrogate has no UTF-8 encoding
  // (TextEncoder writes U+FFFD instead), so it would read back changed. Every string the writer
  // stores or turns into a path is checked before anything is queued.
  const lone = 'bad\uD800tag';
  const shown = '"bad\\ud800tag"';
  const free = 'must be free of unpaired UTF-16 surrogates (event files hold UTF-8)';
  const directory = mkdtempSync(join(tmpdir(), 'anneal-tb-surrogates-'));
  const writer = new SummaryWriter(directory, { ...fixedWriterOptions, fileIndex: 0 });
  afterAll(async () => {
    await writer.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it.each([
    [() => writer.addScalar(lone, 1, 0), `SummaryWriter.addScalar: tag ${free}; received ${shown}.`],
    [() => writer.addScalar('\uDC00', 1, 0), `SummaryWriter.addScalar: tag ${free}; received "\\udc00".`],
    [() => writer.addScalar('a\uDBFF', 1, 0), `SummaryWriter.addScalar: tag ${free}; received "a\\udbff".`],
    [
      () => writer.addScalars(lone, { a: 1 }, 0),
      `SummaryWriter.addScalars: mainTag ${free}; received ${shown}.`,
    ],
    [
      () => writer.addScalars('loss', { [lone]: 1 }, 0),
      `SummaryWriter.addScalars: values[${shown}] must be keyed by a name free of unpaired UTF-16 surrogates (event files hold UTF-8); received ${shown}.`,
    ],
    [() => writer.addHistogram(lone, [1], 0), `SummaryWriter.addHistogram: tag ${free}; received ${shown}.`],
    [() => writer.addText(lone, 'x', 0), `SummaryWriter.addText: tag ${free}; received ${shown}.`],
    [() => writer.addText('t', lone, 0), `SummaryWriter.addText: text ${free}; received ${shown}.`],
    [
      () => writer.addHparams({ [lone]: 1 }, {}),
      `SummaryWriter.addHparams: hparams[${shown}] must be keyed by a name free of unpaired UTF-16 surrogates (event files hold UTF-8); received ${shown}.`,
    ],
    [
      () => writer.addHparams({ optimizer: lone }, {}),
      `SummaryWriter.addHparams: hparams.optimizer ${free}; received ${shown}.`,
    ],
    [
      () => writer.addHparams({ lr: 1 }, { [lone]: 1 }),
      `SummaryWriter.addHparams: metrics[${shown}] must be keyed by a tag free of unpaired UTF-16 surrogates (event files hold UTF-8); received ${shown}.`,
    ],
    [
      () =>
        writer.addHparams({ optimizer: 'adam' }, {}, { hparamDomainDiscrete: { optimizer: ['adam', lone] } }),
      `SummaryWriter.addHparams: options.hparamDomainDiscrete.optimizer[1] ${free}; received ${shown}.`,
    ],
    [
      () => writer.addHparams({ lr: 1 }, {}, { runName: lone }),
      `SummaryWriter.addHparams: options.runName ${free}; received ${shown}.`,
    ],
    [
      () => new SummaryWriter(join(directory, lone)),
      `new SummaryWriter: logdir ${free}; received ${JSON.stringify(join(directory, lone))}.`,
    ],
    [
      () => new SummaryWriter(directory, { hostname: lone }),
      `new SummaryWriter: options.hostname ${free}; received ${shown}.`,
    ],
    [
      () => new SummaryWriter(directory, { filenameSuffix: lone }),
      `new SummaryWriter: options.filenameSuffix ${free}; received ${shown}.`,
    ],
  ])('%#: throws InvalidArgumentError naming the string', expectInvalidArgument);

  it('queues nothing for a rejected call; paired surrogates (astral characters) read back byte-exact', async () => {
    const local = temporaryDirectory();
    const logger = new SummaryWriter(local, { ...fixedWriterOptions, fileIndex: 0 });
    expect(() => logger.addHparams({ lr: 1 }, { [lone]: 1 })).toThrow(InvalidArgumentError);
    logger.addScalar('growth/📈', 1, 0);
    await logger.close();
    const run = await readRun(local);
    expect(Object.keys(run.scalars)).toEqual(['growth/📈']);
    expect(run.hparams).toBeUndefined();
  });

  it('any string tag is either rejected with InvalidArgumentError or read back unchanged (fast-check, seeded)', async () => {
    const local = temporaryDirectory();
    const logger = new SummaryWriter(local, { ...fixedWriterOptions, fileIndex: 0 });
    const accepted = new Set<string>();
    let rejected = 0;
    // Single UTF-16 code units (lone surrogates among them, often), mixed with whole characters.
    const utf16CodeUnit = fc.oneof(
      fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '\uDCC8'),
      fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.string({ unit: utf16CodeUnit, minLength: 1, maxLength: 8 }), (tag) => {
        try {
          logger.addScalar(tag, 1, 0);
          accepted.add(tag);
        } catch (error) {
          expect(InvalidArgumentError.isInstance(error)).toBe(true);
          expect((error as InvalidArgumentError).issues[0]!.path).toBe('tag');
          rejected++;
        }
      }),
      { seed: 1_312, numRuns: 300 },
    );
    await logger.close();
    expect(accepted.size).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(50);
    expect(new Set(Object.keys((await readRun(local)).scalars))).toEqual(accepted);
  });
});

describe('lifecycle', () => {
  it('throws WriterClosedError from every add* after close(), and close() is idempotent', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory);
    writer.addScalar('a', 1, 0);
    const closing = writer.close();
    expect(writer.close()).toBe(closing);
    await closing;
    const calls = [
      () => writer.addScalar('a', 1, 1),
      () => writer.addScalars('a', { x: 1 }, 1),
      () => writer.addHistogram('h', [1], 1),
      () => writer.addText('t', 'x', 1),
      () => writer.addHparams({ a: 1 }, {}),
    ];
    for (const call of calls) {
      expect(call).toThrow(WriterClosedError);
      try {
        call();
      } catch (error) {
        expect(WriterClosedError.isInstance(error)).toBe(true);
        expect((error as Error).message).toMatch(
          /^SummaryWriter\.add\w+: the writer for ".+" is closed; create a new SummaryWriter to write more\.$/,
        );
      }
    }
    expect((await readRun(directory)).scalars.a).toHaveLength(1);
  });

  it('Symbol.asyncDispose closes the writer', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory);
    writer.addScalar('a', 1, 0);
    await writer[Symbol.asyncDispose]();
    expect(writer.isClosed).toBe(true);
    expect((await readRun(directory)).scalars.a).toHaveLength(1);
  });

  it('flush() resolves once the records added before it are in the file', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory);
    for (let step = 0; step < 1000; step++) writer.addScalar('a', step, step);
    expect(readFileSync(writer.path)).toHaveLength(0);
    await writer.flush();
    expect(writer.pendingRecords).toBe(0);
    expect(await collect(writer.path)).toHaveLength(1001);
    writer.addScalar('a', 1000, 1000);
    await writer.flush();
    expect(await collect(writer.path)).toHaveLength(1002);
    await writer.close();
  });

  it('fsync: true calls fsync in flush() and close()', async () => {
    const directory = temporaryDirectory();
    const nodeFs = await import('node:fs');
    let fsyncs = 0;
    const counting = {
      ...nodeFs,
      fsync: (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
        fsyncs++;
        nodeFs.fsync(fd, callback);
      },
    };
    const writer = writerIn(directory, { fileSystem: counting, fsync: true });
    writer.addScalar('a', 1, 0);
    await writer.flush();
    expect(fsyncs).toBe(1);
    await writer.close();
    expect(fsyncs).toBe(2);
  });

  it('writes queued records after flushIntervalMs without any flush() call', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory, { flushIntervalMs: 20 });
    writer.addScalar('a', 1, 0);
    const deadline = Date.now() + 5000;
    while ((await collect(writer.path)).length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await collect(writer.path)).toHaveLength(2);
    await writer.close();
  });
});

describe('bounded queue', () => {
  it("'block' writes synchronously when maxQueue records wait, so memory stays bounded and nothing is lost", async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory, { maxQueue: 100 });
    for (let step = 0; step < 10_000; step++) {
      writer.addScalar('a', step, step);
      expect(writer.pendingRecords).toBeLessThanOrEqual(100);
    }
    // A synchronous loop never yields, yet everything but the last queue-full is already in the file.
    expect((await collect(writer.path)).length).toBeGreaterThan(9_800);
    await writer.close();
    expect((await readRun(directory)).scalars.a!.map((point) => point.step)).toEqual(
      Array.from({ length: 10_000 }, (_, i) => i),
    );
    expect(writer.droppedRecords).toBe(0);
  });

  it("'drop' discards records while the queue is full and reports one QueueFullError per episode", async () => {
    const directory = temporaryDirectory();
    const errors: unknown[] = [];
    const writer = writerIn(directory, {
      maxQueue: 10,
      onQueueFull: 'drop',
      onError: (error) => errors.push(error),
    });
    for (let step = 0; step < 100; step++) writer.addScalar('a', step, step);
    expect(writer.pendingRecords).toBeLessThanOrEqual(10);
    expect(writer.droppedRecords).toBeGreaterThan(0);
    await writer.close();
    const kept = (await readRun(directory)).scalars.a!.length;
    expect(kept + writer.droppedRecords).toBe(100);
    expect(errors).toHaveLength(1);
    expect(QueueFullError.isInstance(errors[0])).toBe(true);
    expect((errors[0] as QueueFullError).maxQueue).toBe(10);
  });

  it('waitForCapacity() lets an async loop write everything without hitting onQueueFull', async () => {
    const directory = temporaryDirectory();
    const errors: unknown[] = [];
    const writer = writerIn(directory, {
      maxQueue: 50,
      onQueueFull: 'drop',
      onError: (error) => errors.push(error),
    });
    for (let step = 0; step < 2_000; step++) {
      await writer.waitForCapacity();
      writer.addScalar('a', step, step);
    }
    await writer.close();
    expect(writer.droppedRecords).toBe(0);
    expect(errors).toEqual([]);
    expect((await readRun(directory)).scalars.a).toHaveLength(2_000);
  });

  it('bounds queued bytes by maxQueueBytes', async () => {
    const directory = temporaryDirectory();
    const writer = writerIn(directory, { maxQueueBytes: 4096 });
    for (let step = 0; step < 50; step++) writer.addText('t', 'x'.repeat(500), step);
    expect(writer.pendingRecords).toBeLessThan(9);
    await writer.close();
    expect((await readRun(directory)).texts.t).toHaveLength(50);
  });
});

describe('file-system errors', () => {
  it('logdir under a regular file (ENOTDIR): typed error via onError, flush() and close(); add* keeps working', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'not-a-directory'), 'x');
    const errors: unknown[] = [];
    const writer = writerIn(join(directory, 'not-a-directory', 'run'), {
      onError: (error) => errors.push(error),
    });
    writer.addScalar('a', 1, 0);
    await expect(writer.flush()).rejects.toSatisfy(EventFileWriteError.isInstance);
    await expect(writer.close()).rejects.toThrow(
      /SummaryWriter: mkdir failed for ".*not-a-directory\/run": ENOTDIR/,
    );
    expect(errors).toHaveLength(1);
    expect((errors[0] as EventFileWriteError).errno).toBe('ENOTDIR');
    expect((errors[0] as EventFileWriteError).operation).toBe('mkdir');
    expect(writer.error).toBe(errors[0]);
    expect(writer.droppedRecords).toBe(2);
    expect(unhandled).toEqual([]);
  });

  it('a /proc path that cannot hold a directory: typed error, no unhandled rejection even without awaiting', async () => {
    const errors: unknown[] = [];
    const writer = writerIn('/proc/anneal-tensorboard-logger-test/run', {
      onError: (error) => errors.push(error),
    });
    writer.addScalar('a', 1, 0);
    void writer.flush();
    void writer.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(errors).toHaveLength(1);
    expect(EventFileWriteError.isInstance(errors[0])).toBe(true);
    expect(unhandled).toEqual([]);
  });

  it.each([
    ['EACCES (missing permissions; chmod does not stop root, so openSync is injected)', 'EACCES', 'open'],
    ['EROFS (read-only file system)', 'EROFS', 'open'],
  ])('%s: typed error through onError, flush() and close()', async (_name, code, operation) => {
    const directory = temporaryDirectory();
    const nodeFs = await import('node:fs');
    const refusing = {
      ...nodeFs,
      openSync: (path: string) => {
        const error: NodeJS.ErrnoException = new Error(`${code}: refused, open '${path}'`);
        error.code = code;
        throw error;
      },
    };
    const errors: unknown[] = [];
    const writer = writerIn(directory, { fileSystem: refusing, onError: (error) => errors.push(error) });
    writer.addScalar('a', 1, 0);
    await expect(writer.flush()).rejects.toMatchObject({ errno: code, operation });
    await expect(writer.close()).rejects.toMatchObject({ errno: code, operation });
    expect(errors).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it('a /sys path where mkdir is refused', async () => {
    const errors: unknown[] = [];
    const writer = writerIn('/sys/anneal-tensorboard-logger-test/run', {
      onError: (error) => errors.push(error),
    });
    await expect(writer.close()).rejects.toSatisfy(EventFileWriteError.isInstance);
    expect((errors[0] as EventFileWriteError).operation).toBe('mkdir');
    expect(unhandled).toEqual([]);
  });

  it('a full disk (/dev/full behind the writer): ENOSPC surfaces through flush(), close() and onError', async () => {
    const directory = temporaryDirectory();
    const errors: unknown[] = [];
    const nodeFs = await import('node:fs');
    const fullDisk = {
      ...nodeFs,
      // Every event file the writer opens is /dev/full: any write fails with ENOSPC.
      openSync: (_path: string, _flags: string) => nodeFs.openSync('/dev/full', 'w'),
    };
    const writer = writerIn(directory, { fileSystem: fullDisk, onError: (error) => errors.push(error) });
    for (let step = 0; step < 10; step++) writer.addScalar('a', step, step);
    const flushed = writer.flush();
    await expect(flushed).rejects.toSatisfy(EventFileWriteError.isInstance);
    await expect(flushed).rejects.toMatchObject({ errno: 'ENOSPC', operation: 'write' });
    // After the failure, records are dropped (counted), never thrown.
    writer.addScalar('a', 11, 11);
    await expect(writer.close()).rejects.toMatchObject({ errno: 'ENOSPC' });
    expect(errors).toHaveLength(1);
    expect(writer.droppedRecords).toBe(12);
    expect(unhandled).toEqual([]);
  });

  it('an injected writev that fails after the first write: the file keeps the complete prefix', async () => {
    const directory = temporaryDirectory();
    const nodeFs = await import('node:fs');
    let writes = 0;
    const failing = {
      ...nodeFs,
      writev: (
        fd: number,
        buffers: readonly Uint8Array[],
        position: number,
        callback: (error: NodeJS.ErrnoException | null, written: number) => void,
      ) => {
        writes++;
        if (writes > 1) {
          const error: NodeJS.ErrnoException = new Error('ENOSPC: no space left on device, write');
          error.code = 'ENOSPC';
          setImmediate(() => callback(error, 0));
          return;
        }
        nodeFs.writev(fd, buffers, position, (error, written) => callback(error, written));
      },
    };
    const errors: unknown[] = [];
    const writer = writerIn(directory, { fileSystem: failing, onError: (error) => errors.push(error) });
    writer.addScalar('a', 0, 0);
    await writer.flush();
    writer.addScalar('a', 1, 1);
    await expect(writer.flush()).rejects.toMatchObject({ errno: 'ENOSPC' });
    await expect(writer.close()).rejects.toMatchObject({ errno: 'ENOSPC' });
    expect((await readRun(directory)).scalars.a).toEqual([
      { step: 0, wallTime: 1_700_000_000.123, value: 0 },
    ]);
    expect(errors).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it('partial writes are completed', async () => {
    const directory = temporaryDirectory();
    const nodeFs = await import('node:fs');
    const stingy = {
      ...nodeFs,
      // At most 7 bytes per call, from the first buffer only.
      writev: (
        fd: number,
        buffers: readonly Uint8Array[],
        position: number,
        callback: (error: NodeJS.ErrnoException | null, written: number) => void,
      ) =>
        nodeFs.write(
          fd,
          buffers[0]!.subarray(0, 7),
          0,
          Math.min(7, buffers[0]!.length),
          position,
          (error, written) => callback(error, written),
        ),
      writevSync: (fd: number, buffers: readonly Uint8Array[], position: number) =>
        nodeFs.writeSync(fd, buffers[0]!.subarray(0, 7), 0, Math.min(7, buffers[0]!.length), position),
    };
    const writer = writerIn(directory, { fileSystem: stingy, maxQueue: 20 });
    for (let step = 0; step < 100; step++) writer.addScalar('a', step, step);
    await writer.close();
    expect((await readRun(directory)).scalars.a).toHaveLength(100);
  });
});
