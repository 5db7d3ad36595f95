/**
 * The runtime seams in Node: `ort` passed in or defaulted, `preferredOutputLocation`, checkpoint
 * bytes (`saveBytes`, `loadBytes`, `parseCheckpoint`), and the browser entry's validation and
 * WebGPU check where there is no `navigator.gpu` (Chromium runs are in chromium.test.ts).
 */
import { constant } from '@anneal/core';
import * as onnxruntimeNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import * as browserEntry from '../src/browser';
import { parseCheckpoint } from '../src/checkpoint';
import { CheckpointError, ExecutionProviderError, TrainingConfigError } from '../src/errors';
import { buildTrainingGraph } from '../src/graph/build';
import { initParameters } from '../src/init';
import { createTrainer, learningRateFeed } from '../src/node/trainer';
import type { TrainerOptions } from '../src/trainer/options';
import { rejection, smallAdamGraph } from './helpers';
import { blobs } from './problems';

const graph = smallAdamGraph();
const parameters = initParameters({ graph, seed: 1 });
const base = (): TrainerOptions => ({ model: graph, schedule: constant({ value: 0.01 }), parameters });
const { x, y } = blobs(12, 3);

describe('createTrainer: ort and preferredOutputLocation', () => {
  it.each([
    [
      'an ort that is not an ONNX Runtime module',
      { ...base(), ort: { Tensor: 1 } },
      'createTrainer: ort must be the ONNX Runtime module (import * as ort from "onnxruntime-web" or "onnxruntime-node"); received {"Tensor":1}.',
    ],
    [
      'an unknown output location',
      { ...base(), preferredOutputLocation: 'gpu' },
      'createTrainer: preferredOutputLocation must be "cpu" or "gpu-buffer"; received "gpu".',
    ],
    [
      'gpu-buffer without webgpu',
      { ...base(), executionProviders: ['cpu'], preferredOutputLocation: 'gpu-buffer' },
      'createTrainer: preferredOutputLocation "gpu-buffer" needs the "webgpu" execution provider; received ["cpu"].',
    ],
  ])('%s', async (_name, options, message) => {
    const error = await rejection(createTrainer(options as TrainerOptions));
    expect(TrainingConfigError.isInstance(error)).toBe(true);
    expect(error.message).toBe(message);
  });

  it('an output location with a session of your own', async () => {
    const session = await onnxruntimeNode.InferenceSession.create(graph.model);
    const options = {
      schedule: constant({ value: 0.01 }),
      parameters,
      session,
      preferredOutputLocation: 'cpu',
    };
    const error = await rejection(createTrainer(options as TrainerOptions));
    expect(error.message).toBe(
      'createTrainer: preferredOutputLocation applies to sessions the trainer creates; set it on your session instead; received "cpu".',
    );
    await session.release();
  });

  it('the ort passed in makes every tensor, and CPU sessions keep their outputs on the CPU', async () => {
    const made: string[] = [];
    const ort = {
      InferenceSession: onnxruntimeNode.InferenceSession,
      Tensor: new Proxy(onnxruntimeNode.Tensor, {
        construct(target, args) {
          made.push(String(args[0]));
          return Reflect.construct(target, args);
        },
      }),
    };
    await using trainer = await createTrainer({ ...base(), ort });
    expect(trainer.outputLocation).toBe('cpu');
    await trainer.step(x, y);
    // the learning rate, the step, x and y of the step
    expect(made.slice(-4).sort()).toEqual(['float32', 'float32', 'float32', 'int64']);
    expect(Object.keys(trainer.parameters())).toEqual(Object.keys(await trainer.readParameters()));
  });
});

