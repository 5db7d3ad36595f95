import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constant, custom, toConfig, warmupCosineDecay } from '@anneal/core';
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  ExecutionProviderError,
  FeedError,
  NonFiniteLossError,
  TrainerReleasedError,
  TrainingConfigError,
} from '../src/errors';
import { buildTrainingGraph } from '../src/graph/build';
import { initParameters } from '../src/init';
import { createTrainer } from '../src/node/trainer';
import { GraphBuilder } from '../src/onnx/graph-builder';
import type { TrainerOptions } from '../src/trainer/options';
import type { Trainer } from '../src/trainer/trainer';
import { rejection, smallAdamGraph, temporaryDirectory } from './helpers';
import { blobs } from './problems';

const directory = temporaryDirectory('anneal-ort-errors-');

const graph = smallAdamGraph();
const parameters = initParameters({ graph, seed: 1 });
const base = (): TrainerOptions => ({ model: graph, schedule: constant({ value: 0.01 }), parameters });
const INPUTS =
  "The graph's inputs: layers.0.weight: float32 [5, 4], layers.0.bias: float32 [5], layers.2.weight: float32 [3, 5], layers.2.bias: float32 [3], " +
  'layers.0.weight.exp_avg: float32 [5, 4], layers.0.bias.exp_avg: float32 [5], layers.2.weight.exp_avg: float32 [3, 5], layers.2.bias.exp_avg: float32 [3], ' +
  'layers.0.weight.exp_avg_sq: float32 [5, 4], layers.0.bias.exp_avg_sq: float32 [5], layers.2.weight.exp_avg_sq: float32 [3, 5], layers.2.bias.exp_avg_sq: float32 [3], ' +
  'x: float32 [batch, 4], y: int64 [batch], learning_rate: float32 [], step: float32 [].';

