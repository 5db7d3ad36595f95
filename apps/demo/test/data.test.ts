import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError, loadIdxMnist, loadPackagedMnist, parseIdx, prepareData } from '../src/data';
import { createRandom, permutation } from '../src/random';
import { idx } from './helpers/idx';

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

describe('damaged IDX files (--data): one line naming the file and what is wrong', () => {
  const count = 30;
  const pixels = () => new Uint8Array(count * 784).map((_, i) => (i * 7) % 256);
  const labels = (n = count) => new Uint8Array(n).map((_, i) => i % 10);
  const trainImages = 'train-images-idx3-ubyte';
  const trainLabels = 'train-labels-idx1-ubyte';
  const validImages = () => idx(8, [count, 28, 28], pixels());
  const gz = gzipSync(validImages());

  /** A complete, valid directory whose `name` is then replaced by `bytes` (gzipped names end in .gz). */
  function directoryWith(name: string, bytes: Uint8Array): string {
    const directory = mkdtempSync(join(tmpdir(), 'demo-idx-bad-'));
    const write = (file: string, content: Uint8Array) => writeFileSync(join(directory, file), content);
    write(trainImages, validImages());
    write(trainLabels, idx(8, [count], labels()));
    write('t10k-images-idx3-ubyte', idx(8, [count, 28, 28], pixels()));
    write('t10k-labels-idx1-ubyte', idx(8, [count], labels()));
    if (name.endsWith('.gz')) rmSync(join(directory, name.slice(0, -3)));
    write(name, bytes);
    return directory;
  }

  it.each([
    [
      'a .gz that is not gzip (a plain IDX file renamed)',
      `${trainImages}.gz`,
      validImages(),
      (path: string) =>
        `--data: ${path} is not gzip data: expected the gzip magic 0x1f 0x8b; received 0x00 0x00.`,
    ],
    [
      'a truncated .gz',
      `${trainImages}.gz`,
      gz.subarray(0, gz.length >> 1),
      (path: string) =>
        `--data: ${path} is truncated: the gzip stream ends early (zlib: unexpected end of file).`,
    ],
    [
      'a corrupt .gz (bad deflate block)',
      `${trainImages}.gz`,
      Buffer.concat([gz.subarray(0, 10), Buffer.from([0xff, 0xff, 0xff, 0xff])]),
      (path: string) => `--data: ${path} is corrupt gzip data (zlib: invalid block type).`,
    ],
    [
      'a corrupt .gz (checksum mismatch)',
      `${trainImages}.gz`,
      Buffer.concat([gz.subarray(0, gz.length - 8), Buffer.from([1, 2, 3, 4]), gz.subarray(gz.length - 4)]),
      (path: string) => `--data: ${path} is corrupt gzip data (zlib: incorrect data check).`,
    ],
    ['an empty .gz', `${trainImages}.gz`, new Uint8Array(0), (path: string) => `--data: ${path} is empty.`],
    ['an empty plain file', trainLabels, new Uint8Array(0), (path: string) => `--data: ${path} is empty.`],
    [
      'a gzipped file with the wrong IDX magic',
      `${trainImages}.gz`,
      gzipSync(Buffer.from('PK\u0003\u0004 not an idx file')),
      (path: string) => `--data: ${path}: not an IDX file (bad magic number).`,
    ],
    [
      'a truncated plain IDX file',
      trainImages,
      validImages().subarray(0, 4000),
      (path: string) => `--data: ${path}: expected ${count * 784} data bytes; received ${4000 - 16}.`,
    ],
    [
      'an IDX file with bytes after its data',
      trainImages,
      Buffer.concat([validImages(), Buffer.from([1, 2, 3])]),
      (path: string) => `--data: ${path}: expected ${count * 784} data bytes; received ${count * 784 + 3}.`,
    ],
    [
      'images of the wrong dimensions',
      trainImages,
      idx(8, [count * 2, 14, 28], pixels()),
      (path: string) => `--data: ${path}: expected [count, 28, 28] images; received [60, 14, 28].`,
    ],
    [
      'no images',
      trainImages,
      idx(8, [0, 28, 28], new Uint8Array(0)),
      (path: string) => `--data: ${path}: expected at least 1 image; received [0, 28, 28].`,
    ],
    [
      'fewer labels than images',
      trainLabels,
      idx(8, [count - 1], labels(count - 1)),
      (path: string, directory: string) =>
        `--data: ${path}: expected [${count}] labels (one per image in ${join(directory, trainImages)}); received [${count - 1}].`,
    ],
  ])('%s', (_, name, bytes, message) => {
    const directory = directoryWith(name, bytes);
    const expected = message(join(directory, name), directory);
    expect(expected).not.toMatch(/\n/);
    expect(() => loadIdxMnist(directory)).toThrow(new DataError(expected));
  });

  it('reports a file it cannot read (a folder in its place) as a DataError naming it', () => {
    const directory = directoryWith(trainLabels, labels());
    rmSync(join(directory, trainLabels));
    mkdirSync(join(directory, trainLabels));
    let caught: unknown;
    try {
      loadIdxMnist(directory);
    } catch (error) {
      caught = error;
    }
    expect(DataError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(
      `--data: cannot read ${join(directory, trainLabels)}: EISDIR: illegal operation on a directory, read`,
    );
  });

  it('still reads the valid directory the cases above start from', () => {
    expect(loadIdxMnist(directoryWith(`${trainImages}.gz`, gz)).train.count).toBe(count);
  });
});
