/**
 * The scalar hot path (`writeScalarRecordAt` with a per-tag template) against a plain encoding of
 * the same Event: message built field by field with ProtoWriter, framed with the bit-at-a-time
 * reference CRC of test/support.ts. Byte for byte, for every step width, value and tag length.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceCrc32c, referenceMask } from '../test/support';
import { DataClass, DataType } from './proto-types';
import { encodeUtf8, ProtoWriter } from './protobuf';
import {
  buildScalarTemplate,
  type ScalarEncoding,
  type ScalarTemplate,
  writeScalarRecordAt,
} from './scalar-record';

/** Event { wall_time, step (omitted when 0), summary { value { tag, simple_value | tensor + metadata } } }, framed. */
function referenceRecord(
  tagBytes: Uint8Array,
  encoding: ScalarEncoding,
  wallTime: number,
  step: number,
  value: number,
): Uint8Array {
  const summaryValue = new ProtoWriter();
  summaryValue.bytesField(1, tagBytes);
  if (encoding === 'simpleValue') summaryValue.floatField(2, value);
  else {
    const content = new Uint8Array(4);
    new DataView(content.buffer).setFloat32(0, value, true);
    summaryValue.messageField(8, (tensor) => {
      tensor.uint64Field(1, DataType.DT_FLOAT);
      tensor.bytesField(2, new Uint8Array(0));
      tensor.bytesField(4, content);
    });
    summaryValue.messageField(9, (metadata) => {
      metadata.messageField(1, (plugin) => plugin.stringField(1, 'scalars'));
      metadata.uint64Field(4, DataClass.SCALAR);
    });
  }
  const event = new ProtoWriter();
  event.doubleField(1, wallTime);
  if (step !== 0) event.uint64Field(2, step);
  event.messageField(5, (summary) => summary.bytesField(1, summaryValue.finish()));
  const payload = event.finish();
  const record = new Uint8Array(payload.length + 16);
  const view = new DataView(record.buffer);
  view.setUint32(0, payload.length, true);
  view.setUint32(8, referenceMask(referenceCrc32c(record.subarray(0, 8))), true);
  record.set(payload, 12);
  view.setUint32(12 + payload.length, referenceMask(referenceCrc32c(payload)), true);
  return record;
}

interface Scalar {
  readonly wallTime: number;
  readonly step: number;
  readonly value: number;
}