describe('createTrainer rejects bad options, listing every problem', () => {
  const { model: _model, ...withoutModel } = base();
  it.each([
    [
      'neither model nor session',
      withoutModel,
      'createTrainer: pass exactly one of model and session; received {}.',
    ],
    [
      'an unknown option',
      { ...base(), learningRate: 0.1 },
      'createTrainer: learningRate must be absent (known options: ort, model, session, evaluationModel, schedule, parameters, state, executionProviders, preferredOutputLocation, intraOpNumThreads, strict, onWarning, onNonFiniteLoss); received 0.1.',
    ],
    [
      'zero threads',
      { ...base(), intraOpNumThreads: 0 },
      'createTrainer: intraOpNumThreads must be a positive integer (default 1); received 0.',
    ],
    [
      'an unknown non-finite policy',
      { ...base(), onNonFiniteLoss: 'ignore' },
      'createTrainer: onNonFiniteLoss must be "throw" or "skip" (default "throw"); received "ignore".',
    ],
    [
      'no providers',
      { ...base(), executionProviders: [] },
      'createTrainer: executionProviders must be a non-empty array such as ["cpu"] or ["cuda", "cpu"]; received [].',
    ],
  ])('%s', async (_name, options, message) => {
    const error = await rejection(createTrainer(options as TrainerOptions));
    expect(TrainingConfigError.isInstance(error)).toBe(true);
    expect(error.message).toBe(message);
  });

  it('an invalid schedule config names the schedule problem', async () => {
    const error = await rejection(createTrainer({ ...base(), schedule: { type: 'constant', value: -1 } }));
    expect(error.message).toMatch(
      /^createTrainer: schedule must be a schedule, a schedule config or a function of the step \(constant: value must be .*\); received \{"type":"constant","value":-1\}\.$/,
    );
  });

  it('missing and extra parameters, a wrong size and a wrong element type, all in one error that lists the inputs', async () => {
    const { 'layers.0.bias': _bias, ...rest } = parameters;
    const error = await rejection(
      createTrainer({
        ...base(),
        parameters: {
          ...rest,
          'layers.2.weight': new Float32Array(7),
          'layers.2.bias': new Float64Array(3),
          'layers.9.weight': [1],
        },
      }),
    );
    const issues = (error as TrainingConfigError).issues.map((issue) => issue.message);
    const listing = INPUTS.replace("The graph's inputs", "the graph's inputs").replace(/\.$/, '');
    expect(issues).toEqual([
      `createTrainer: parameters lacks "layers.0.bias" (${listing}); received ["layers.0.weight","layers.2.weight","layers.2.bias","layers.9.weight"].`,
      `createTrainer: parameters has names the graph does not take: "layers.9.weight" (${listing}); received ["layers.9.weight"].`,
      'createTrainer: parameters["layers.2.weight"] must be 15 values (shape [3, 5]) as a Float32Array, number array or float32 tensor; received a Float32Array of length 7.',
      'createTrainer: parameters["layers.2.bias"] must be 3 values (shape [3]) as a Float32Array, number array or float32 tensor; received a Float64Array of length 3.',
    ]);
    expect(error.message.startsWith('createTrainer: 4 problems:\n- ')).toBe(true);
  });

  it('bytes ONNX Runtime cannot load are a TrainingConfigError naming the model', async () => {
    const error = await rejection(createTrainer({ ...base(), model: new Uint8Array([1, 2, 3]) }));
    expect(TrainingConfigError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^createTrainer: ONNX Runtime could not load the model \(3 bytes\): .+/);
    expect((error as TrainingConfigError).issues[0]!.path).toBe('model');
  });

  it('a model without a learning_rate input is rejected with its inputs listed', async () => {
    const g = new GraphBuilder('no-lr', 'float32');
    g.input('w', 'float32', [1]);
    g.input('x', 'float32', ['batch', 1]);
    g.input('y', 'float32', ['batch', 1]);
    g.output(g.op('ReduceSum', ['x'], {}), 'loss', 'float32', []);
    g.output(g.op('Add', ['w', 'w']), 'w.next', 'float32', [1]);
    const error = await rejection(
      createTrainer({ model: g.encode(), schedule: constant({ value: 0.1 }), parameters: { w: [1] } }),
    );
    expect(error.message).toBe(
      'createTrainer: model: the graph has no input named "learning_rate" (the graph\'s inputs: w: float32 [1], x: float32 [batch, 1], y: float32 [batch, 1]); received ["w","x","y"].',
    );
  });

  it('a model without the .next output of a parameter is rejected', async () => {
    const g = new GraphBuilder('no-next', 'float32');
    g.input('w', 'float32', [1]);
    g.input('x', 'float32', ['batch', 1]);
    g.input('y', 'float32', ['batch', 1]);
    g.input('learning_rate', 'float32', []);
    g.output(g.op('Add', ['w', 'learning_rate']), 'loss', 'float32', [1]);
    const error = await rejection(
      createTrainer({ model: g.encode(), schedule: constant({ value: 0.1 }), parameters: { w: [1] } }),
    );
    expect(error.message).toBe(
      'createTrainer: model: the graph has no output "w.next" carrying the updated "w"; received ["loss"].',
    );
  });
});

describe('step and evaluate reject bad batches with FeedError (nothing is run or changed)', () => {
  const { x, y } = blobs(6, 1);
  it.each([
    [
      'x as float64',
      () => [Float64Array.from(x), y],
      'trainer.step: x must be a float32 tensor or a Float32Array of batch × 4 values; received a Float64Array of length 24.',
    ],
    [
      'x not a whole number of rows',
      () => [x.subarray(0, 10), y],
      'trainer.step: x must hold a whole number of rows of 4 values (shape [batch, 4]); received 10 values.',
    ],
    [
      'x tensor of the wrong shape',
      () => [new Tensor('float32', x, [4, 6]), y],
      'trainer.step: x must have shape [batch, 4]; received [4, 6].',
    ],
    [
      'x tensor of the wrong type',
      () => [new Tensor('int32', Int32Array.from(x), [6, 4]), y],
      'trainer.step: x must be a float32 tensor; received int32 [6, 4].',
    ],
    [
      'y of another batch size',
      () => [x, y.subarray(0, 5)],
      'trainer.step: x and y must hold the same number of rows; received 6 and 5.',
    ],
    [
      'a label out of range',
      () => [x, BigInt64Array.from([0n, 1n, 2n, 3n, 0n, 1n])],
      'trainer.step: y must hold class labels in [0, 2]; received 3 at index 3.',
    ],
    [
      'float labels',
      () => [x, Float32Array.from([0, 1, 2, 0, 1, 2])],
      'trainer.step: y must be a int64 tensor or a BigInt64Array of batch × 1 values; received a Float32Array of length 6.',
    ],
    [
      'fractional labels',
      () => [x, [0, 1, 2.5, 0, 1, 2]],
      'trainer.step: y must hold integers; received 2.5 at index 2.',
    ],
  ])('%s', async (_name, make, message) => {
    await using trainer = await createTrainer(base());
    const before = trainer.parameters();
    const [bx, by] = make() as [Float32Array, BigInt64Array];
    const error = await rejection(trainer.step(bx, by));
    expect(FeedError.isInstance(error)).toBe(true);
    expect(error.message).toBe(`${message}\n${INPUTS}`);
    expect(trainer.currentStep).toBe(0);
    expect(trainer.parameters()).toEqual(before);
    // evaluate checks the same way
    expect((await rejection(trainer.evaluate(bx, by))).message.startsWith('trainer.evaluate: ')).toBe(true);
  });

  it('several problems are reported together', async () => {
    await using trainer = await createTrainer(base());
    const error = await rejection(trainer.step(Float64Array.from(x), [0, 1, 5]));
    expect((error as FeedError).problems).toEqual([
      'x must be a float32 tensor or a Float32Array of batch × 4 values; received a Float64Array of length 24',
      'y must hold class labels in [0, 2]; received 5 at index 2',
    ]);
  });
});

