import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fromAnyConfig } from '@anneal/core/reference';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report';
import { demoRoot, runDemoProcess } from './helpers/spawn';

const readReport = (out: string) => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
// The MLP in Node only, in batches of 64: these tests are about the flags, not the browser runs.
const small = [
  '--env',
  'node',
  '--model',
  'mlp',
  '--batch-size',
  '64',
  '--epochs',
  '1',
  '--train-samples',
  '640',
];

describe('flags that change the run', () => {
  it('--device gpu falls back to the CPU in both runtimes with a clear message', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-gpu-'));
    const result = await runDemoProcess(['--device', 'gpu', '--optimizer', 'sgd', ...small, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /tfjs: --device gpu needs @tensorflow\/tfjs-node-gpu, which is not installed; using the wasm backend on the CPU\./,
    );
    expect(result.stdout).toMatch(
      /onnxruntime: --device gpu needs the CUDA execution provider .* training on the CPU\./,
    );
    const report = readReport(out);
    expect(report.runs.map((run) => [run.runtime, run.backend, run.device])).toEqual([
      ['tfjs', 'wasm', 'cpu'],
      ['onnxruntime', 'cpu', 'cpu'],
    ]);
    expect(report.runs.every((run) => run.notes.length === 1)).toBe(true);
    expect(report.optimizer).toEqual({
      name: 'sgd',
      momentumFactor: 0.9,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
  });

  it('--schedule takes a reference config (torch OneCycleLR) and both runtimes follow it exactly', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-schedule-'));
    const file = join(demoRoot, 'examples', 'torch-onecycle.json');
    const result = await runDemoProcess([
      '--schedule',
      file,
      '--optimizer',
      'momentum',
      ...small,
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const report = readReport(out);
    const schedule = fromAnyConfig(JSON.parse(readFileSync(file, 'utf8')));
    expect(report.schedule.description).toBe(`From ${file}.`);
    expect(report.schedule.config).toEqual(JSON.parse(JSON.stringify(schedule.config)));
    for (const run of report.runs) {
      expect(run.learningRates).toEqual(run.learningRates.map((_, step) => Math.fround(schedule(step))));
    }
    expect(report.parity.pass).toBe(true);
  });

  it('--data trains on IDX files (gzipped here), keeping their train/test split (with Adam)', async () => {
    const data = mkdtempSync(join(tmpdir(), 'demo-idx-run-'));
    const write = (name: string, dims: number[], bytes: Uint8Array) => {
      const header = Buffer.alloc(4 + 4 * dims.length);
      header[2] = 0x08;
      header[3] = dims.length;
      for (const [i, dim] of dims.entries()) header.writeUInt32BE(dim, 4 + 4 * i);
      writeFileSync(join(data, `${name}.gz`), gzipSync(Buffer.concat([header, Buffer.from(bytes)])));
    };
    // Digit d is a bright horizontal band at rows 2d..2d+2: learnable, so accuracy must rise.
    const images = (count: number) => {
      const pixels = new Uint8Array(count * 784);
      for (let n = 0; n < count; n++) {
        const d = n % 10;
        for (let p = 0; p < 784; p++)
          pixels[n * 784 + p] = Math.floor(p / 28) >> 1 === d ? 255 : (n * 31 + p * 7) % 40;
      }
      return pixels;
    };
    const labels = (count: number) => Uint8Array.from({ length: count }, (_, n) => n % 10);
    write('train-images-idx3-ubyte', [300, 28, 28], images(300));
    write('train-labels-idx1-ubyte', [300], labels(300));
    write('t10k-images-idx3-ubyte', [50, 28, 28], images(50));
    write('t10k-labels-idx1-ubyte', [50], labels(50));
    const out = mkdtempSync(join(tmpdir(), 'demo-idx-out-'));
    const result = await runDemoProcess([
      ...['--env', 'node', '--model', 'mlp'],
      '--data',
      data,
      '--optimizer',
      'adam',
      '--epochs',
      '3',
      '--batch-size',
      '30',
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const report = readReport(out);
    expect(report.data).toEqual({
      source: `IDX files in ${data}`,
      trainSamples: 300,
      testSamples: 50,
      stepsPerEpoch: 10,
    });
    for (const run of report.runs) expect(run.testAccuracy).toBeGreaterThan(0.9);
    expect(report.parity.pass).toBe(true);
  });

  it('--runtimes picks one runtime; parity then checks the learning rate against the schedule only', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-one-'));
    const result = await runDemoProcess([
      '--runtimes',
      'onnxruntime',
      '--tfjs-backend',
      'cpu',
      ...small,
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const report = readReport(out);
    expect(report.runs.map((run) => run.runtime)).toEqual(['onnxruntime']);
    expect(report.parity).toMatchObject({
      learningRateMaxAbsDiff: 0,
      lossMaxAbsDiff: null,
      testAccuracyDiff: null,
      pass: true,
    });
    expect(result.stdout).toMatch(/loss max \|Δ\|, CPU runs \(first 10 steps\)\s+— \(one CPU run\)/);
  });
});
