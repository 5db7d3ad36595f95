import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
    [['--batch-size', '20000'], /--batch-size 20000 exceeds the 8004 training samples available\./],
  ])('%j', async (args, message) => {
    const out = join(scratch, `out-${Math.random().toString(36).slice(2)}`);
    const result = await runDemoProcess([...args, ...(args.includes('--out') ? [] : ['--out', out])]);
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