describe('non-finite loss', () => {
  const { x, y } = blobs(6, 2);
  const poisoned = Float32Array.from(x);
  poisoned[5] = Number.NaN;

  it("'throw' (default) raises NonFiniteLossError naming the step and keeps parameters and step", async () => {
    await using trainer = await createTrainer(base());
    await trainer.step(x, y);
    const before = { parameters: trainer.parameters(), state: trainer.optimizerState() };
    const error = await rejection(trainer.step(poisoned, y));
    expect(NonFiniteLossError.isInstance(error)).toBe(true);
    expect((error as NonFiniteLossError).step).toBe(1);
    expect(error.message).toBe(
      "trainer.step: the loss at step 1 is NaN (learning rate 0.009999999776482582); the update was discarded and parameters are unchanged. Lower the learning rate, check the inputs, or pass onNonFiniteLoss: 'skip'.",
    );
    expect(trainer.currentStep).toBe(1);
    expect(trainer.parameters()).toEqual(before.parameters);
    expect(trainer.optimizerState()).toEqual(before.state);
    // the trainer keeps working
    expect(Number.isFinite(await trainer.step(x, y))).toBe(true);
    expect(trainer.currentStep).toBe(2);
  });

  it("'skip' discards the update, keeps the step count and counts the skip", async () => {
    await using trainer = await createTrainer({ ...base(), onNonFiniteLoss: 'skip' });
    const before = trainer.parameters();
    expect(await trainer.step(poisoned, y)).toBeNaN();
    expect(trainer.currentStep).toBe(0);
    expect(trainer.skippedSteps).toBe(1);
    expect(trainer.parameters()).toEqual(before);
  });
});