describe('checkpoint bytes', () => {
  it('saveBytes → loadBytes restores parameters, state and step exactly; parseCheckpoint reads them', async () => {
    await using trainer = await createTrainer(base());
    for (let i = 0; i < 3; i++) await trainer.step(x, y);
    const bytes = await trainer.saveBytes();
    const saved = await trainer.readParameters();
    const state = await trainer.readOptimizerState();
    const after = [await trainer.step(x, y), await trainer.step(x, y)];
    await trainer.loadBytes(bytes);
    expect(trainer.currentStep).toBe(3);
    expect(await trainer.readParameters()).toEqual(saved);
    expect(trainer.optimizerState()).toEqual(state);
    expect([await trainer.step(x, y), await trainer.step(x, y)]).toEqual(after);
    const checkpoint = parseCheckpoint(bytes);
    expect(checkpoint.step).toBe(3);
    expect(checkpoint.schedule).toEqual({ type: 'constant', value: 0.01 });
  });

  it('loadBytes of another model is a CheckpointError and changes nothing', async () => {
    const other = buildTrainingGraph({
      inputShape: [4],
      layers: [{ type: 'dense', units: 3 }],
      loss: 'softmaxCrossEntropy',
      optimizer: { type: 'adam' },
    });
    await using source = await createTrainer({
      ...base(),
      model: other,
      parameters: initParameters({ graph: other, seed: 2 }),
    });
    await using trainer = await createTrainer(base());
    await trainer.step(x, y);
    const before = trainer.parameters();
    const error = await rejection(trainer.loadBytes(await source.saveBytes()));
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(
      /^trainer\.loadBytes: the checkpoint was saved from another model \(checkpoint vs this trainer: /,
    );
    expect(trainer.parameters()).toEqual(before);
    expect(trainer.currentStep).toBe(1);
  });

  it.each([
    [
      'not bytes',
      [1, 2, 3],
      'parseCheckpoint: bytes must be a Uint8Array holding a checkpoint; received [1,2,3].',
    ],
    [
      'not a checkpoint',
      new Uint8Array(64),
      'loadCheckpoint: the checkpoint is not a usable checkpoint: it does not start with the ANNEALCK signature (not a checkpoint written by @anneal/onnxruntime-training).',
    ],
  ])('parseCheckpoint rejects %s', (_name, bytes, message) => {
    expect(() => parseCheckpoint(bytes as Uint8Array)).toThrowError(message);
  });
});

describe('the browser entry (validated in Node; trained in Chromium by chromium.test.ts)', () => {
  const browserBase = () => ({ model: graph, schedule: constant({ value: 0.01 }), parameters });

  it('needs ort', async () => {
    const error = await rejection(browserEntry.createTrainer(browserBase() as browserEntry.TrainerOptions));
    expect(error.message).toBe(
      'createTrainer: ort must be the ONNX Runtime module (import * as ort from "onnxruntime-web" or "onnxruntime-node"); received undefined.',
    );
    expect(() => browserEntry.learningRateFeed({ schedule: constant({ value: 0.1 }) } as never)).toThrowError(
      'learningRateFeed: ort must be the ONNX Runtime module (import * as ort from "onnxruntime-web" or "onnxruntime-node"); received undefined.',
    );
  });

  it('webgpu without navigator.gpu is one ExecutionProviderError line (strict by default)', async () => {
    const error = await rejection(
      browserEntry.createTrainer({ ...browserBase(), ort: onnxruntimeNode, executionProviders: ['webgpu'] }),
    );
    expect(ExecutionProviderError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'createTrainer: execution provider "webgpu" is unavailable: navigator.gpu is missing (this browser has no WebGPU, or it is disabled; Chromium on Linux needs --enable-unsafe-webgpu).',
    );
  });

  it('has no file checkpoints: save and load name the bytes methods', async () => {
    await using trainer = await browserEntry.createTrainer({
      ...browserBase(),
      ort: onnxruntimeNode,
      executionProviders: ['cpu'],
    });
    const file = trainer as unknown as {
      save(path: string): Promise<void>;
      load(path: string): Promise<void>;
    };
    expect((await rejection(file.save('a.ckpt'))).message).toBe(
      'trainer.save: checkpoints are files only in Node; in the browser use trainer.saveBytes().',
    );
    expect((await rejection(file.load('a.ckpt'))).message).toBe(
      'trainer.load: checkpoints are files only in Node; in the browser use trainer.loadBytes(bytes).',
    );
  });
});

describe('learningRateFeed', () => {
  it('rejects unknown options and uses the ort given', () => {
    expect(() => learningRateFeed({ schedule: constant({ value: 0.1 }), name: 'lr' } as never)).toThrowError(
      'learningRateFeed: name must be absent (known options: schedule, inputName, dtype, session, ort); received "lr".',
    );
    const feed = learningRateFeed({ schedule: constant({ value: 0.1 }), ort: onnxruntimeNode });
    expect(feed(0).learning_rate).toBeInstanceOf(onnxruntimeNode.Tensor);
  });
});
