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
import {
  convKernel,
  flattenedDenseKernel,
  fromTfjsWeights,
  initialModelParameters,
  type ModelParameters,
  mlpModelParameters,
  toTfjsWeights,
} from '../src/models';
import { prepareOnnxRuntime } from '../src/runners/onnxruntime-node';
import { prepareTfjs } from '../src/runners/tfjs-node';
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
    parameters: mlpModelParameters(parameters),
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
    check(await runner.logits(mlpModelParameters(parameters), images, count));
    await runner.dispose();
  });

  it('onnxruntime gives the float64 reference logits', async () => {
    const runner = await prepareOnnxRuntime(plan);
    check(await runner.logits(mlpModelParameters(parameters), images, count));
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

describe('the CNN', () => {
  it('draws torch Conv2d/Linear initial weights: ±1/√fanIn with fanIn = in-channels × kernel area', () => {
    const parameters = initialModelParameters('cnn', 42);
    expect(parameters.tensors.map((tensor) => [tensor.name, tensor.shape])).toEqual([
      ['layers.0.weight', [8, 1, 5, 5]],
      ['layers.0.bias', [8]],
      ['layers.3.weight', [16, 8, 5, 5]],
      ['layers.3.bias', [16]],
      ['layers.7.weight', [10, 256]],
      ['layers.7.bias', [10]],
    ]);
    const fanIns = [25, 25, 200, 200, 256, 256];
    for (const [index, tensor] of parameters.tensors.entries()) {
      const bound = Math.fround(1 / Math.sqrt(fanIns[index]!));
      const max = tensor.values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(max).toBeLessThanOrEqual(bound);
      // Only the weights have enough draws to come close to the bound.
      if (tensor.values.length > 100) expect(max).toBeGreaterThan(0.9 * bound);
    }
    expect(initialModelParameters('cnn', 42).tensors[2]!.values).toEqual(parameters.tensors[2]!.values);
  });

  it('maps torch [out, in, kh, kw] kernels to tfjs [kh, kw, in, out] and back', () => {
    const shape = [3, 2, 2, 2];
    const values = Float32Array.from({ length: 24 }, (_, i) => i);
    const kernel = convKernel(values, shape);
    // torch W[o=1][i=0][y=1][x=0] = ((1 * 2 + 0) * 2 + 1) * 2 + 0 = 10 sits at tfjs ((1 * 2 + 0) * 2 + 0) * 3 + 1 = 13.
    expect(kernel[13]).toBe(10);
    expect(Array.from(convKernel(kernel, shape, true))).toEqual(Array.from(values));
  });

  it('maps the dense layer after torch flatten (c, h, w) to tfjs flatten (h, w, c) and back', () => {
    const values = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i); // 2 classes, 3 channels, 2×2
    const kernel = flattenedDenseKernel(values, 2, 3, 2);
    // torch F[o=1][c=2, p=3] = 1 * 12 + 2 * 4 + 3 = 23 sits at tfjs ((3 * 3 + 2) * 2 + 1) = 23 as well; p=1, c=0: 13 → 6 + 1 = 7.
    expect(kernel[(3 * 3 + 2) * 2 + 1]).toBe(23);
    expect(kernel[(1 * 3 + 0) * 2 + 1]).toBe(13);
    expect(Array.from(flattenedDenseKernel(kernel, 2, 3, 2, true))).toEqual(Array.from(values));
    const parameters = initialModelParameters('cnn', 3);
    const roundTrip = fromTfjsWeights(
      parameters,
      toTfjsWeights(parameters).map((weight) => weight.values),
    );
    for (const [index, tensor] of roundTrip.tensors.entries()) {
      expect(tensor.values).toEqual(parameters.tensors[index]!.values);
    }
  });

  it('tfjs (wasm) and ONNX Runtime give the same logits for the same CNN weights', async () => {
    const data = prepareData(loadPackagedMnist(), { seed: 1, batchSize: 8, trainSamples: 16 });
    const parameters: ModelParameters = initialModelParameters('cnn', 5);
    const plan: TrainingPlan = {
      data,
      parameters,
      schedule: defaultSchedule('sgd', 2),
      optimizer: optimizerSettings('sgd'),
      epochs: 1,
      batchSize: 8,
      device: 'cpu',
    };
    const count = 16;
    const images = data.test.images.subarray(0, count * 784);
    const tfjs = await prepareTfjs(plan, 'wasm');
    const onnx = await prepareOnnxRuntime(plan);
    const a = await tfjs.logits(parameters, images, count);
    const b = await onnx.logits(parameters, images, count);
    await onnx.dispose();
    expect(a).toHaveLength(count * 10);
    let worst = 0;
    let spread = 0;
    for (let i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      spread = Math.max(spread, Math.abs(a[i]! - a[0]!));
    }
    // Same layout on both sides: float32 rounding only; a transposed kernel would differ by ~spread.
    expect(spread).toBeGreaterThan(0.01);
    expect(worst).toBeLessThan(1e-5);
  });
});