describe('checkpoints', () => {
  async function trained(options: Partial<TrainerOptions> = {}): Promise<Trainer> {
    const trainer = await createTrainer({ ...base(), ...options });
    const { x, y } = blobs(6, 3);
    await trainer.step(x, y);
    return trainer;
  }

  it('a checkpoint of another model is rejected and nothing is loaded', async () => {
    const path = join(directory, 'other.ckpt');
    const other = buildTrainingGraph({
      ...graph.options,
      layers: [{ type: 'dense', units: 7 }, { type: 'relu' }, { type: 'dense', units: 3 }],
    });
    const otherTrainer = await createTrainer({
      model: other,
      schedule: constant({ value: 0.01 }),
      parameters: initParameters({ graph: other, seed: 1 }),
    });
    await otherTrainer.save(path);
    await otherTrainer.release();
    await using trainer = await createTrainer(base());
    const before = trainer.parameters();
    const error = await rejection(trainer.load(path));
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      `trainer.load: ${path} was saved from another model (checkpoint vs this trainer: "layers.0.weight" [7, 4] vs [5, 4]; "layers.0.bias" [7] vs [5]; "layers.2.weight" [3, 7] vs [3, 5]; "layers.0.weight.exp_avg" [7, 4] vs [5, 4]; "layers.0.bias.exp_avg" [7] vs [5]; "layers.2.weight.exp_avg" [3, 7] vs [3, 5]; "layers.0.weight.exp_avg_sq" [7, 4] vs [5, 4]; "layers.0.bias.exp_avg_sq" [7] vs [5]; and 1 more); nothing was loaded.`,
    );
    expect(trainer.parameters()).toEqual(before);
    expect(trainer.currentStep).toBe(0);
  });

  it('a checkpoint of the same shapes but another graph (optimizer settings) needs allowModelChange', async () => {
    const path = join(directory, 'hyper.ckpt');
    const changed = buildTrainingGraph({ ...graph.options, optimizer: { type: 'adam', beta1: 0.8 } });
    const source = await trained({ model: changed });
    await source.save(path);
    await source.release();
    await using trainer = await createTrainer(base());
    const error = await rejection(trainer.load(path));
    expect(error.message).toBe(
      `trainer.load: ${path} has the same parameters but was saved from a different graph (other optimizer hyper-parameters, loss or layers); nothing was loaded. Pass { allowModelChange: true } to load it anyway.`,
    );
    await trainer.load(path, { allowModelChange: true });
    expect(trainer.currentStep).toBe(1);
  });

  it('damaged, truncated, foreign and missing files are rejected', async () => {
    const path = join(directory, 'good.ckpt');
    const source = await trained();
    await source.save(path);
    await source.release();
    const bytes = await readFile(path);
    const flipped = Uint8Array.from(bytes);
    flipped[flipped.length - 3]! ^= 0xff;
    const cases: [string, Uint8Array, string][] = [
      ['flipped.ckpt', flipped, 'its data does not match the recorded SHA-256 (truncated or damaged file)'],
      [
        'truncated.ckpt',
        bytes.subarray(0, bytes.length - 8),
        'its data does not match the recorded SHA-256 (truncated or damaged file)',
      ],
      ['header.ckpt', bytes.subarray(0, 40), 'the file is truncated (the header runs past its end)'],
      [
        'foreign.ckpt',
        new TextEncoder().encode('{"not":"a checkpoint"}'),
        'it does not start with the ANNEALCK signature (not a checkpoint written by @anneal/onnxruntime-training)',
      ],
    ];
    await using trainer = await createTrainer(base());
    for (const [name, content, why] of cases) {
      const target = join(directory, name);
      await writeFile(target, content);
      const error = await rejection(trainer.load(target));
      expect(CheckpointError.isInstance(error)).toBe(true);
      expect(error.message).toBe(`loadCheckpoint: ${target} is not a usable checkpoint: ${why}.`);
    }
    const missing = await rejection(trainer.load(join(directory, 'missing.ckpt')));
    expect(missing.message).toMatch(/^trainer\.load: cannot read .*missing\.ckpt: ENOENT/);
    expect(trainer.currentStep).toBe(0);
  });

  it("loading under a different schedule keeps the trainer's schedule and warns once; custom schedules save null", async () => {
    const path = join(directory, 'schedule.ckpt');
    const saved = warmupCosineDecay({ peakValue: 0.1, warmupSteps: 2, totalSteps: 10 });
    const source = await trained({ schedule: saved });
    await source.save(path);
    await source.release();
    const warnings: string[] = [];
    await using trainer = await createTrainer({ ...base(), onWarning: (message) => warnings.push(message) });
    await trainer.load(path);
    expect(warnings).toEqual([
      `trainer.load: ${path} was saved under a different schedule (${JSON.stringify(toConfig(saved))}); the trainer keeps its own ({"type":"constant","value":0.01}). Rebuild the trainer with fromConfig(checkpoint.schedule) from readCheckpoint() to resume the saved one.`,
    ]);
    expect(trainer.learningRate(trainer.currentStep)).toBe(Math.fround(0.01));

    const customPath = join(directory, 'custom.ckpt');
    const customTrainer = await trained({ schedule: custom((step) => 0.01 / (1 + step)) });
    await customTrainer.save(customPath);
    await customTrainer.release();
    const { readCheckpoint } = await import('../src/node/checkpoint-file');
    expect((await readCheckpoint(customPath)).schedule).toBeNull();
  });
});

