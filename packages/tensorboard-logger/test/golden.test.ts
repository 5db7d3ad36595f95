/**
 * Byte-exact golden files. The committed bytes (test/fixtures/golden) are checked two ways:
 * 1. the writer reproduces them exactly today (injected clock, host, pid, file index);
 * 2. an independent decoding, written from FORMAT.md with a bit-at-a-time CRC and a schema-less
 *    protobuf walk (test/support.ts; no code from src/), finds the documented structure.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeGolden } from './golden';
import { f32, f64, referenceRecords, temporaryDirectory, utf8, type WireField, wireFields } from './support';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'golden');
const FILE_NAME = 'events.out.tfevents.1700000000.golden-host.4242.0';

function goldenBytes(encoding: string): Uint8Array {
  const files = readdirSync(join(GOLDEN, encoding));
  expect(files).toEqual([FILE_NAME]);
  return new Uint8Array(readFileSync(join(GOLDEN, encoding, FILE_NAME)));
}

/** Field numbers in order, for asserting the exact layout of a message. */
const layout = (fields: WireField[]) => fields.map((field) => field.field);
const only = (fields: WireField[], number: number): WireField => {
  const matches = fields.filter((field) => field.field === number);
  expect(matches).toHaveLength(1);
  return matches[0]!;
};
const sub = (fields: WireField[], number: number) => wireFields(only(fields, number).bytes!);
const text = (fields: WireField[], number: number) => utf8(only(fields, number).bytes!);
const packedDoubles = (field: WireField) =>
  Array.from({ length: field.bytes!.length / 8 }, (_, i) => f64(field.bytes!.subarray(i * 8)));

