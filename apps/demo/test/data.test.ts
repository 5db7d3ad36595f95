import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError, loadIdxMnist, loadPackagedMnist, parseIdx, prepareData } from '../src/data';
import { createRandom, permutation } from '../src/random';

const split = loadPackagedMnist();

function checksum(values: ArrayLike<number>): number {
  let hash = 0;
  for (let i = 0; i < values.length; i++) hash = (hash * 31 + Math.round(values[i]! * 1000)) >>> 0;
  return hash;
}

describe('loadPackagedMnist', () => {
  it('splits the 10,000 packaged digits into 8,004 training and 1,996 test samples, every fifth to test', () => {
    expect(split.train.count + split.test.count).toBe(10_000);
    expect(split.test.count).toBe(1996);
    expect(split.train.images.length).toBe(split.train.count * 784);
    expect(split.test.labels.length).toBe(split.test.count);
  });

  it('is deterministic: two loads give identical arrays', () => {
    const again = loadPackagedMnist();
    expect(checksum(again.train.images)).toBe(checksum(split.train.images));
    expect(Array.from(again.test.labels)).toEqual(Array.from(split.test.labels));
  });

  it('keeps pixels in [0, 1], labels in 0..9, and every digit in both sets', () => {
    for (const set of [split.train, split.test]) {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const value of set.images) {
        if (value < min) min = value;
        if (value > max) max = value;
      }
      expect(min).toBe(0);
      expect(max).toBeLessThanOrEqual(1);
      expect(max).toBeGreaterThan(0.9);
      const counts = new Array(10).fill(0);
      for (const label of set.labels) counts[label]++;
      expect(counts.every((count) => count > 150)).toBe(true);
    }
  });

  it('puts no image in both sets', () => {
    const key = (images: Float32Array, n: number) => checksum(images.subarray(n * 784, (n + 1) * 784));
    const train = new Set(Array.from({ length: split.train.count }, (_, n) => key(split.train.images, n)));
    let shared = 0;
    for (let n = 0; n < split.test.count; n++) if (train.has(key(split.test.images, n))) shared++;
    // A handful of MNIST digits are near-duplicates at 3 decimals; the split itself shares no index.
    expect(shared).toBeLessThan(5);
  });
});

describe('prepareData', () => {
  it('gives the same shuffled batches for the same seed and different ones for another seed', () => {
    const a = prepareData(split, { seed: 42, batchSize: 64 });
    const b = prepareData(split, { seed: 42, batchSize: 64 });
    const c = prepareData(split, { seed: 43, batchSize: 64 });
    expect(Array.from(a.train.labels)).toEqual(Array.from(b.train.labels));
    expect(checksum(a.train.images)).toBe(checksum(b.train.images));
    expect(Array.from(a.train.labels)).not.toEqual(Array.from(c.train.labels));
  });

  it('keeps whole batches only and honours trainSamples', () => {
    const all = prepareData(split, { seed: 1, batchSize: 64 });
    expect(all.stepsPerEpoch).toBe(Math.floor(split.train.count / 64));
    expect(all.train.count).toBe(all.stepsPerEpoch * 64);
    const some = prepareData(split, { seed: 1, batchSize: 50, trainSamples: 1020 });
    expect(some.stepsPerEpoch).toBe(20);
    expect(some.train.count).toBe(1000);
    // The subset is a prefix of the same shuffled order.
    const full = prepareData(split, { seed: 1, batchSize: 50 });
    expect(Array.from(some.train.labels)).toEqual(Array.from(full.train.labels.subarray(0, 1000)));
  });

  it('refuses a batch larger than the data', () => {
    expect(() => prepareData(split, { seed: 1, batchSize: 500, trainSamples: 100 })).toThrow(
      new DataError('--batch-size 500 exceeds the 100 training samples available.'),
    );
  });
});

describe('permutation', () => {
  it('is a permutation and depends only on the seed', () => {
    const order = permutation(1000, createRandom(5));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(permutation(1000, createRandom(5)))).toEqual(Array.from(order));
  });
});

function idx(type: number, dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  for (const [i, dim] of dims.entries()) header.writeUInt32BE(dim, 4 + 4 * i);
  return Buffer.concat([header, Buffer.from(data)]);
}

describe('IDX files (--data)', () => {
  function writeSet(directory: string, prefix: string, count: number, gzip: boolean) {
    const pixels = new Uint8Array(count * 784).map((_, i) => (i * 7) % 256);
    const labels = new Uint8Array(count).map((_, i) => i % 10);
    const write = (name: string, bytes: Buffer) =>
      gzip
        ? writeFileSync(join(directory, `${name}.gz`), gzipSync(bytes))
        : writeFileSync(join(directory, name), bytes);
    write(`${prefix}-images-idx3-ubyte`, idx(8, [count, 28, 28], pixels));
    write(`${prefix}-labels-idx1-ubyte`, idx(8, [count], labels));
  }

  it('reads plain and gzipped files and scales pixels to [0, 1]', () => {
    const directory = mkdtempSync(join(tmpdir(), 'demo-idx-'));
    writeSet(directory, 'train', 30, false);
    writeSet(directory, 't10k', 12, true);
    const data = loadIdxMnist(directory);
    expect(data.train.count).toBe(30);
    expect(data.test.count).toBe(12);
    expect(data.train.images[1]).toBeCloseTo(7 / 255, 7);
    expect(data.train.images[40]).toBeCloseTo(((40 * 7) % 256) / 255, 7);
    expect(Array.from(data.test.labels.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  });

  it('names the missing file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'demo-idx-'));
    expect(() => loadIdxMnist(directory)).toThrow(
      new DataError(
        `--data: ${join(directory, 'train-images-idx3-ubyte')} (or ${join(directory, 'train-images-idx3-ubyte')}.gz) not found.`,
      ),
    );
  });

  it.each([
    [Buffer.from([1, 2, 3, 4]), 'x: not an IDX file (bad magic number).'],
    [idx(0x0d, [1], new Uint8Array(4)), 'x: expected unsigned byte data (type 0x08); received 0xd.'],
    [Buffer.from([0, 0, 8, 2, 0, 0]), 'x: truncated header.'],
    [idx(8, [4, 2], new Uint8Array(5)), 'x: expected 8 data bytes; received 5.'],
  ])('rejects malformed IDX bytes (%#)', (bytes, message) => {
    expect(() => parseIdx(bytes, 'x')).toThrow(new DataError(message));
  });
});
