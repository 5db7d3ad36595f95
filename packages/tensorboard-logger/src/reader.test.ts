import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../test/support';
import { encodeEvent } from './encode';
import {
  CorruptRecordError,
  decodeRecords,
  EventFileReadError,
  readEventFile,
  readEvents,
  readLogdir,
  readRun,
  readScalars,
  SummaryWriter,
  TensorBoardLoggerError,
  type TruncatedTail,
} from './index';
import { frameRecord } from './record-framing';

function sampleFile(count = 5): { bytes: Uint8Array; offsets: number[] } {
  const records = [frameRecord(encodeEvent({ wallTime: 1, step: 0, fileVersion: 'brain.Event:2' }))];
  for (let i = 1; i < count; i++) records.push(frameRecord(encodeEvent({ wallTime: 1 + i, step: i * 1000 })));
  const offsets: number[] = [];
  let total = 0;
  for (const record of records) {
    offsets.push(total);
    total += record.length;
  }
  const bytes = new Uint8Array(total);
  records.forEach((record, i) => {
    bytes.set(record, offsets[i]!);
  });
  return { bytes, offsets };
}

function decodeAll(bytes: Uint8Array) {
  const tails: TruncatedTail[] = [];
  const records = [...decodeRecords(bytes, { onTruncatedTail: (tail) => tails.push(tail) })];
  return { records, tails };
}

describe('truncated tail', () => {
  it('at every cut point: the complete records before it, and the tail reported (not an error)', () => {
    const { bytes, offsets } = sampleFile();
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { records, tails } = decodeAll(bytes.subarray(0, cut));
      const complete = offsets.filter((offset, i) => (offsets[i + 1] ?? bytes.length) <= cut && offset < cut);
      expect(records.map((record) => record.offset)).toEqual(complete);
      const boundary = offsets.includes(cut) || cut === bytes.length;
      if (boundary) expect(tails).toEqual([]);
      else {
        const start = offsets.filter((offset) => offset < cut).at(-1)!;
        expect(tails).toEqual([
          {
            file: undefined,
            offset: start,
            availableBytes: cut - start,
            expectedBytes:
              cut - start >= 12 ? (offsets[offsets.indexOf(start) + 1] ?? bytes.length) - start : undefined,
          },
        ]);
      }
    }
  });

  it('readEvents on a file cut mid-record returns the complete records and reports the tail', async () => {
    const directory = temporaryDirectory();
    const writer = new SummaryWriter(directory, { flushOnExit: false });
    for (let step = 0; step < 100; step++) writer.addScalar('a', step, step);
    await writer.close();
    const size = readFileSync(writer.path).length;
    truncateSync(writer.path, size - 5);
    const tails: TruncatedTail[] = [];
    const steps: number[] = [];
    for await (const record of readEvents(writer.path, { onTruncatedTail: (tail) => tails.push(tail) })) {
      if (record.event.summary) steps.push(record.event.step);
    }
    expect(steps).toEqual(Array.from({ length: 99 }, (_, i) => i));
    expect(tails).toHaveLength(1);
    expect(tails[0]!.file).toBe(writer.path);
    expect(tails[0]!.offset + tails[0]!.availableBytes).toBe(size - 5);
    expect(tails[0]!.expectedBytes! - tails[0]!.availableBytes).toBe(5);
    const run = await readRun(directory);
    expect(run.scalars.a).toHaveLength(99);
    expect(run.truncatedTails).toEqual(tails);
    const single = await readEventFile(writer.path);
    expect(single.files).toEqual([writer.path]);
    expect(single.scalars).toEqual(run.scalars);
    expect(single.truncatedTails).toEqual(tails);
  });
});

describe('readEventFile', () => {
  it('reads a real TF2 Keras event file as readRun reads the folder that holds only it', async () => {
    const folder = join(
      import.meta.dirname,
      '../../../../shared/fixtures/tfevents/tf2-keras-callback/run-pid3200/train',
    );
    const run = await readRun(folder);
    expect(run.files).toHaveLength(1);
    const single = await readEventFile(run.files[0]!);
    expect(single.scalars).toEqual(run.scalars);
    expect(Object.keys(single.scalars)).toContain('epoch_loss');
  });

  it.each([
    ['an empty path', ''],
    ['a number', 3],
  ])('rejects %s naming the argument', async (_name, file) => {
    await expect(readEventFile(file as string)).rejects.toThrow(/readEventFile: file must be a file path/);
  });

  it('rejects a missing file with EventFileReadError', async () => {
    const directory = temporaryDirectory();
    await expect(readEventFile(join(directory, 'missing.tfevents'))).rejects.toSatisfy(
      EventFileReadError.isInstance,
    );
  });
});