describe.each(['simpleValue', 'tensor'])('golden file (%s scalars)', (encoding) => {
  it('is reproduced byte for byte by the writer', async () => {
    const path = await writeGolden(temporaryDirectory(), encoding as 'simpleValue' | 'tensor');
    expect(basename(path)).toBe(FILE_NAME);
    expect(new Uint8Array(readFileSync(path))).toEqual(goldenBytes(encoding));
  });

  it('decodes independently to the structure FORMAT.md describes', () => {
    const bytes = goldenBytes(encoding);
    // FORMAT.md §1: a 24-byte first payload has the length CRC stored as a3 7f 4b 22.
    expect(Array.from(bytes.subarray(0, 12))).toEqual([24, 0, 0, 0, 0, 0, 0, 0, 0xa3, 0x7f, 0x4b, 0x22]);
    const payloads = referenceRecords(bytes).map(wireFields);
    expect(payloads).toHaveLength(11);

    // Record 0: wall_time (double, injected clock in seconds) then file_version "brain.Event:2", no step.
    expect(layout(payloads[0]!)).toEqual([1, 3]);
    expect(f64(payloads[0]![0]!.bytes!)).toBe(1_700_000_000.25);
    expect(text(payloads[0]!, 3)).toBe('brain.Event:2');

    // Records 1-3: scalars. Step 0 is omitted as proto3 does; wallTime option honoured.
    const scalar = (event: WireField[]) => {
      const values = sub(event, 5);
      expect(layout(values)).toEqual([1]);
      return wireFields(values[0]!.bytes!);
    };
    const scalarValue = (value: WireField[]): number => {
      if (encoding === 'simpleValue') {
        expect(layout(value)).toEqual([1, 2]);
        expect(value[1]!.wire).toBe(5);
        return f32(value[1]!.bytes!);
      }
      expect(layout(value)).toEqual([1, 8, 9]);
      const tensor = sub(value, 8);
      expect(layout(tensor)).toEqual([1, 2, 4]);
      expect(only(tensor, 1).varint).toBe(1n); // DT_FLOAT, never DT_DOUBLE
      expect(only(tensor, 2).bytes).toEqual(new Uint8Array(0)); // rank 0
      const metadata = sub(value, 9);
      expect(layout(metadata)).toEqual([1, 4]);
      expect(text(sub(metadata, 1), 1)).toBe('scalars');
      expect(only(metadata, 4).varint).toBe(1n); // DATA_CLASS_SCALAR
      return f32(only(tensor, 4).bytes!);
    };
    expect(layout(payloads[1]!)).toEqual([1, 5]);
    expect(f64(payloads[1]![0]!.bytes!)).toBe(1_700_000_000.25);
    expect(text(scalar(payloads[1]!), 1)).toBe('train/learning_rate');
    expect(scalarValue(scalar(payloads[1]!))).toBe(Math.fround(0.001));
    expect(layout(payloads[2]!)).toEqual([1, 2, 5]);
    expect(f64(payloads[2]![0]!.bytes!)).toBe(1_700_000_001.5);
    expect(only(payloads[2]!, 2).varint).toBe(1n);
    expect(scalarValue(scalar(payloads[2]!))).toBe(Math.fround(0.1));
    expect(only(payloads[3]!, 2).varint).toBe(300n);
    expect(scalarValue(scalar(payloads[3]!))).toBeNaN();

    // Record 4: classic HistogramProto, doubles in fields 1-5, packed limits and counts.
    expect(only(payloads[4]!, 2).varint).toBe(2n);
    const weights = scalar(payloads[4]!);
    expect(layout(weights)).toEqual([1, 5]);
    expect(text(weights, 1)).toBe('weights');
    const histo = sub(weights, 5);
    expect(layout(histo)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect([1, 2, 3, 4, 5].map((n) => f64(only(histo, n).bytes!))).toEqual([-1, 3, 6, 4.5, 12.25]);
    expect(packedDoubles(only(histo, 6))).toEqual([0, 1, 3]);
    expect(packedDoubles(only(histo, 7))).toEqual([2, 1, 3]);

    // Record 5: histogram of [0.5, 2] on TensorBoard's default limits (x1.1 from 1e-12).
    const fromValues = sub(scalar(payloads[5]!), 5);
    expect([1, 2, 3, 4, 5].map((n) => f64(only(fromValues, n).bytes!))).toEqual([0.5, 2, 2, 2.5, 4.25]);
    const limits = packedDoubles(only(fromValues, 6));
    const counts = packedDoubles(only(fromValues, 7));
    expect(counts.length).toBe(limits.length);
    expect(counts[0]).toBe(0); // the empty guard bucket keeps the left edge
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(limits[0]! <= 0.5 && limits[1]! > 0.5).toBe(true);
    expect(limits.at(-2)! <= 2 && limits.at(-1)! > 2).toBe(true);
    for (let i = 1; i < limits.length; i++) {
      expect(Math.abs(limits[i]! / limits[i - 1]! - 1.1)).toBeLessThan(1e-12);
    }
    // Each limit is 1e-12 * 1.1^k computed by repeated multiplication, as TF does.
    let v = 1e-12;
    while (v < limits[0]!) v *= 1.1;
    expect(v).toBe(limits[0]);

    // Record 6: text — rank-0 DT_STRING tensor with the string in string_val, `text` plugin metadata.
    const textValue = scalar(payloads[6]!);
    expect(layout(textValue)).toEqual([1, 8, 9]);
    expect(text(textValue, 1)).toBe('notes');
    const textTensor = sub(textValue, 8);
    expect(layout(textTensor)).toEqual([1, 2, 8]);
    expect(only(textTensor, 1).varint).toBe(7n);
    expect(text(textTensor, 8)).toBe('warmup **cosine**');
    expect(text(sub(sub(textValue, 9), 1), 1)).toBe('text');

    // Records 7-9: hparams metadata-only values (torch hparams()): tag + metadata, no value.
    const hparamsContent = (event: WireField[], tag: string) => {
      const value = scalar(event);
      expect(layout(value)).toEqual([1, 9]);
      expect(text(value, 1)).toBe(tag);
      const plugin = sub(sub(value, 9), 1);
      expect(layout(plugin)).toEqual([1, 2]);
      expect(text(plugin, 1)).toBe('hparams');
      return wireFields(only(plugin, 2).bytes!);
    };
    const experiment = hparamsContent(payloads[7]!, '_hparams_/experiment');
    expect(layout(experiment)).toEqual([2]); // version 0 omitted; oneof experiment
    const experimentFields = sub(experiment, 2);
    expect(layout(experimentFields)).toEqual([4, 4, 4, 5]);
    const infos = experimentFields.slice(0, 3).map((field) => wireFields(field.bytes!));
    expect(infos.map((info) => [text(info, 1), only(info, 4).varint])).toEqual([
      ['peakValue', 3n], // FLOAT64
      ['optimizer', 1n], // STRING
      ['nesterov', 2n], // BOOL
    ]);
    expect(text(sub(wireFields(experimentFields[3]!.bytes!), 1), 2)).toBe('hparam/loss');

    const start = hparamsContent(payloads[8]!, '_hparams_/session_start_info');
    expect(layout(start)).toEqual([3]);
    const entries = sub(start, 3).map((entry) => wireFields(entry.bytes!));
    expect(entries.map((entry) => text(entry, 1))).toEqual(['peakValue', 'optimizer', 'nesterov']);
    const values = entries.map((entry) => sub(entry, 2));
    expect(layout(values[0]!)).toEqual([2]);
    expect(f64(values[0]![0]!.bytes!)).toBe(0.1);
    expect(layout(values[1]!)).toEqual([3]);
    expect(utf8(values[1]![0]!.bytes!)).toBe('adam');
    expect(layout(values[2]!)).toEqual([4]);
    expect(values[2]![0]!.varint).toBe(0n);

    const end = hparamsContent(payloads[9]!, '_hparams_/session_end_info');
    expect(layout(end)).toEqual([4]);
    expect(sub(end, 4).map((field) => [field.field, field.varint])).toEqual([[1, 1n]]); // STATUS_SUCCESS

    // Record 10: the metric as a scalar with the metric's tag.
    expect(text(scalar(payloads[10]!), 1)).toBe('hparam/loss');
    expect(scalarValue(scalar(payloads[10]!))).toBe(0.25);
  });
});
