import { mkdtemp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { constant, custom, toSchedule, warmupCosineDecay } from '@anneal/core';
import { Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildTrainingGraph } from '../src/graph/build';
import type { OptimizerSpec, TrainingGraphOptions } from '../src/graph/spec';
import { initParameters } from '../src/init';
import { createTrainer } from '../src/node/trainer';
import { GraphBuilder } from '../src/onnx/graph-builder';
import { temporaryDirectory } from './helpers';
import { blobs, patches } from './problems';

const directory = temporaryDirectory('anneal-ort-');

/** A graph whose loss output is its learning_rate input and whose parameter accumulates it. */
function learningRateEcho(dtype: 'float32' | 'float64') {
  const g = new GraphBuilder('echo', dtype);
  g.input('w', dtype, [1]);
  g.input('x', dtype, ['batch', 1]);
  g.input('y', dtype, ['batch', 1]);
  g.input('learning_rate', dtype, []);
  g.output('learning_rate', 'loss', dtype, []);
  g.output(g.op('Add', ['w', 'learning_rate']), 'w.next', dtype, [1]);
  return g.encode();
}

const mlp = (optimizer: OptimizerSpec, dtype: 'float32' | 'float64' = 'float32'): TrainingGraphOptions => ({
  inputShape: [4],
  layers: [{ type: 'dense', units: 16 }, { type: 'relu' }, { type: 'dense', units: 3 }],
  loss: 'softmaxCrossEntropy',
  optimizer,
  dtype,
});

describe('the learning rate fed at step k', () => {
  const schedules = {
    warmupCosineDecay: warmupCosineDecay({
      peakValue: 0.1,
      warmupSteps: 7,
      totalSteps: 40,
      finalValue: 1e-4,
    }),
    'a custom function': custom((step) => 0.3 / (1 + step) + 1e-7 * step),
  };
  it.each(Object.entries(schedules))(
    'equals Math.fround(schedule(k)) in float32 graphs: %s',
    async (_name, schedule) => {
      const trainer = await createTrainer({
        model: learningRateEcho('float32'),
        schedule,
        parameters: { w: [0] },
      });
      let sum = 0;
      for (let k = 0; k < 45; k++) {
        const fed = await trainer.step(new Float32Array([1]), new Float32Array([1]));
        expect(fed).toBe(Math.fround(schedule(k)));
        expect(trainer.learningRate(k)).toBe(Math.fround(schedule(k)));
        sum = Math.fround(sum + Math.fround(schedule(k)));
        expect(trainer.currentStep).toBe(k + 1);
      }
      expect(trainer.parameters().w![0]).toBe(sum);
      await trainer.release();
    },
  );

  it('equals schedule(k) exactly in float64 graphs', async () => {
    const schedule = schedules.warmupCosineDecay;
    await using trainer = await createTrainer({
      model: learningRateEcho('float64'),
      schedule,
      parameters: { w: new Float64Array([0]) },
    });
    for (let k = 0; k < 45; k++) {
      expect(await trainer.step(new Float64Array([1]), new Float64Array([1]))).toBe(schedule(k));
    }
  });

  it('accepts a schedule config and resumes counting after load', async () => {
    const config = { type: 'warmupCosineDecay', peakValue: 0.5, warmupSteps: 3, totalSteps: 10 };
    const schedule = toSchedule(config);
    const trainer = await createTrainer({
      model: learningRateEcho('float32'),
      schedule: config,
      parameters: { w: [0] },
    });
    for (let k = 0; k < 4; k++) await trainer.step([1], [1]);
    const path = join(directory, 'echo.ckpt');
    await trainer.save(path);
    const resumed = await createTrainer({
      model: learningRateEcho('float32'),
      schedule: config,
      parameters: { w: [0] },
    });
    await resumed.load(path);
    expect(resumed.currentStep).toBe(4);
    for (let k = 4; k < 10; k++) expect(await resumed.step([1], [1])).toBe(Math.fround(schedule(k)));
    await trainer.release();
    await resumed.release();
  });
});

describe('resume', () => {
  const cases: [string, OptimizerSpec, 'float32' | 'float64'][] = [
    ['Adam, float32', { type: 'adam' }, 'float32'],
    [
      'SGD with momentum and dampening, float32',
      { type: 'sgd', momentum: 0.9, dampening: 0.1, weightDecay: 1e-3 },
      'float32',
    ],
    ['AdamW, float64', { type: 'adamw' }, 'float64'],
  ];
  it.each(cases)(
    'N steps + save + load + M steps equals N + M steps exactly (%s)',
    async (_name, optimizer, dtype) => {
      const graph = buildTrainingGraph(mlp(optimizer, dtype));
      const schedule = warmupCosineDecay({ peakValue: 0.05, warmupSteps: 3, totalSteps: 12 });
      const data = blobs(96, 5);
      const x = dtype === 'float64' ? Float64Array.from(data.x) : data.x;
      const batch = (k: number) => ({
        x: x.subarray((k % 6) * 64, (k % 6) * 64 + 64),
        y: data.y.subarray((k % 6) * 16, (k % 6) * 16 + 16),
      });
      const fresh = () =>
        createTrainer({ model: graph, schedule, parameters: initParameters({ graph, seed: 11 }) });
      const straight = await fresh();
      const straightLosses: number[] = [];
      for (let k = 0; k < 12; k++) straightLosses.push(await straight.step(batch(k).x, batch(k).y));

      const first = await fresh();
      const losses: number[] = [];
      for (let k = 0; k < 5; k++) losses.push(await first.step(batch(k).x, batch(k).y));
      const path = join(directory, `resume-${optimizer.type}-${dtype}.ckpt`);
      await first.save(path);
      await first.release();
      const second = await createTrainer({
        model: graph,
        schedule,
        parameters: initParameters({ graph, seed: 99 }),
      });
      await second.load(path);
      expect(second.currentStep).toBe(5);
      for (let k = 5; k < 12; k++) losses.push(await second.step(batch(k).x, batch(k).y));

      expect(losses).toEqual(straightLosses);
      const a = straight.parameters();
      const b = second.parameters();
      for (const name of Object.keys(a)) expect(Array.from(b[name]!)).toEqual(Array.from(a[name]!));
      const sa = straight.optimizerState();
      const sb = second.optimizerState();
      expect(Object.keys(sa).length).toBe(graph.state.length);
      for (const name of Object.keys(sa)) expect(Array.from(sb[name]!)).toEqual(Array.from(sa[name]!));
      await straight.release();
      await second.release();
    },
  );
});

describe('training reduces the loss', () => {
  const cases: [string, OptimizerSpec, number][] = [
    ['SGD', { type: 'sgd' }, 0.2],
    ['SGD with weight decay', { type: 'sgd', weightDecay: 1e-3 }, 0.2],
    ['momentum', { type: 'sgd', momentum: 0.9 }, 0.05],
    ['Nesterov momentum', { type: 'sgd', momentum: 0.9, nesterov: true }, 0.05],
    ['momentum with dampening', { type: 'sgd', momentum: 0.9, dampening: 0.5 }, 0.05],
    ['Adam', { type: 'adam' }, 0.02],
    ['AdamW', { type: 'adamw', weightDecay: 0.01 }, 0.02],
  ];
  it.each(cases)('%s on three Gaussian blobs', async (_name, optimizer, peakValue) => {
    const graph = buildTrainingGraph(mlp(optimizer));
    const { x, y } = blobs(240, 3);
    await using trainer = await createTrainer({
      model: graph,
      schedule: warmupCosineDecay({ peakValue, warmupSteps: 10, totalSteps: 150 }),
      parameters: initParameters({ graph, seed: 1 }),
    });
    const before = await trainer.evaluate(x, y);
    for (let k = 0; k < 150; k++) {
      const start = (k % 10) * 24;
      await trainer.step(x.subarray(start * 4, (start + 24) * 4), y.subarray(start, start + 24));
    }
    const after = await trainer.evaluate(x, y);
    expect(after.loss).toBeLessThan(0.35 * before.loss);
    expect(after.accuracy).toBeGreaterThan(0.9);
  });

  it('a small CNN (conv2d, maxPool2d) learns where the bright patch is', async () => {
    const graph = buildTrainingGraph({
      inputShape: [1, 6, 6],
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
        { type: 'relu' },
        { type: 'maxPool2d', poolSize: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 2 },
      ],
      loss: 'softmaxCrossEntropy',
      optimizer: { type: 'adam' },
    });
    const { x, y } = patches(128, 4);
    await using trainer = await createTrainer({
      model: graph,
      schedule: constant({ value: 0.01 }),
      parameters: initParameters({ graph, seed: 2 }),
    });
    const before = await trainer.evaluate(x, y);
    for (let k = 0; k < 80; k++) {
      const start = (k % 8) * 16;
      await trainer.step(x.subarray(start * 36, (start + 16) * 36), y.subarray(start, start + 16));
    }
    const after = await trainer.evaluate(x, y);
    expect(after.loss).toBeLessThan(0.3 * before.loss);
    expect(after.accuracy).toBe(1);
  });

  it('mean squared error regression with tanh and gelu (float64)', async () => {
    const graph = buildTrainingGraph({
      inputShape: [2],
      layers: [
        { type: 'dense', units: 16 },
        { type: 'tanh' },
        { type: 'dense', units: 8 },
        { type: 'gelu' },
        { type: 'dense', units: 1 },
      ],
      loss: 'meanSquaredError',
      optimizer: { type: 'adam' },
      dtype: 'float64',
    });
    const n = 64;
    const x = new Float64Array(n * 2);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = Math.cos(i);
      x[2 * i + 1] = Math.sin(3 * i);
      y[i] = x[2 * i]! * x[2 * i + 1]! + 0.5 * x[2 * i]!;
    }
    await using trainer = await createTrainer({
      model: graph,
      schedule: constant({ value: 0.01 }),
      parameters: initParameters({ graph, seed: 3 }),
    });
    const before = (await trainer.evaluate(x, y)).loss;
    for (let k = 0; k < 200; k++) await trainer.step(x, y);
    const after = await trainer.evaluate(x, y);
    expect(after.accuracy).toBeUndefined();
    expect(after.loss).toBeLessThan(0.1 * before);
  });
});

