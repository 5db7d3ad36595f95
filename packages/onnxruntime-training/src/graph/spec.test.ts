import { AnnealError } from '@anneal/core';
import { describe, expect, it } from 'vitest';
import { TrainingConfigError } from '../errors';
import { buildEvaluationGraph, buildTrainingGraph } from './build';
import type { TrainingGraphOptions } from './spec';

const valid: TrainingGraphOptions = {
  inputShape: [4],
  layers: [{ type: 'dense', units: 3 }, { type: 'relu' }, { type: 'dense', units: 2 }],
  loss: 'softmaxCrossEntropy',
  optimizer: { type: 'adam' },
};

const conv: TrainingGraphOptions = {
  ...valid,
  inputShape: [1, 5, 5],
  layers: [{ type: 'conv2d', filters: 2, kernelSize: 3 }, { type: 'flatten' }, { type: 'dense', units: 2 }],
};

function messageOf(options: unknown): string {
  try {
    buildTrainingGraph(options as TrainingGraphOptions);
  } catch (error) {
    expect(TrainingConfigError.isInstance(error)).toBe(true);
    expect(AnnealError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected buildTrainingGraph to throw');
}

describe('buildTrainingGraph rejects invalid options with one message per problem', () => {
  it.each([
    [
      'no options',
      undefined,
      'buildTrainingGraph: options must be an options object { layers, loss, inputShape, ... }; received undefined.',
    ],
    [
      'empty layers',
      { ...valid, layers: [] },
      'buildTrainingGraph: layers must be a non-empty array of layers; received [].',
    ],
    [
      'an unknown layer type',
      { ...valid, layers: [{ type: 'dense', units: 3 }, { type: 'dropout' }] },
      'buildTrainingGraph: layers[1].type must be one of "dense", "relu", "tanh", "sigmoid", "gelu", "conv2d", "maxPool2d", "flatten"; received "dropout".',
    ],
    [
      'zero units',
      { ...valid, layers: [{ type: 'dense', units: 0 }] },
      'buildTrainingGraph: layers[0].units must be a positive integer; received 0.',
    ],
    [
      'an unknown layer option',
      { ...valid, layers: [{ type: 'dense', units: 2, activation: 'relu' }] },
      'buildTrainingGraph: layers[0].activation must be absent (known options: type, units); received "relu".',
    ],
    [
      'dense on images without flatten',
      {
        ...conv,
        layers: [
          { type: 'conv2d', filters: 2, kernelSize: 3 },
          { type: 'dense', units: 2 },
        ],
      },
      'buildTrainingGraph: layers[1] (dense) needs a [features] input but receives shape [2, 3, 3]; add { type: "flatten" } before it; received [2,3,3].',
    ],
    [
      'conv2d on features',
      {
        ...valid,
        layers: [
          { type: 'conv2d', filters: 2, kernelSize: 3 },
          { type: 'flatten' },
          { type: 'dense', units: 2 },
        ],
      },
      'buildTrainingGraph: layers[0] (conv2d) needs a [channels, height, width] input but receives shape [4]; received [4].',
    ],
    [
      'a kernel larger than the input',
      {
        ...conv,
        layers: [
          { type: 'conv2d', filters: 2, kernelSize: 7 },
          { type: 'flatten' },
          { type: 'dense', units: 2 },
        ],
      },
      'buildTrainingGraph: layers[0].kernelSize [7, 7] must fit the padded input [5, 5]; received 7.',
    ],
    [
      'a negative padding',
      {
        ...conv,
        layers: [
          { type: 'conv2d', filters: 2, kernelSize: 3, padding: -1 },
          { type: 'flatten' },
          { type: 'dense', units: 2 },
        ],
      },
      'buildTrainingGraph: layers[0].padding must be an integer >= 0 or a pair [height, width] of integers >= 0 (or omitted); received -1.',
    ],
    [
      'a pool window larger than the input',
      {
        ...conv,
        layers: [{ type: 'maxPool2d', poolSize: [2, 6] }, { type: 'flatten' }, { type: 'dense', units: 2 }],
      },
      'buildTrainingGraph: layers[0].poolSize [2, 6] must fit the input [5, 5]; received [2,6].',
    ],
    [
      'images left unflattened at the end',
      { ...conv, layers: [{ type: 'conv2d', filters: 2, kernelSize: 3 }] },
      'buildTrainingGraph: the last layer must produce [features] for the loss but produces [2, 3, 3]; end with flatten and dense; received [2,3,3].',
    ],
    [
      'one class',
      { ...valid, layers: [{ type: 'dense', units: 1 }] },
      'buildTrainingGraph: softmaxCrossEntropy needs at least 2 output features (classes); received 1.',
    ],
    [
      'nothing trainable',
      { ...valid, layers: [{ type: 'relu' }] },
      'buildTrainingGraph: layers must be a list containing at least one dense or conv2d layer (something to train); received ["relu"].',
    ],
    [
      'an unknown loss',
      { ...valid, loss: 'hinge' },
      'buildTrainingGraph: loss must be "softmaxCrossEntropy" or "meanSquaredError"; received "hinge".',
    ],
    [
      'an unknown dtype',
      { ...valid, dtype: 'float16' },
      'buildTrainingGraph: dtype must be "float32" or "float64" (or omitted); received "float16".',
    ],
    [
      'a bad input shape',
      { ...valid, inputShape: [2, 3] },
      'buildTrainingGraph: inputShape must be the shape of one sample: [features] or [channels, height, width] (positive integers); received [2,3].',
    ],
    [
      'a missing optimizer',
      { ...valid, optimizer: undefined },
      'buildTrainingGraph: optimizer.type must be "sgd", "adam" or "adamw"; received undefined.',
    ],
    [
      'beta1 = 1',
      { ...valid, optimizer: { type: 'adam', beta1: 1 } },
      'buildTrainingGraph: optimizer.beta1 must be a number in [0, 1) (default 0.9); received 1.',
    ],
    [
      'a negative epsilon',
      { ...valid, optimizer: { type: 'adamw', epsilon: -1 } },
      'buildTrainingGraph: optimizer.epsilon must be a finite number >= 0 (default 1e-8); received -1.',
    ],
    [
      'a learning rate in the optimizer',
      { ...valid, optimizer: { type: 'sgd', lr: 0.1 } },
      'buildTrainingGraph: optimizer.lr must be absent (known options: type, momentum, dampening, nesterov, weightDecay); the learning rate is a graph input fed from the schedule at every step; received 0.1.',
    ],
    [
      'Nesterov without momentum',
      { ...valid, optimizer: { type: 'sgd', nesterov: true } },
      'buildTrainingGraph: optimizer.nesterov requires momentum > 0 and dampening = 0 (as torch.optim.SGD); received {"momentum":0,"dampening":0}.',
    ],
    [
      'momentum above 1',
      { ...valid, optimizer: { type: 'sgd', momentum: 1.5 } },
      'buildTrainingGraph: optimizer.momentum must be a number in [0, 1] (default 0); received 1.5.',
    ],
    [
      'an unknown option',
      { ...valid, batchSize: 32 },
      'buildTrainingGraph: batchSize must be absent (known options: layers, loss, dtype, inputShape, optimizer, outputGradients); received 32.',
    ],
  ])('%s', (_name, options, message) => {
    expect(messageOf(options)).toBe(message);
  });

  it('reports every problem at once', () => {
    const message = messageOf({
      ...valid,
      loss: 'hinge',
      dtype: 'int8',
      optimizer: { type: 'adam', beta2: 2 },
    });
    expect(message).toBe(
      [
        'buildTrainingGraph: 3 problems:',
        '- buildTrainingGraph: dtype must be "float32" or "float64" (or omitted); received "int8".',
        '- buildTrainingGraph: loss must be "softmaxCrossEntropy" or "meanSquaredError"; received "hinge".',
        '- buildTrainingGraph: optimizer.beta2 must be a number in [0, 1) (default 0.999); received 2.',
      ].join('\n'),
    );
  });

  it('buildEvaluationGraph validates the same model options', () => {
    expect(() => buildEvaluationGraph({ ...valid, layers: [] })).toThrow(
      'buildEvaluationGraph: layers must be a non-empty array of layers; received [].',
    );
  });
});

describe('graph interface', () => {
  it('names inputs and outputs as documented, torch layouts, distinct output names', () => {
    const graph = buildTrainingGraph({ ...valid, optimizer: { type: 'adamw' } });
    expect(graph.inputNames).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.2.weight',
      'layers.2.bias',
      'layers.0.weight.exp_avg',
      'layers.0.bias.exp_avg',
      'layers.2.weight.exp_avg',
      'layers.2.bias.exp_avg',
      'layers.0.weight.exp_avg_sq',
      'layers.0.bias.exp_avg_sq',
      'layers.2.weight.exp_avg_sq',
      'layers.2.bias.exp_avg_sq',
      'x',
      'y',
      'learning_rate',
      'step',
    ]);
    expect(graph.outputNames[0]).toBe('loss');
    expect(graph.outputNames.slice(1)).toEqual(graph.inputNames.slice(0, 12).map((name) => `${name}.next`));
    expect(graph.outputNames.filter((name) => graph.inputNames.includes(name))).toEqual([]);
    expect(graph.parameters).toEqual([
      { name: 'layers.0.weight', shape: [3, 4], fanIn: 4 },
      { name: 'layers.0.bias', shape: [3], fanIn: 4 },
      { name: 'layers.2.weight', shape: [2, 3], fanIn: 3 },
      { name: 'layers.2.bias', shape: [2], fanIn: 3 },
    ]);
    expect(graph.inputs.find((i) => i.name === 'y')).toEqual({ name: 'y', type: 'int64', shape: ['batch'] });
    expect(graph.inputs.find((i) => i.name === 'learning_rate')).toEqual({
      name: 'learning_rate',
      type: 'float32',
      shape: [],
    });
    expect(graph.opsetVersion).toBe(18);
    expect(graph.irVersion).toBe(8);
    expect(graph.options.optimizer).toEqual({
      type: 'adamw',
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: 0.01,
    });
  });

  it('plain SGD has no state and no step input; conv2d weights are [filters, channels, kh, kw]', () => {
    const graph = buildTrainingGraph({ ...conv, optimizer: { type: 'sgd' }, dtype: 'float64' });
    expect(graph.state).toEqual([]);
    expect(graph.stepInput).toBeUndefined();
    expect(graph.inputNames).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.2.weight',
      'layers.2.bias',
      'x',
      'y',
      'learning_rate',
    ]);
    expect(graph.parameters[0]).toEqual({ name: 'layers.0.weight', shape: [2, 1, 3, 3], fanIn: 9 });
    expect(graph.parameters[2]).toEqual({ name: 'layers.2.weight', shape: [2, 18], fanIn: 18 });
    expect(graph.inputs.find((i) => i.name === 'x')).toEqual({
      name: 'x',
      type: 'float64',
      shape: ['batch', 1, 5, 5],
    });
  });

  it('the evaluation graph takes parameters, x, y and gives logits, loss, accuracy (MSE: no accuracy)', () => {
    const classification = buildEvaluationGraph(valid);
    expect(classification.inputNames).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.2.weight',
      'layers.2.bias',
      'x',
      'y',
    ]);
    expect(classification.outputNames).toEqual(['logits', 'loss', 'accuracy']);
    const regression = buildEvaluationGraph({ ...valid, loss: 'meanSquaredError' });
    expect(regression.outputNames).toEqual(['logits', 'loss']);
    expect(regression.inputs.find((i) => i.name === 'y')).toEqual({
      name: 'y',
      type: 'float32',
      shape: ['batch', 2],
    });
  });

  it('building is deterministic: the same options give the same bytes', () => {
    expect(buildTrainingGraph(conv).model).toEqual(buildTrainingGraph(conv).model);
  });
});
