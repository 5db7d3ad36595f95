import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerTextOf, reseal, withHeaderText } from '../test/checkpoint-files';
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from './checkpoint';
import { CheckpointError } from './errors';

const STRUCTURE = '5325febf58a18a791e3fc6028ce3c84c54f2b3124a4509396767e1c8fd5c8a99';
const MODEL = 'be4dacca1e64792ef23625e3529c376fcdd453e2a962b35f124e4246cbd5eba9';

/** The CheckpointError that decoding `bytes` throws (fails the test when it throws anything else or nothing). */
function rejection(bytes: Uint8Array, path = 't.ckpt'): CheckpointError {
  let caught: unknown;
  try {
    decodeCheckpoint(bytes, path);
  } catch (error) {
    caught = error;
  }
  expect(CheckpointError.isInstance(caught), `expected a CheckpointError, got ${String(caught)}`).toBe(true);
  return caught as CheckpointError;
}

describe('checkpoint encoding', () => {
  it('round-trips any tensors exactly (bit patterns included)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('float32' as const, 'float64' as const),
        fc.array(fc.array(fc.double(), { minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        (dtype, arrays, step) => {
          const Array_ = dtype === 'float64' ? Float64Array : Float32Array;
          const checkpoint: Checkpoint = {
            version: 1,
            step,
            dtype,
            fingerprint: { structure: 'a'.repeat(64), model: 'b'.repeat(64) },
            schedule: { type: 'constant', value: 0.1 },
            tensors: arrays.map((values, i) => ({
              name: `t${i}`,
              role: i % 2 ? 'state' : 'parameter',
              shape: [values.length],
              data: Array_.from(values),
            })),
          };
          const decoded = decodeCheckpoint(encodeCheckpoint(checkpoint), 'memory');
          expect(decoded.step).toBe(step);
          expect(decoded.schedule).toEqual(checkpoint.schedule);
          expect(decoded.fingerprint).toEqual(checkpoint.fingerprint);
          decoded.tensors.forEach((tensor, i) => {
            const original = checkpoint.tensors[i]!;
            expect(tensor.name).toBe(original.name);
            expect(tensor.role).toBe(original.role);
            expect(
              new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength),
            ).toEqual(
              new Uint8Array(original.data.buffer, original.data.byteOffset, original.data.byteLength),
            );
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('starts with the signature and version 2, data 8-byte aligned, ends with the SHA-256 of every byte before it', () => {
    const bytes = encodeCheckpoint({
      version: 1,
      step: 3,
      dtype: 'float64',
      fingerprint: { structure: STRUCTURE },
      schedule: null,
      tensors: [{ name: 'w', role: 'parameter', shape: [2], data: new Float64Array([1, 2]) }],
    });
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('ANNEALCK');
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(8, true)).toBe(2);
    const headerLength = view.getUint32(12, true);
    const payloadStart = Math.ceil((16 + headerLength) / 8) * 8;
    expect(bytes.length).toBe(payloadStart + 16 + 32);
    expect(view.getFloat64(payloadStart + 8, true)).toBe(2);
    const checked = bytes.subarray(0, payloadStart + 16);
    expect(bytes.subarray(payloadStart + 16)).toEqual(
      new Uint8Array(createHash('sha256').update(checked).digest()),
    );
  });

  it('rejects an unknown version and an inconsistent header', () => {
    const good = encodeCheckpoint({
      version: 1,
      step: 0,
      dtype: 'float32',
      fingerprint: { structure: STRUCTURE },
      schedule: null,
      tensors: [{ name: 'w', role: 'parameter', shape: [2], data: new Float32Array([1, 2]) }],
    });
    const future = Uint8Array.from(good);
    new DataView(future.buffer).setUint32(8, 3, true);
    expect(() => decodeCheckpoint(future, 'f.ckpt')).toThrow(
      'loadCheckpoint: f.ckpt is not a usable checkpoint: format version 3 is not supported (this version reads 2).',
    );
    // same-length edit inside the header: the shape no longer matches the byte length
    const lying = Uint8Array.from(good);
    const at = new TextDecoder('latin1').decode(good).indexOf('"shape":[2]') + '"shape":['.length;
    lying[at] = '3'.charCodeAt(0);
    expect(rejection(lying, 'l.ckpt').message).toBe(
      'loadCheckpoint: l.ckpt is not a usable checkpoint: its data does not match the recorded SHA-256 (truncated or damaged file).',
    );
    // the same edit with the checksum recomputed: the header itself is inconsistent
    expect(rejection(reseal(lying), 'l.ckpt').message).toBe(
      'loadCheckpoint: l.ckpt is not a usable checkpoint: its header is invalid: header.tensors[0].byteLength must be 12 (shape [3] of float32); received 8.',
    );
  });
});

/** A small float32 checkpoint: two parameters and one state tensor, under a constant schedule. */
const small: Checkpoint = {
  version: 2,
  step: 10,
  dtype: 'float32',
  fingerprint: { structure: STRUCTURE, model: MODEL },
  schedule: { type: 'constant', value: 0.1 },
  tensors: [
    { name: 'w', role: 'parameter', shape: [2, 3], data: Float32Array.from([1, -2, 3, 0.5, 0, -0.25]) },
    { name: 'b', role: 'parameter', shape: [3], data: Float32Array.from([0.1, 0.2, 0.3]) },
    { name: 'w.exp_avg', role: 'state', shape: [2, 3], data: Float32Array.from([1e-3, 0, 0, 2e-3, 0, 0]) },
  ],
};
const smallBytes = encodeCheckpoint(small);
const headerLengthOf = (bytes: Uint8Array) =>
  new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** A sealed file with the header object `edit` returns (as JSON), or the header text it returns. */
function withHeader(bytes: Uint8Array, edit: (header: Record<string, unknown>) => unknown): Uint8Array {
  const edited = edit(JSON.parse(headerTextOf(bytes)));
  return withHeaderText(bytes, typeof edited === 'string' ? edited : JSON.stringify(edited));
}

type Header = Record<string, unknown> & {
  tensors: Record<string, unknown>[];
  fingerprint: Record<string, unknown>;
};
const header = (edit: (header: Header) => void) => (value: Record<string, unknown>) => {
  edit(value as Header);
  return value;
};
const invalid = (...issues: string[]) =>
  `loadCheckpoint: t.ckpt is not a usable checkpoint: its header is invalid: ${issues.join('; ')}.`;

describe('checkpoint header validation (files whose checksum matches)', () => {
  it('decodes the sample back exactly', () => {
    const decoded = decodeCheckpoint(smallBytes, 't.ckpt');
    expect(decoded).toEqual(small);
    expect(encodeCheckpoint(decoded)).toEqual(smallBytes);
  });

  it.each<[string, (header: Record<string, unknown>) => unknown, string]>([
    [
      'step 1.5',
      header((h) => {
        h.step = 1.5;
      }),
      invalid('header.step must be a safe integer ≥ 0; received 1.5'),
    ],
    [
      'step -1',
      header((h) => {
        h.step = -1;
      }),
      invalid('header.step must be a safe integer ≥ 0; received -1'),
    ],
    [
      'step 2^53',
      header((h) => {
        h.step = 2 ** 53;
      }),
      invalid('header.step must be a safe integer ≥ 0; received 9007199254740992'),
    ],
    [
      'step as a string',
      header((h) => {
        h.step = '10';
      }),
      invalid('header.step must be a safe integer ≥ 0; received "10"'),
    ],
    [
      'step missing',
      header((h) => {
        delete h.step;
      }),
      invalid('header.step must be a safe integer ≥ 0; received undefined'),
    ],
    [
      'an unknown key',
      header((h) => {
        h.payloadSha256 = 'x';
      }),
      invalid(
        'header.payloadSha256 must be absent (known keys: format, step, dtype, fingerprint, schedule, tensors); received "x"',
      ),
    ],
    [
      'another format',
      header((h) => {
        h.format = 'x';
      }),
      invalid('header.format must be "anneal-onnxruntime-training-checkpoint"; received "x"'),
    ],
    [
      'dtype float16',
      header((h) => {
        h.dtype = 'float16';
      }),
      invalid('header.dtype must be "float32" or "float64"; received "float16"'),
    ],
    [
      'fingerprint key model → iodel',
      header((h) => {
        h.fingerprint = { structure: STRUCTURE, iodel: MODEL };
      }),
      invalid(`header.fingerprint.iodel must be absent (known keys: structure, model); received "${MODEL}"`),
    ],
    [
      'fingerprint without structure',
      header((h) => {
        h.fingerprint = { model: MODEL };
      }),
      invalid(
        'header.fingerprint.structure must be a SHA-256 in lowercase hex (64 digits); received undefined',
      ),
    ],
    [
      'fingerprint model not a SHA-256',
      header((h) => {
        h.fingerprint.model = 'ABC';
      }),
      invalid(
        'header.fingerprint.model must be absent or a SHA-256 in lowercase hex (64 digits); received "ABC"',
      ),
    ],
    [
      'fingerprint null',
      header((h) => {
        Object.assign(h, { fingerprint: null });
      }),
      invalid(
        'header.fingerprint must be an object with keys structure and, optionally, model; received null',
      ),
    ],
    [
      'schedule 5',
      header((h) => {
        h.schedule = 5;
      }),
      invalid('header.schedule must be null or a schedule config (an object with a string type); received 5'),
    ],
    [
      'role stbte',
      header((h) => {
        h.tensors[2]!.role = 'stbte';
      }),
      invalid('header.tensors[2].role must be "parameter" or "state"; received "stbte"'),
    ],
    [
      'an empty name',
      header((h) => {
        h.tensors[1]!.name = '';
      }),
      invalid('header.tensors[1].name must be a non-empty string; received ""'),
    ],
    [
      'a repeated name',
      header((h) => {
        h.tensors[1]!.name = 'w';
      }),
      invalid('header.tensors[1].name must be unique (tensors[0] has this name); received "w"'),
    ],
    [
      'a negative dimension',
      header((h) => {
        h.tensors[1]!.shape = [-3];
      }),
      invalid('header.tensors[1].shape must be an array of integers ≥ 0; received [-3]'),
    ],
    [
      'a fractional dimension',
      header((h) => {
        h.tensors[1]!.shape = [1.5, 2];
      }),
      invalid('header.tensors[1].shape must be an array of integers ≥ 0; received [1.5,2]'),
    ],
    [
      'a shape with the wrong element count',
      header((h) => {
        h.tensors[0]!.shape = [3, 3];
      }),
      invalid('header.tensors[0].byteLength must be 36 (shape [3, 3] of float32); received 24'),
    ],
    [
      'a shifted offset',
      header((h) => {
        h.tensors[1]!.offset = 32;
      }),
      invalid('header.tensors[1].offset must be 24 (the end of the previous tensor, 8-aligned); received 32'),
    ],
    [
      'an unknown tensor key',
      header((h) => {
        h.tensors[0]!.dtype = 'float32';
      }),
      invalid(
        'header.tensors[0].dtype must be absent (known keys: name, role, shape, offset, byteLength); received "float32"',
      ),
    ],
    [
      'a tensor that is not an object',
      header((h) => {
        Object.assign(h.tensors, { 2: 7 });
      }),
      invalid(
        'header.tensors[2] must be an object with keys name, role, shape, offset, byteLength; received 7',
      ),
    ],
    [
      'a missing tensor (the data section is longer)',
      header((h) => {
        h.tensors.pop();
      }),
      invalid('data section must be 40 bytes long (the end of the last tensor, 8-aligned); received 64'),
    ],
    [
      'tensors not an array',
      header((h) => {
        Object.assign(h, { tensors: {} });
      }),
      invalid('header.tensors must be an array; received {}'),
    ],
    [
      'an array',
      () => [],
      invalid(
        'header must be an object with keys format, step, dtype, fingerprint, schedule, tensors; received []',
      ),
    ],
    [
      'several problems, all listed',
      header((h) => {
        h.step = -2;
        h.tensors[2]!.role = 'State';
        h.extra = true;
      }),
      invalid(
        'header.extra must be absent (known keys: format, step, dtype, fingerprint, schedule, tensors); received true',
        'header.step must be a safe integer ≥ 0; received -2',
        'header.tensors[2].role must be "parameter" or "state"; received "State"',
      ),
    ],
    [
      'spacing the writer does not use',
      (h) => JSON.stringify(h, null, 1),
      'loadCheckpoint: t.ckpt is not a usable checkpoint: its header is not spelled the way this version writes it (key order, spacing or number format differ).',
    ],
    [
      'keys in another order',
      (h) => ({ step: h.step, ...h }),
      'loadCheckpoint: t.ckpt is not a usable checkpoint: its header is not spelled the way this version writes it (key order, spacing or number format differ).',
    ],
    [
      'not JSON',
      () => '{"format":',
      'loadCheckpoint: t.ckpt is not a usable checkpoint: its header is not valid UTF-8 JSON.',
    ],
  ])('rejects %s with a CheckpointError naming the field', (_, edit, message) => {
    expect(rejection(withHeader(smallBytes, edit)).message).toBe(message);
  });

  it('rejects a header that is not valid UTF-8 and padding that is not zero', () => {
    const text = headerTextOf(smallBytes);
    const latin = withHeader(smallBytes, () => text.replace('"w"', '"x"'));
    latin[16 + text.indexOf('"x"') + 1] = 0xff;
    expect(rejection(reseal(latin)).message).toBe(
      'loadCheckpoint: t.ckpt is not a usable checkpoint: its header is not valid UTF-8 JSON.',
    );
    // the sample's header is followed by padding; 'b' (12 bytes) is followed by 4 padding bytes
    const headerEnd = 16 + headerLengthOf(smallBytes);
    expect(align8(headerEnd) - headerEnd).toBeGreaterThan(0);
    const afterHeader = Uint8Array.from(smallBytes);
    afterHeader[headerEnd] = 1;
    expect(rejection(reseal(afterHeader)).message).toBe(
      'loadCheckpoint: t.ckpt is not a usable checkpoint: the padding after the header is not zero.',
    );
    const afterB = Uint8Array.from(smallBytes);
    afterB[align8(headerEnd) + 24 + 12] = 1;
    expect(rejection(reseal(afterB)).message).toBe(
      'loadCheckpoint: t.ckpt is not a usable checkpoint: the padding after tensor "b" is not zero.',
    );
  });
});

describe('checkpoint damage (seeded, bounded fuzzing)', () => {
  /** Decoding either throws a CheckpointError or returns exactly the original checkpoint. */
  const rejectsOrIsIntact = (bytes: Uint8Array) => {
    let decoded: Checkpoint;
    try {
      decoded = decodeCheckpoint(bytes, 'fuzz.ckpt');
    } catch (error) {
      expect(CheckpointError.isInstance(error), String(error)).toBe(true);
      return;
    }
    expect(bytes).toEqual(smallBytes);
    expect(decoded).toEqual(small);
  };
  const position = fc.nat({ max: smallBytes.length - 1 });
  const someBytes = fc.uint8Array({ minLength: 1, maxLength: 64 });

  it('every byte of the sample, XORed with each of 8 patterns, is rejected', () => {
    for (let at = 0; at < smallBytes.length; at++) {
      for (const pattern of [0x01, 0x02, 0x10, 0x80, 0x0f, 0xf0, 0x55, 0xff]) {
        const damaged = Uint8Array.from(smallBytes);
        damaged[at]! ^= pattern;
        rejection(damaged);
      }
    }
  });

  it('random overwrites, truncations, extensions, insertions and deletions never decode to other contents', () => {
    const mutation = fc.oneof(
      fc
        .array(fc.tuple(position, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
        .map((writes) => (bytes: Uint8Array) => {
          const out = Uint8Array.from(bytes);
          for (const [at, value] of writes) out[at] = value;
          return out;
        }),
      position.map((length) => (bytes: Uint8Array) => bytes.subarray(0, length)),
      someBytes.map((extra) => (bytes: Uint8Array) => Uint8Array.from([...bytes, ...extra])),
      fc.tuple(position, someBytes).map(
        ([at, extra]) =>
          (bytes: Uint8Array) =>
            Uint8Array.from([...bytes.subarray(0, at), ...extra, ...bytes.subarray(at)]),
      ),
      fc.tuple(position, fc.integer({ min: 1, max: 64 })).map(
        ([at, count]) =>
          (bytes: Uint8Array) =>
            Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + count)]),
      ),
    );
    fc.assert(
      fc.property(mutation, (mutate) => rejectsOrIsIntact(mutate(smallBytes))),
      { seed: 20_240_613, numRuns: 3000 },
    );
  });

  it('resealed random edits of the header either fail with a CheckpointError or decode to a checkpoint that re-encodes to the same bytes', () => {
    const headerLength = headerLengthOf(smallBytes);
    const headerPosition = fc.integer({ min: 16, max: 16 + headerLength - 1 });
    const printable = fc.integer({ min: 0x20, max: 0x7e });
    fc.assert(
      fc.property(fc.array(fc.tuple(headerPosition, printable), { minLength: 1, maxLength: 4 }), (writes) => {
        const edited = Uint8Array.from(smallBytes);
        for (const [at, value] of writes) edited[at] = value;
        const sealed = reseal(edited);
        let decoded: Checkpoint;
        try {
          decoded = decodeCheckpoint(sealed, 'fuzz.ckpt');
        } catch (error) {
          expect(CheckpointError.isInstance(error), String(error)).toBe(true);
          return;
        }
        expect(encodeCheckpoint(decoded)).toEqual(sealed);
      }),
      { seed: 7_131_989, numRuns: 3000 },
    );
  });
});