describe('corruption', () => {
  const { bytes, offsets } = sampleFile();

  it.each([
    ['a length byte', 0, 'length-crc'],
    ['a length CRC byte', 9, 'length-crc'],
    ['a payload byte', 13, 'payload-crc'],
    ['a payload CRC byte', -1, 'payload-crc'],
  ] as const)('flipping %s of record 2 throws CorruptRecordError at its offset', (_name, at, reason) => {
    const corrupted = bytes.slice();
    const start = offsets[2]!;
    const position = at >= 0 ? start + at : offsets[3]! - 1;
    corrupted[position]! ^= 0x01;
    const seen: number[] = [];
    let caught: unknown;
    try {
      for (const record of decodeRecords(corrupted)) seen.push(record.offset);
    } catch (error) {
      caught = error;
    }
    expect(seen).toEqual(offsets.slice(0, 2));
    expect(CorruptRecordError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ offset: start, reason });
    expect((caught as Error).message).toMatch(new RegExp(`^event data: corrupted record at byte ${start}: `));
  });

  it('a payload with valid CRCs that is not an Event is malformed-event', () => {
    const framed = frameRecord(Uint8Array.of(0x0a, 0x7f, 0x01));
    expect(() => [...decodeRecords(framed)]).toThrow(
      'event data: corrupted record at byte 0: payload is not an Event: length-delimited field of 127 bytes runs past the end of the message',
    );
  });

  it('readEvents names the file and the byte offset', async () => {
    const directory = temporaryDirectory();
    const file = join(directory, 'events.out.tfevents.corrupt');
    const corrupted = bytes.slice();
    corrupted[offsets[3]! + 14]! ^= 0xff;
    writeFileSync(file, corrupted);
    const consume = async () => {
      for await (const _record of readEvents(file)) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow(`"${file}": corrupted record at byte ${offsets[3]}: payload CRC`);
    await expect(readRun(directory)).rejects.toSatisfy(CorruptRecordError.isInstance);
  });
});

describe('fuzzing (deterministic seeds): nothing but CorruptRecordError ever escapes', () => {
  const onlyTypedErrors = (bytes: Uint8Array) => {
    try {
      for (const record of decodeRecords(bytes, { onTruncatedTail: () => {} })) {
        expect(typeof record.event.wallTime).toBe('number');
      }
    } catch (error) {
      expect(CorruptRecordError.isInstance(error)).toBe(true);
    }
  };

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), onlyTypedErrors), { seed: 1, numRuns: 1000 });
  });

  it('random payloads framed with valid CRCs (exercises the protobuf decoder)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (payloads) => {
        const framed = payloads.map(frameRecord);
        const bytes = new Uint8Array(framed.reduce((sum, record) => sum + record.length, 0));
        let at = 0;
        for (const record of framed) {
          bytes.set(record, at);
          at += record.length;
        }
        onlyTypedErrors(bytes);
      }),
      { seed: 2, numRuns: 1000 },
    );
  });

  it('mutations of a real file: byte flips, insertions, deletions (payload CRCs recomputed or not)', async () => {
    const directory = temporaryDirectory();
    const writer = new SummaryWriter(directory, { flushOnExit: false, scalarEncoding: 'tensor' });
    writer.addScalar('lr', 0.1, 1);
    writer.addHistogram('h', [1, 2, 3], 2);
    writer.addText('t', 'text', 3);
    writer.addHparams({ a: 1, b: 'x', c: true }, { m: 1 });
    await writer.close();
    const original = new Uint8Array(readFileSync(writer.path));
    const payloads = [...decodeRecords(original)].map((record) =>
      original.slice(record.offset + 12, record.offset + 12 + record.length),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'insert', 'delete')),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.boolean(),
        (mutations, reframe) => {
          if (reframe) {
            // Mutate inside payloads and frame them again with valid CRCs: only the decoder can object.
            const mutated = payloads.map((payload) => Array.from(payload));
            for (const [position, value, kind] of mutations) {
              const target = mutated[position % mutated.length]!;
              const index = target.length === 0 ? 0 : (position >> 3) % target.length;
              if (kind === 'flip') target[index] = value;
              else if (kind === 'insert') target.splice(index, 0, value);
              else target.splice(index, 1);
            }
            const framed = mutated.map((payload) => frameRecord(Uint8Array.from(payload)));
            const bytes = new Uint8Array(framed.reduce((sum, record) => sum + record.length, 0));
            let at = 0;
            for (const record of framed) {
              bytes.set(record, at);
              at += record.length;
            }
            onlyTypedErrors(bytes);
          } else {
            const bytes = Array.from(original);
            for (const [position, value, kind] of mutations) {
              const index = position % bytes.length;
              if (kind === 'flip') bytes[index] = value;
              else if (kind === 'insert') bytes.splice(index, 0, value);
              else bytes.splice(index, 1);
            }
            onlyTypedErrors(Uint8Array.from(bytes));
          }
        },
      ),
      { seed: 3, numRuns: 2000 },
    );
  });

  it('readRun over mutated files with valid CRCs only ever rejects with a typed error', async () => {
    const directory = temporaryDirectory();
    const writer = new SummaryWriter(directory, { flushOnExit: false, fileIndex: 0 });
    writer.addHparams({ a: 1, b: 'x' }, { m: 1 }, { hparamDomainDiscrete: { b: ['x', 'y'] } });
    writer.addHistogram('h', [1, 2, 3], 2);
    writer.addText('t', 'text', 3);
    await writer.close();
    const original = new Uint8Array(readFileSync(writer.path));
    const payloads = [...decodeRecords(original)].map((record) =>
      original.slice(record.offset + 12, record.offset + 12 + record.length),
    );
    const random = fc.sample(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })), {
      seed: 4,
      numRuns: 150,
    });
    for (const [which, position, value] of random) {
      const mutated = payloads.map((payload) => payload.slice());
      const target = mutated[1 + (which % (mutated.length - 1))]!;
      target[position % target.length] = value;
      const framed = mutated.map(frameRecord);
      writeFileSync(writer.path, Buffer.concat(framed));
      try {
        const run = await readRun(directory);
        expect(run.files).toHaveLength(1);
      } catch (error) {
        expect(TensorBoardLoggerError.isInstance(error)).toBe(true);
      }
    }
  });
});