describe('trainer behaviour', () => {
  it('evaluate gives the loss the next step reports, and accuracy/logits consistent with it', async () => {
    const graph = buildTrainingGraph(mlp({ type: 'adam' }));
    const { x, y } = blobs(30, 8);
    await using trainer = await createTrainer({
      model: graph,
      schedule: constant({ value: 0.01 }),
      parameters: initParameters({ graph, seed: 4 }),
    });
    const evaluation = await trainer.evaluate(x, y);
    expect(await trainer.step(x, y)).toBe(evaluation.loss);
    expect(evaluation.logits.length).toBe(30 * 3);
    let correct = 0;
    for (let i = 0; i < 30; i++) {
      const row = Array.from(evaluation.logits.subarray(i * 3, i * 3 + 3));
      if (row.indexOf(Math.max(...row)) === Number(y[i])) correct++;
    }
    expect(evaluation.accuracy).toBe(Math.fround(correct / 30));
  });

  it("never writes into the caller's arrays or tensors, and parameters() returns copies", async () => {
    const graph = buildTrainingGraph(mlp({ type: 'sgd', momentum: 0.9 }));
    const initial = initParameters({ graph, seed: 5 });
    const snapshot = Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, Array.from(v)]));
    const { x, y } = blobs(12, 1);
    const xCopy = Array.from(x);
    const xTensor = new Tensor('float32', x, [12, 4]);
    await using trainer = await createTrainer({
      model: graph,
      schedule: constant({ value: 0.1 }),
      parameters: initial,
    });
    await trainer.step(xTensor, y);
    await trainer.step(x, Int32Array.from(y, Number));
    for (const [name, values] of Object.entries(initial)) expect(Array.from(values)).toEqual(snapshot[name]);
    expect(Array.from(x)).toEqual(xCopy);
    const copy = trainer.parameters();
    copy['layers.0.weight']!.fill(123);
    expect(trainer.parameters()['layers.0.weight']![0]).not.toBe(123);
    expect(Array.from(trainer.parameters()['layers.0.weight']!)).not.toEqual(snapshot['layers.0.weight']);
  });

  it('runs calls one at a time in call order when they are not awaited', async () => {
    const graph = buildTrainingGraph(mlp({ type: 'adam' }));
    const { x, y } = blobs(24, 2);
    const make = () =>
      createTrainer({
        model: graph,
        schedule: constant({ value: 0.01 }),
        parameters: initParameters({ graph, seed: 6 }),
      });
    const sequential = await make();
    const expected: number[] = [];
    for (let k = 0; k < 4; k++) expected.push(await sequential.step(x, y));
    const concurrent = await make();
    const losses = await Promise.all([0, 1, 2, 3].map(() => concurrent.step(x, y)));
    expect(losses).toEqual(expected);
    expect(concurrent.currentStep).toBe(4);
    await sequential.release();
    await concurrent.release();
  });

  it('trains from a session the caller created, with the graph contract read from its inputs', async () => {
    const graph = buildTrainingGraph(mlp({ type: 'adam' }));
    const { InferenceSession } = await import('onnxruntime-node');
    const session = await InferenceSession.create(graph.model, { intraOpNumThreads: 1 });
    const { x, y } = blobs(24, 2);
    const viaGraph = await createTrainer({
      model: graph,
      schedule: constant({ value: 0.01 }),
      parameters: initParameters({ graph, seed: 6 }),
    });
    const viaSession = await createTrainer({
      session,
      schedule: constant({ value: 0.01 }),
      parameters: initParameters({ graph, seed: 6 }),
    });
    for (let k = 0; k < 3; k++) expect(await viaSession.step(x, y)).toBe(await viaGraph.step(x, y));
    expect(viaSession.optimizerState()['layers.0.weight.exp_avg']).toEqual(
      viaGraph.optimizerState()['layers.0.weight.exp_avg'],
    );
    await viaSession.release();
    await viaGraph.release();
    // the trainer does not release a session it did not create
    expect(session.inputNames.length).toBe(graph.inputNames.length);
    await session.release();
  });

  it('saves atomically: no temporary file is left and an existing checkpoint is replaced whole', async () => {
    const graph = buildTrainingGraph(mlp({ type: 'adam' }));
    const { x, y } = blobs(12, 1);
    await using trainer = await createTrainer({
      model: graph,
      schedule: constant({ value: 0.01 }),
      parameters: initParameters({ graph, seed: 7 }),
    });
    const folder = await mkdtemp(join(directory, 'atomic-'));
    const path = join(folder, 'model.ckpt');
    await trainer.save(path);
    await trainer.step(x, y);
    await trainer.save(path);
    expect(await readdir(folder)).toEqual(['model.ckpt']);
    const { readCheckpoint } = await import('../src/node/checkpoint-file');
    const checkpoint = await readCheckpoint(path);
    expect(checkpoint.step).toBe(1);
    expect(checkpoint.schedule).toEqual({ type: 'constant', value: 0.01 });
    expect(checkpoint.tensors.map((t) => t.name)).toEqual([
      ...graph.parameters.map((p) => p.name),
      ...graph.state.map((s) => s.name),
    ]);
    expect(Array.from(checkpoint.tensors[0]!.data)).toEqual(
      Array.from(trainer.parameters()['layers.0.weight']!),
    );
  });
});
