import { describe, expect, it } from 'vitest';
import { computeParity, type ParityInput } from '../src/parity';

const schedule = (step: number) => 0.001 * (1 + Math.cos(step / 10));
const learningRates = Array.from({ length: 150 }, (_, step) => Math.fround(schedule(step)));
const losses = Array.from({ length: 150 }, (_, step) => 2 / (1 + step / 20));

function run(runtime: string, changes: Partial<ParityInput> = {}): ParityInput {
  return { runtime, learningRates, losses, testAccuracy: 0.9, completed: true, ...changes };
}

describe('computeParity', () => {
  it('passes identical runs with zero differences', () => {
    const parity = computeParity([run('tfjs'), run('onnxruntime')], schedule);
    expect(parity).toMatchObject({
      learningRateMaxAbsDiff: 0,
      lossMaxAbsDiff: 0,
      lossSteps: 100,
      testAccuracyDiff: 0,
      pass: true,
      reasons: [],
      compared: ['tfjs', 'onnxruntime'],
    });
  });

  it('measures loss differences over the first 100 steps only', () => {
    const shifted = losses.map((loss, step) => loss + (step < 100 ? 4e-4 : 0.5));
    const parity = computeParity([run('tfjs'), run('onnxruntime', { losses: shifted })], schedule);
    expect(parity.lossMaxAbsDiff).toBeCloseTo(4e-4, 12);
    expect(parity.pass).toBe(true);
  });

  it.each([
    [
      'a learning rate one float32 ulp off',
      run('onnxruntime', {
        learningRates: learningRates.map((lr, step) => (step === 7 ? lr * (1 + 2 ** -22) : lr)),
      }),
      /onnxruntime: the learning rate differs from float32\(schedule\(step\)\) by up to [\d.]+e-10\./,
    ],
    [
      'a loss 2e-3 apart at step 50',
      run('onnxruntime', { losses: losses.map((loss, step) => (step === 50 ? loss + 2e-3 : loss)) }),
      /^losses of onnxruntime and tfjs differ by 2\.00e-3 over the first 100 steps \(allowed 0\.001\)\.$/,
    ],
    [
      'a NaN loss',
      run('onnxruntime', { losses: losses.map((loss, step) => (step === 3 ? Number.NaN : loss)) }),
      /^losses of onnxruntime and tfjs differ by NaN/,
    ],
    [
      'test accuracies 1.5 points apart',
      run('onnxruntime', { testAccuracy: 0.915 }),
      /^test accuracies of onnxruntime and tfjs differ by 1\.50 percentage points \(allowed 1\)\.$/,
    ],
    [
      'an unfinished run',
      run('onnxruntime', { completed: false }),
      /^onnxruntime: the run did not complete\.$/,
    ],
  ])('fails on %s', (_name, other, reason) => {
    const parity = computeParity([run('tfjs'), other], schedule);
    expect(parity.pass).toBe(false);
    expect(parity.reasons.some((text) => reason.test(text))).toBe(true);
  });

  it('with one runtime compares only against the schedule', () => {
    const parity = computeParity([run('tfjs')], schedule);
    expect(parity).toMatchObject({ lossMaxAbsDiff: null, testAccuracyDiff: null, pass: true });
  });

  it('fails when no run finished', () => {
    expect(computeParity([], schedule)).toMatchObject({ pass: false, reasons: ['no run finished.'] });
  });
});
