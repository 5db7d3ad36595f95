import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRun } from '@anneal/tensorboard-logger';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report';
import { collect, startDemo } from './helpers/spawn';

describe('Ctrl-C', () => {
  it('stops after the current step, flushes TensorBoard and writes a report marked incomplete (exit 130)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-sigint-'));
    const child = startDemo([
      ...['--env', 'node', '--model', 'mlp', '--batch-size', '64', '--test-samples', '1996'],
      ...['--epochs', '40', '--train-samples', '640', '--out', out],
    ]);
    let sent = false;
    const finished = await collect(child, (stdout, process) => {
      // The first progress line means training has begun (a line every tenth of the run: step 40).
      if (!sent && /tfjs wasm \(node\): epoch \d+\/40 {2}step \d+\/400/.test(stdout)) {
        sent = true;
        process.kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(finished.code).toBe(130);
    expect(finished.stderr).toMatch(/demo: interrupted; finishing the current step/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report).toMatchObject({ complete: false, interrupted: true, totalSteps: 400 });
    expect(report.parity.pass).toBe(false);
    expect(report.parity.reasons).toContain('the demo was interrupted before every run finished.');
    // Only the run in progress is reported; ONNX Runtime never started.
    expect(report.runs.map((run) => run.runtime)).toEqual(['tfjs']);
    const [run] = report.runs;
    expect(run!.completed).toBe(false);
    expect(run!.steps).toBeGreaterThanOrEqual(40);
    expect(run!.steps).toBeLessThan(400);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    const tensorboard = await readRun(join(out, 'tensorboard', 'node-tfjs-wasm'));
    expect(tensorboard.truncatedTails).toEqual([]);
    expect(tensorboard.scalars.batch_loss?.map((point) => point.step)).toEqual(
      run!.losses.map((_, step) => step),
    );
    expect(tensorboard.hparams?.sessionStartInfo?.hparams).toMatchObject({ runtime: 'tfjs' });
  });
});