/** Writes the records back to back into a buffer full of garbage, as the writer does into its chunks. */
function hotPath(template: ScalarTemplate, scalars: readonly Scalar[]): Uint8Array {
  const buffer = new Uint8Array(scalars.length * template.recordRoom + template.recordRoom).fill(0xa5);
  const view = new DataView(buffer.buffer);
  let pos = 0;
  for (const { wallTime, step, value } of scalars) {
    pos = writeScalarRecordAt(buffer, view, pos, template, wallTime, step, value);
  }
  return buffer.slice(0, pos);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

function expectSameBytes(
  tag: string | Uint8Array,
  encoding: ScalarEncoding,
  scalars: readonly Scalar[],
): void {
  const tagBytes = typeof tag === 'string' ? encodeUtf8(tag) : tag;
  const template = buildScalarTemplate(tagBytes, encoding);
  const expected = concat(
    scalars.map(({ wallTime, step, value }) => referenceRecord(tagBytes, encoding, wallTime, step, value)),
  );
  const actual = hotPath(template, scalars);
  // Compare as one number array only on mismatch (a readable diff); equal lengths and bytes first.
  if (actual.length !== expected.length || actual.some((byte, i) => byte !== expected[i])) {
    expect(Array.from(actual)).toEqual(Array.from(expected));
  }
}

/** Steps at and around every varint width boundary (1..8 bytes), the widths the hot path special-cases. */
const BOUNDARY_STEPS = [
  0,
  1,
  127,
  128,
  2 ** 14 - 1,
  2 ** 14,
  2 ** 21 - 1,
  2 ** 21,
  2 ** 28 - 1,
  2 ** 28,
  2 ** 35 - 1,
  2 ** 35,
  2 ** 42,
  2 ** 49 - 1,
  2 ** 49,
  Number.MAX_SAFE_INTEGER,
];

const SPECIAL_VALUES = [
  0,
  -0,
  1,
  -1,
  0.1,
  Math.PI,
  3.4028234663852886e38,
  1e39,
  -1e39,
  1.401298464324817e-45,
  1e-46,
  Number.MIN_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

describe.each(['simpleValue', 'tensor'] as const)('writeScalarRecordAt (%s)', (encoding) => {
  it('writes the reference bytes at every step width', () => {
    expectSameBytes(
      'train/learning_rate',
      encoding,
      BOUNDARY_STEPS.map((step, i) => ({ wallTime: 1_700_000_000 + i / 1000, step, value: 0.05 })),
    );
  });

  it('writes the reference bytes for special values (NaN, ±Infinity, -0, float32 overflow and underflow)', () => {
    expectSameBytes(
      'loss',
      encoding,
      SPECIAL_VALUES.map((value, i) => ({ wallTime: 1_700_000_000.5, step: i, value })),
    );
  });

  it('writes the reference bytes when wall times repeat, change, or are 0 and -0', () => {
    const wallTimes = [1.5, 1.5, 1.5, 2.25, 2.25, 0, 0, -0, -0, 0, 1_700_000_000.123, 1_700_000_000.123];
    expectSameBytes(
      'epoch_learning_rate',
      encoding,
      wallTimes.map((wallTime, step) => ({ wallTime, step, value: step / 7 })),
    );
  });

  it('writes the reference bytes for tags of every length around the unrolled head and varint widths', () => {
    for (const length of [
      1, 2, 7, 8, 17, 18, 24, 25, 26, 32, 33, 100, 117, 118, 119, 127, 128, 129, 300, 16_500,
    ]) {
      expectSameBytes('t'.repeat(length), encoding, [
        { wallTime: 1_700_000_000.001, step: 3, value: 0.5 },
        { wallTime: 1_700_000_000.001, step: 300, value: -2 },
        { wallTime: 1_700_000_000.002, step: 2 ** 30, value: 1e-3 },
      ]);
    }
  });

  it('agrees with the reference on random tags, wall times, steps and values', () => {
    const scalar = fc.record({
      wallTime: fc.oneof(
        fc.double({ min: 0, max: 4e9, noNaN: true }),
        fc.integer({ min: 0, max: 4e12 }).map((ms) => ms / 1000),
      ),
      step: fc.oneof(fc.constantFrom(...BOUNDARY_STEPS), fc.nat(), fc.maxSafeNat()),
      value: fc.oneof(fc.double(), fc.float().map(Number), fc.constantFrom(...SPECIAL_VALUES)),
    });
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 80, unit: 'grapheme' }),
        fc.array(scalar, { minLength: 1, maxLength: 6 }),
        (tag, scalars) => {
          expectSameBytes(tag, encoding, scalars);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('scalar templates', () => {
  it('write the head as words when 8 of its bytes would read as a NaN (a 2,095,095-byte tag)', () => {
    // The Summary, Value and tag lengths are then 3-byte varints whose bytes 6-7 of the head are
    // f? 7f: a NaN's bit pattern, which the double-store path must not be trusted with.
    const tag = new Uint8Array(2_095_095).fill(0x61);
    const template = buildScalarTemplate(tag, 'simpleValue');
    expect(template.headDoubles).toHaveLength(0);
    expectSameBytes(tag, 'simpleValue', [
      { wallTime: 1_700_000_000.25, step: 5, value: 1.5 },
      { wallTime: 1_700_000_000.25, step: 6, value: -1.5 },
    ]);
  });

  it('write ordinary heads as doubles', () => {
    expect(
      buildScalarTemplate(encodeUtf8('train/learning_rate'), 'simpleValue').headDoubles.length,
    ).toBeGreaterThanOrEqual(4);
    expect(buildScalarTemplate(encodeUtf8('lr-Adam'), 'tensor').headDoubles.length).toBeGreaterThanOrEqual(4);
  });
});