describe('streaming reads', () => {
  it('reads files larger than the 1 MiB read size record by record', async () => {
    const directory = temporaryDirectory();
    const writer = new SummaryWriter(directory, { flushOnExit: false });
    const count = 80_000;
    for (let step = 0; step < count; step++) writer.addScalar('a/long/tag/name', step, step);
    await writer.close();
    expect(readFileSync(writer.path).length).toBeGreaterThan(2 * 1024 * 1024);
    const steps: number[] = [];
    for await (const record of readEvents(writer.path))
      if (record.event.summary) steps.push(record.event.step);
    expect(steps).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('a record bigger than the read size', async () => {
    const directory = temporaryDirectory();
    const writer = new SummaryWriter(directory, { flushOnExit: false });
    const text = 'ab'.repeat(1_500_000);
    writer.addText('big', text, 1);
    writer.addScalar('after', 1, 2);
    await writer.close();
    const run = await readRun(directory);
    expect(run.texts.big![0]!.text).toBe(text);
    expect(run.scalars.after).toHaveLength(1);
  });
});

describe('file-system errors of the readers', () => {
  const scratch = () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'a-file'), 'not a directory');
    mkdirSync(join(directory, 'a-directory'));
    return directory;
  };
  const consume = async (file: string) => {
    for await (const _ of readEvents(file)) {
      // reading is the point
    }
  };

  it.each([
    [
      'readEvents of a missing file',
      (d: string) => consume(join(d, 'nothing')),
      'nothing',
      'readEvents',
      'open',
      'ENOENT',
    ],
    [
      'readEvents of a directory',
      (d: string) => consume(join(d, 'a-directory')),
      'a-directory',
      'readEvents',
      'read',
      'EISDIR',
    ],
    [
      'readRun of a missing directory',
      (d: string) => readRun(join(d, 'nothing')),
      'nothing',
      'readRun',
      'readdir',
      'ENOENT',
    ],
    [
      'readRun of a file',
      (d: string) => readRun(join(d, 'a-file')),
      'a-file',
      'readRun',
      'readdir',
      'ENOTDIR',
    ],
    [
      'readLogdir of a missing directory',
      (d: string) => readLogdir(join(d, 'nothing')),
      'nothing',
      'readLogdir',
      'readdir',
      'ENOENT',
    ],
    [
      'readLogdir of a file',
      (d: string) => readLogdir(join(d, 'a-file')),
      'a-file',
      'readLogdir',
      'readdir',
      'ENOTDIR',
    ],
    [
      'readScalars of a missing directory',
      (d: string) => readScalars(join(d, 'nothing')),
      'nothing',
      'readScalars',
      'readdir',
      'ENOENT',
    ],
  ])(
    '%s: EventFileReadError naming the function, the path and the cause',
    async (_name, read, name, method, operation, errno) => {
      const directory = scratch();
      const path = join(directory, name);
      const error = await read(directory).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(EventFileReadError.isInstance(error)).toBe(true);
      expect(TensorBoardLoggerError.isInstance(error)).toBe(true);
      const typed = error as EventFileReadError;
      expect(typed).toMatchObject({ code: 'EventFileReadError', path, operation, errno });
      expect((typed.cause as NodeJS.ErrnoException).code).toBe(errno);
      expect(
        typed.message.startsWith(`${method}: ${operation} failed for ${JSON.stringify(path)}: ${errno}: `),
      ).toBe(true);
    },
  );
});
