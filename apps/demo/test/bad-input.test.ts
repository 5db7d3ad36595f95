import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { idx } from './helpers/idx';
import { runDemoProcess } from './helpers/spawn';

const scratch = mkdtempSync(join(tmpdir(), 'demo-bad-input-'));
const file = (name: string, content: string) => {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
};
const notJson = file('not-json.json', '{ "type": "warmupCosineDecay", ');
const invalidConfig = file(
  'invalid.json',
  JSON.stringify({ type: 'warmupCosineDecay', peakValue: -1, totalSteps: 100, warmupSteps: 200 }),
);
const unknownType = file('unknown.json', JSON.stringify({ type: 'sawtooth', peakValue: 1 }));
const aFile = file('a-file', 'not a folder');

describe('bad input exits with code 2 before training, with a clear message', () => {
  it.each([
    [['--epochs', 'many'], /demo: --epochs must be an integer >= 1; received "many"\./],
    [['--frobnicate'], /demo: unknown option "--frobnicate" \(see --help\)\.[\s\S]*Usage:/],
    [['--runtimes', 'pytorch'], /--runtimes must list names from tfjs, onnxruntime; received "pytorch"\./],
    [['--optimizer', 'lamb'], /--optimizer must be one of sgd, momentum, adam; received "lamb"\./],
    [['--schedule', join(scratch, 'missing.json')], /--schedule: cannot read .*missing\.json: ENOENT/],
    [['--schedule', notJson], /--schedule: .*not-json\.json is not valid JSON/],
    [
      ['--schedule', invalidConfig],
      /--schedule: .*invalid\.json is not a valid schedule config: warmupCosineDecay: .*peakValue/,
    ],
    [
      ['--schedule', unknownType],
      /--schedule: .*unknown\.json is not a valid schedule config: .*type.*"sawtooth"/,
    ],
    [['--out', join(aFile, 'run')], /--out: cannot write to .*a-file\/run: ENOTDIR/],
    [
      ['--runtimes', 'tfjs', '--tfjs-backend', 'tensorflow'],
      /--tfjs-backend tensorflow needs @tensorflow\/tfjs-node, which is not installed/,
    ],
    [
      ['--data', join(scratch, 'no-mnist-here')],
      /--data: .*train-images-idx3-ubyte \(or .*\.gz\) not found\./,
    ],
    [['--batch-size', '20000'], /--batch-size 20000 exceeds the 1600 training samples available\./],
    // Every row runs with --env node: a browser backend alone leaves nothing to train.
    [
      ['--backends', 'webgl'],
      /demo: no run selected: --env node with --backends webgl and --runtimes tfjs,onnxruntime leave nothing to train\./,
    ],
  ])('%j', async (args, message) => {
    const out = join(scratch, `out-${Math.random().toString(36).slice(2)}`);
    const result = await runDemoProcess([
      '--env',
      'node',
      ...args,
      ...(args.includes('--out') ? [] : ['--out', out]),
    ]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.stdout).not.toMatch(/epoch 1\//);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
  });

  it('--help prints the usage and exits 0', async () => {
    const result = await runDemoProcess(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--tfjs-backend <name>/);
  });
});

describe('damaged --data files exit with code 2 before training, with one line naming the file', () => {
  /** A --data folder holding the four IDX files (gzipped), the training images' replaced by `images`. */
  function dataFolder(name: string, images: Uint8Array): string {
    const directory = join(scratch, name);
    mkdirSync(directory);
    const gzipIdx = (dims: number[], data: Uint8Array) => gzipSync(idx(8, dims, data));
    writeFileSync(join(directory, 'train-labels-idx1-ubyte.gz'), gzipIdx([64], new Uint8Array(64)));
    writeFileSync(
      join(directory, 't10k-images-idx3-ubyte.gz'),
      gzipIdx([8, 28, 28], new Uint8Array(8 * 784)),
    );
    writeFileSync(join(directory, 't10k-labels-idx1-ubyte.gz'), gzipIdx([8], new Uint8Array(8)));
    writeFileSync(join(directory, 'train-images-idx3-ubyte.gz'), images);
    return directory;
  }
  const valid = gzipSync(idx(8, [64, 28, 28], new Uint8Array(64 * 784).fill(9)));
  const images = 'train-images-idx3-ubyte.gz';
  const labels = 'train-labels-idx1-ubyte.gz';

  it.each([
    ['corrupt', Buffer.from('this is not gzip at all'), images, /is not gzip data: expected the gzip magic/],
    ['truncated', valid.subarray(0, valid.length >> 1), images, /is truncated: the gzip stream ends early/],
    ['empty', new Uint8Array(0), images, /is empty\./],
    [
      'wrong-magic',
      gzipSync(Buffer.from('not an IDX file')),
      images,
      /: not an IDX file \(bad magic number\)\./,
    ],
    [
      'mismatched-count',
      gzipSync(idx(8, [63, 28, 28], new Uint8Array(63 * 784))),
      labels,
      /: expected \[63\] labels \(one per image in .*train-images-idx3-ubyte\.gz\); received \[64\]\./,
    ],
  ])('%s', async (name, bytes, named, what) => {
    const directory = dataFolder(name, bytes);
    const out = join(scratch, `out-${name}`);
    const result = await runDemoProcess(['--env', 'node', '--data', directory, '--out', out, '--quick']);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(`demo: --data: ${join(directory, named)}`)).toBe(true);
    expect(result.stderr).toMatch(what);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).not.toMatch(/epoch 1\//);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
  });
});