describe('execution providers', () => {
  it('cuda without its libraries falls back to the CPU with exactly one warning', async () => {
    const warnings: string[] = [];
    await using trainer = await createTrainer({
      ...base(),
      executionProviders: ['cuda', 'cpu'],
      onWarning: (m) => warnings.push(m),
    });
    expect(trainer.executionProviders).toEqual(['cpu']);
    const { x, y } = blobs(6, 4);
    await trainer.step(x, y);
    await trainer.evaluate(x, y);
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(
      /^createTrainer: execution provider "cuda" is unavailable \(.+\); training on the CPU instead\. Pass strict: true to make this an error\.$/,
    );
  });

  it('strict: true turns the missing provider into ExecutionProviderError', async () => {
    const error = await rejection(
      createTrainer({ ...base(), executionProviders: ['cuda'], strict: true, onWarning: () => undefined }),
    );
    expect(ExecutionProviderError.isInstance(error)).toBe(true);
    expect(TrainingConfigError.isInstance(error)).toBe(false);
    expect((error as ExecutionProviderError).executionProviders).toEqual(['cuda']);
    expect(error.message).toMatch(
      /^createTrainer: execution provider "cuda" could not be used \(.+\)\. CUDA needs onnxruntime-node installed with its cuda12 flag, an NVIDIA driver, CUDA 12 and cuDNN 9; without strict: true the trainer falls back to the CPU\.$/,
    );
  });
});

describe('release', () => {
  it('a released trainer rejects every call with TrainerReleasedError; release is idempotent', async () => {
    const trainer = await createTrainer(base());
    await trainer.release();
    await trainer.release();
    const { x, y } = blobs(3, 1);
    const error = await rejection(trainer.step(x, y));
    expect(TrainerReleasedError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'trainer.step: the trainer was released; create a new one with createTrainer().',
    );
    expect(() => trainer.parameters()).toThrow('trainer.parameters: the trainer was released');
    await expect(trainer.save(join(directory, 'x.ckpt'))).rejects.toThrow(
      'trainer.save: the trainer was released',
    );
  });
});

describe('sessions that report no input metadata (onnxruntime-node before 1.22)', () => {
  it('train from tensors, and name the problem for typed arrays', async () => {
    const ort = await import('onnxruntime-node');
    const real = await ort.InferenceSession.create(graph.model, { intraOpNumThreads: 1 });
    const bare = {
      inputNames: real.inputNames,
      outputNames: real.outputNames,
      run: (feeds: Record<string, Tensor>) => real.run(feeds),
      release: async () => undefined,
    } as unknown as InferenceSession;
    const shapes = Object.fromEntries(graph.inputs.map((i) => [i.name, i.shape as number[]]));
    const tensors = Object.fromEntries(
      Object.entries(parameters).map(([name, values]) => [
        name,
        new Tensor('float32', values as Float32Array, shapes[name]!),
      ]),
    );
    const state = Object.fromEntries(
      graph.state.map((s) => [
        s.name,
        new Tensor('float32', new Float32Array(s.shape.reduce((a, b) => a * b, 1)), s.shape),
      ]),
    );
    const error = await rejection(
      createTrainer({ session: bare, schedule: constant({ value: 0.01 }), parameters }),
    );
    expect((error as TrainingConfigError).issues[0]!.message).toBe(
      'createTrainer: parameters["layers.0.weight"] must be a float32 onnxruntime-node Tensor (this onnxruntime-node version does not report the graph\'s input shapes); received a Float32Array of length 20.',
    );
    await using trainer = await createTrainer({
      session: bare,
      schedule: constant({ value: 0.01 }),
      parameters: tensors,
      state,
    });
    const { x, y } = blobs(6, 5);
    const fromTensors = await trainer.step(new Tensor('float32', x, [6, 4]), new Tensor('int64', y, [6]));
    expect(Number.isFinite(fromTensors)).toBe(true);
    const feedError = await rejection(trainer.step(x, y));
    expect((feedError as FeedError).problems[0]).toBe(
      "x must be an onnxruntime-node Tensor: this onnxruntime-node version does not report the graph's input shapes; received a Float32Array of length 24",
    );
    await real.release();
  });
});
