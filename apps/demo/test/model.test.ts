import { describe, expect, it } from 'vitest';
import { loadPackagedMnist, prepareData } from '../src/data';
import {
  fromDenseKernel,
  initialParameters,
  type MlpParameters,
  referenceLogits,
  toDenseKernel,
  transpose,
} from '../src/model';
import { prepareOnnxRuntime } from '../src/runners/onnxruntime';
import { prepareTfjs } from '../src/runners/tfjs';
import { optimizerSettings, type TrainingPlan } from '../src/runners/types';
import { defaultSchedule } from '../src/schedule';

describe('initialParameters', () => {
  it('depends only on the seed and follows torch.nn.Linear bounds (±1/√fanIn)', () => {
    const a = initialParameters(42);
    const b = initialParameters(42);
    const c = initialParameters(43);
    expect(Array.from(a.w1.subarray(0, 50))).toEqual(Array.from(b.w1.subarray(0, 50)));
    expect(Array.from(a.w2)).toEqual(Array.from(b.w2));
    expect(Array.from(a.w1.subarray(0, 50))).not.toEqual(Array.from(c.w1.subarray(0, 50)));
    expect(a.w1).toHaveLength(128 * 784);
    expect(a.b1).toHaveLength(128);
    expect(a.w2).toHaveLength(10 * 128);
    expect(a.b2).toHaveLength(10);
    const bound = (fanIn: number) => Math.fround(1 / Math.sqrt(fanIn));
    for (const [values, fanIn] of [
      [a.w1, 784],
      [a.b1, 784],
      [a.w2, 128],
      [a.b2, 128],
    ] as const) {
      const max = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(max).toBeLessThanOrEqual(bound(fanIn));
      expect(max).toBeGreaterThan(0.9 * bound(fanIn));
    }
  });
});

describe('layouts', () => {
  it('transposes row-major matrices', () => {
    // [[1, 2, 3], [4, 5, 6]] → [[1, 4], [2, 5], [3, 6]]
    expect(Array.from(transpose(Float32Array.of(1, 2, 3, 4, 5, 6), 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(() => transpose(new Float32Array(5), 2, 3)).toThrow(
      'transpose: expected 2×3 = 6 values; received 5.',
    );
  });

  it('maps a torch [out, in] weight to a tfjs [in, out] kernel and back', () => {
    const outUnits = 3;
    const inUnits = 4;
    const weight = Float32Array.from({ length: 12 }, (_, i) => i + 1);
    const kernel = toDenseKernel(weight, outUnits, inUnits);
    for (let o = 0; o < outUnits; o++) {
      for (let i = 0; i < inUnits; i++) expect(kernel[i * outUnits + o]).toBe(weight[o * inUnits + i]);
    }
    expect(Array.from(fromDenseKernel(kernel, inUnits, outUnits))).toEqual(Array.from(weight));
  });
});

describe('both runtimes read the same weights the same way', () => {
  const split = loadPackagedMnist();
  const data = prepareData(split, { seed: 1, batchSize: 32, trainSamples: 64 });
  // Trained-looking weights with structure in every row and column (not just the small init).
  const base = initialParameters(7);
  const parameters: MlpParameters = {
    ...base,
    w1: base.w1.map((v, i) => v * 4 + (i % 784) * 1e-4),
    b2: base.b2.map((v, i) => v + i * 0.1),
  };
  const plan: TrainingPlan = {
    data,
    parameters,
    schedule: defaultSchedule('sgd', 10),
    optimizer: optimizerSettings('sgd'),
    epochs: 1,
    batchSize: 32,
    device: 'cpu',
  };
  const count = 32;
  const images = data.test.images.subarray(0, count * 784);
  const expected = referenceLogits(parameters, images, count);

  const check = (logits: Float32Array) => {
    expect(logits).toHaveLength(count * 10);
    let worst = 0;
    for (let i = 0; i < logits.length; i++) {
      worst = Math.max(worst, Math.abs(logits[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
    }
    // float32 sums of 784 products against a float64 reference.
    expect(worst).toBeLessThan(1e-5);
  };

  it.each(['wasm', 'cpu'] as const)('tfjs (%s) gives the float64 reference logits', async (backend) => {
    const runner = await prepareTfjs(plan, backend);
    check(await runner.logits(parameters, images, count));
    await runner.dispose();
  });

  it('onnxruntime gives the float64 reference logits', async () => {
    const runner = await prepareOnnxRuntime(plan);
    check(await runner.logits(parameters, images, count));
    await runner.dispose();
  });

  it('a kernel loaded without transposing would be caught', () => {
    // The same buffer read as [in, out] instead of [out, in]: the logits change completely.
    const wrong: MlpParameters = { ...parameters, w1: fromDenseKernel(parameters.w1, 128, 784) };
    const logits = referenceLogits(wrong, images, count);
    let worst = 0;
    for (let i = 0; i < logits.length; i++) worst = Math.max(worst, Math.abs(logits[i]! - expected[i]!));
    expect(worst).toBeGreaterThan(0.1);
  });
});
