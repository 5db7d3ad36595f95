/** Option types of the graph builders and their validation (every issue collected, one error). */
import type { IssueList } from '../errors';
import { elementCount } from '../shape';

export type Dtype = 'float32' | 'float64';

/** Fully connected layer: y = x Wᵀ + b with W `[units, inputUnits]` and b `[units]` (torch.nn.Linear layout). */
export interface DenseLayer {
  readonly type: 'dense';
  /** Output features. */
  readonly units: number;
}

/** Element-wise activation. `gelu` is the tanh approximation (torch `approximate='tanh'`). */
export interface ActivationLayer {
  readonly type: 'relu' | 'tanh' | 'sigmoid' | 'gelu';
}

/**
 * 2-D convolution over `[channels, height, width]` activations (NCHW with the batch), weight
 * `[filters, channels, kernelHeight, kernelWidth]` and bias `[filters]` (torch.nn.Conv2d layout),
 * zero padding on both sides, no dilation, one group.
 */
export interface Conv2dLayer {
  readonly type: 'conv2d';
  readonly filters: number;
  /** Kernel size, one number for square kernels or `[height, width]`. */
  readonly kernelSize: number | readonly [number, number];
  /** Stride, default 1. */
  readonly stride?: number | readonly [number, number];
  /** Zero padding added to each side, default 0. */
  readonly padding?: number | readonly [number, number];
}

/** 2-D max pooling without padding (floor mode, torch.nn.MaxPool2d semantics). */
export interface MaxPool2dLayer {
  readonly type: 'maxPool2d';
  readonly poolSize: number | readonly [number, number];
  /** Stride, default `poolSize`. */
  readonly stride?: number | readonly [number, number];
}

/** Flattens `[channels, height, width]` into one feature axis (torch.nn.Flatten). */
export interface FlattenLayer {
  readonly type: 'flatten';
}

export type LayerSpec = DenseLayer | ActivationLayer | Conv2dLayer | MaxPool2dLayer | FlattenLayer;

/**
 * `softmaxCrossEntropy`: mean over the batch of −log softmax(z)[y], integer labels `y` (int64 `[batch]`).
 * `meanSquaredError`: mean over every element of (z − y)², targets `y` shaped like the output.
 */
export type LossName = 'softmaxCrossEntropy' | 'meanSquaredError';

/**
 * torch.optim.SGD: optional L2 `weightDecay` added to the gradient, `momentum` with `dampening`
 * and `nesterov` exactly as PyTorch (the momentum buffer starts as the first gradient).
 */
export interface SgdOptimizer {
  readonly type: 'sgd';
  readonly momentum?: number;
  readonly dampening?: number;
  readonly nesterov?: boolean;
  readonly weightDecay?: number;
}

/** torch.optim.Adam (L2 `weightDecay` added to the gradient, no amsgrad). */
export interface AdamOptimizer {
  readonly type: 'adam';
  /** Default 0.9. */
  readonly beta1?: number;
  /** Default 0.999. */
  readonly beta2?: number;
  /** Added to the denominator; default 1e-8 (PyTorch; TensorFlow.js uses 1e-7). */
  readonly epsilon?: number;
  /** Default 0. */
  readonly weightDecay?: number;
}

/** torch.optim.AdamW: decoupled weight decay p ← p·(1 − lr·weightDecay) before the Adam update. */
export interface AdamWOptimizer {
  readonly type: 'adamw';
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** Default 0.01 (PyTorch). */
  readonly weightDecay?: number;
}

export type OptimizerSpec = SgdOptimizer | AdamOptimizer | AdamWOptimizer;

export interface ModelOptions {
  /** The layers in order. */
  readonly layers: readonly LayerSpec[];
  readonly loss: LossName;
  /** Element type of parameters, activations, state and the learning rate. Default `'float32'`. */
  readonly dtype?: Dtype;
  /** Shape of one sample without the batch axis: `[features]` or `[channels, height, width]`. */
  readonly inputShape: readonly number[];
}

export interface TrainingGraphOptions extends ModelOptions {
  readonly optimizer: OptimizerSpec;
  /** Also output each parameter's gradient as `<parameter>.grad` (for checks and diagnostics). Default false. */
  readonly outputGradients?: boolean;
}

export type EvaluationGraphOptions = ModelOptions;

// ----------------------------------------------------------------------------------- normalized

export type NormalizedLayer =
  | { readonly type: 'dense'; readonly units: number }
  | { readonly type: 'relu' | 'tanh' | 'sigmoid' | 'gelu' }
  | {
      readonly type: 'conv2d';
      readonly filters: number;
      readonly kernelSize: readonly [number, number];
      readonly stride: readonly [number, number];
      readonly padding: readonly [number, number];
    }
  | {
      readonly type: 'maxPool2d';
      readonly poolSize: readonly [number, number];
      readonly stride: readonly [number, number];
    }
  | { readonly type: 'flatten' };

export type NormalizedOptimizer =
  | {
      readonly type: 'sgd';
      readonly momentum: number;
      readonly dampening: number;
      readonly nesterov: boolean;
      readonly weightDecay: number;
    }
  | {
      readonly type: 'adam' | 'adamw';
      readonly beta1: number;
      readonly beta2: number;
      readonly epsilon: number;
      readonly weightDecay: number;
    };

export interface NormalizedModel {
  readonly layers: readonly NormalizedLayer[];
  readonly loss: LossName;
  readonly dtype: Dtype;
  readonly inputShape: readonly number[];
  /** Activation shape (without batch) after each layer; `shapes[0]` is the input shape. */
  readonly shapes: readonly (readonly number[])[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isPositiveInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0;

function readPair(
  issues: IssueList,
  path: string,
  value: unknown,
  fallback: readonly [number, number] | undefined,
  minimum: 0 | 1,
): readonly [number, number] | undefined {
  if (value === undefined && fallback) return fallback;
  const ok = (item: unknown) => typeof item === 'number' && Number.isInteger(item) && item >= minimum;
  if (ok(value)) return [value as number, value as number];
  if (Array.isArray(value) && value.length === 2 && value.every(ok))
    return [value[0] as number, value[1] as number];
  issues.add(
    path,
    `an integer >= ${minimum} or a pair [height, width] of integers >= ${minimum}${fallback ? ' (or omitted)' : ''}`,
    value,
  );
  return undefined;
}

const LAYER_TYPES = ['dense', 'relu', 'tanh', 'sigmoid', 'gelu', 'conv2d', 'maxPool2d', 'flatten'];
const LAYER_KEYS: Record<string, readonly string[]> = {
  dense: ['type', 'units'],
  conv2d: ['type', 'filters', 'kernelSize', 'stride', 'padding'],
  maxPool2d: ['type', 'poolSize', 'stride'],
};

/** The hint for a learning rate given where the graph takes none: it is fed at every step. */
const learningRateHint = (key: string) =>
  ['lr', 'learningRate', 'learning_rate'].includes(key)
    ? '; the learning rate is a graph input fed from the schedule at every step'
    : '';

/** A layer object whose `type` is one of `LAYER_TYPES`. */
type LayerObject = Record<string, unknown> & { readonly type: string };

/** One layer checked: its normalized form (when valid) and the activation shape after it (when known). */
interface LayerResult {
  readonly normalized: NormalizedLayer | undefined;
  readonly shape: number[] | undefined;
}

/**
 * `shape` when it has rank `wanted`; otherwise records that the layer at `path` needs that rank
 * (`hint` added) and returns undefined. An unknown `shape` stays unknown.
 */
function requireRank(
  issues: IssueList,
  path: string,
  layer: LayerObject,
  shape: number[] | undefined,
  wanted: 1 | 3,
  hint: string,
): number[] | undefined {
  if (!shape || shape.length === wanted) return shape;
  issues.addRule(
    path,
    `${path} (${layer.type}) needs ${wanted === 1 ? 'a [features]' : 'a [channels, height, width]'} input but receives shape [${shape.join(', ')}]${hint}`,
    `rank ${wanted}`,
    shape,
  );
  return undefined;
}

function normalizeConv2d(
  issues: IssueList,
  path: string,
  layer: LayerObject,
  shape: number[] | undefined,
): LayerResult {
  if (!isPositiveInteger(layer.filters)) issues.add(`${path}.filters`, 'a positive integer', layer.filters);
  const kernelSize = readPair(issues, `${path}.kernelSize`, layer.kernelSize, undefined, 1);
  const stride = readPair(issues, `${path}.stride`, layer.stride, [1, 1], 1);
  const padding = readPair(issues, `${path}.padding`, layer.padding, [0, 0], 0);
  const input = requireRank(issues, path, layer, shape, 3, '');
  if (!kernelSize || !stride || !padding || !isPositiveInteger(layer.filters))
    return { normalized: undefined, shape: undefined };
  const normalized = { type: 'conv2d', filters: layer.filters, kernelSize, stride, padding } as const;
  if (!input) return { normalized, shape: undefined };
  const [, height, width] = input as [number, number, number];
  const outHeight = Math.floor((height + 2 * padding[0] - kernelSize[0]) / stride[0]) + 1;
  const outWidth = Math.floor((width + 2 * padding[1] - kernelSize[1]) / stride[1]) + 1;
  if (outHeight < 1 || outWidth < 1) {
    issues.addRule(
      `${path}.kernelSize`,
      `${path}.kernelSize [${kernelSize.join(', ')}] must fit the padded input [${height + 2 * padding[0]}, ${width + 2 * padding[1]}]`,
      'a kernel no larger than the padded input',
      layer.kernelSize,
    );
    return { normalized, shape: undefined };
  }
  return { normalized, shape: [layer.filters, outHeight, outWidth] };
}

function normalizeMaxPool2d(
  issues: IssueList,
  path: string,
  layer: LayerObject,
  shape: number[] | undefined,
): LayerResult {
  const poolSize = readPair(issues, `${path}.poolSize`, layer.poolSize, undefined, 1);
  const stride = poolSize ? readPair(issues, `${path}.stride`, layer.stride, poolSize, 1) : undefined;
  const input = requireRank(issues, path, layer, shape, 3, '');
  if (!poolSize || !stride) return { normalized: undefined, shape: undefined };
  const normalized = { type: 'maxPool2d', poolSize, stride } as const;
  if (!input) return { normalized, shape: undefined };
  const [channels, height, width] = input as [number, number, number];
  const outHeight = Math.floor((height - poolSize[0]) / stride[0]) + 1;
  const outWidth = Math.floor((width - poolSize[1]) / stride[1]) + 1;
  if (outHeight < 1 || outWidth < 1) {
    issues.addRule(
      `${path}.poolSize`,
      `${path}.poolSize [${poolSize.join(', ')}] must fit the input [${height}, ${width}]`,
      'a window no larger than the input',
      layer.poolSize,
    );
    return { normalized, shape: undefined };
  }
  return { normalized, shape: [channels, outHeight, outWidth] };
}

/** Checks one layer at `path` given the activation shape before it (undefined: unknown). */
function normalizeLayer(
  issues: IssueList,
  path: string,
  layer: LayerObject,
  shape: number[] | undefined,
): LayerResult {
  issues.addUnknownKeys(layer, LAYER_KEYS[layer.type] ?? ['type'], path, learningRateHint);
  switch (layer.type) {
    case 'dense': {
      if (!isPositiveInteger(layer.units)) issues.add(`${path}.units`, 'a positive integer', layer.units);
      const input = requireRank(issues, path, layer, shape, 1, '; add { type: "flatten" } before it');
      return {
        // recorded even with invalid units: it still counts as a trainable layer
        normalized: { type: 'dense', units: layer.units as number },
        shape: input && isPositiveInteger(layer.units) ? [layer.units] : undefined,
      };
    }
    case 'flatten': {
      const input = requireRank(issues, path, layer, shape, 3, '');
      return { normalized: { type: 'flatten' }, shape: input ? [elementCount(input)] : undefined };
    }
    case 'conv2d':
      return normalizeConv2d(issues, path, layer, shape);
    case 'maxPool2d':
      return normalizeMaxPool2d(issues, path, layer, shape);
    default:
      return { normalized: { type: layer.type as 'relu' | 'tanh' | 'sigmoid' | 'gelu' }, shape };
  }
}

/**
 * Checks the layers in order, propagating the activation shape from `inputShape` (undefined when
 * invalid); returns the valid layers, the shapes after each (`shapes[0]` is the input shape) and
 * the last known shape.
 */
function normalizeLayers(
  issues: IssueList,
  layersValue: readonly unknown[],
  inputShape: number[] | undefined,
): { layers: NormalizedLayer[]; shapes: number[][]; shape: number[] | undefined } {
  const layers: NormalizedLayer[] = [];
  const shapes: number[][] = inputShape ? [[...inputShape]] : [];
  let shape = inputShape ? [...inputShape] : undefined;
  layersValue.forEach((layer, index) => {
    const path = `layers[${index}]`;
    if (!isObject(layer) || typeof layer.type !== 'string' || !LAYER_TYPES.includes(layer.type)) {
      issues.add(
        `${path}.type`,
        `one of ${LAYER_TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
        isObject(layer) ? layer.type : layer,
      );
      shape = undefined;
      return;
    }
    const result = normalizeLayer(issues, path, layer as LayerObject, shape);
    if (result.normalized) layers.push(result.normalized);
    shape = result.shape;
    if (shape) shapes.push([...shape]);
  });
  return { layers, shapes, shape };
}

/** Checks that the last layer suits the loss and that some layer has parameters. */
function checkOutput(
  issues: IssueList,
  shape: number[] | undefined,
  loss: unknown,
  layers: readonly NormalizedLayer[],
  layersValue: readonly unknown[],
): void {
  if (shape && shape.length !== 1) {
    issues.addRule(
      'layers',
      `the last layer must produce [features] for the loss but produces [${shape.join(', ')}]; end with flatten and dense`,
      'a [features] output',
      shape,
    );
  }
  if (shape && loss === 'softmaxCrossEntropy' && shape[0]! < 2) {
    issues.addRule(
      'layers',
      'softmaxCrossEntropy needs at least 2 output features (classes)',
      'at least 2 classes',
      shape[0],
    );
  }
  if (!layers.some((layer) => layer.type === 'dense' || layer.type === 'conv2d')) {
    issues.add(
      'layers',
      'a list containing at least one dense or conv2d layer (something to train)',
      layersValue.map((l: unknown) => (isObject(l) ? l.type : l)),
    );
  }
}

/** Validates the model part (layers, loss, dtype, input shape) and propagates shapes. */
export function normalizeModel(options: unknown, issues: IssueList): NormalizedModel | undefined {
  if (!isObject(options)) {
    issues.add('', 'an options object { layers, loss, inputShape, ... }', options);
    return undefined;
  }
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64')
    issues.add('dtype', '"float32" or "float64" (or omitted)', options.dtype);
  const loss = options.loss;
  if (loss !== 'softmaxCrossEntropy' && loss !== 'meanSquaredError') {
    issues.add('loss', '"softmaxCrossEntropy" or "meanSquaredError"', loss);
  }
  const inputShape = options.inputShape;
  const inputOk =
    Array.isArray(inputShape) &&
    (inputShape.length === 1 || inputShape.length === 3) &&
    inputShape.every(isPositiveInteger);
  if (!inputOk) {
    issues.add(
      'inputShape',
      'the shape of one sample: [features] or [channels, height, width] (positive integers)',
      inputShape,
    );
  }
  const layersValue = options.layers;
  if (!Array.isArray(layersValue) || layersValue.length === 0) {
    issues.add('layers', 'a non-empty array of layers', layersValue);
    return undefined;
  }
  const { layers, shapes, shape } = normalizeLayers(
    issues,
    layersValue,
    inputOk ? (inputShape as number[]) : undefined,
  );
  checkOutput(issues, shape, loss, layers, layersValue);
  if (!issues.ok) return undefined;
  return {
    layers,
    loss: loss as LossName,
    dtype: dtype as Dtype,
    inputShape: [...(inputShape as number[])],
    shapes,
  };
}

const inUnit = (value: number) => value >= 0 && value < 1;
const inUnitClosed = (value: number) => value >= 0 && value <= 1;
const nonNegative = (value: number) => value >= 0 && value < Number.POSITIVE_INFINITY;

const OPTIMIZER_KEYS: Record<NormalizedOptimizer['type'], readonly string[]> = {
  sgd: ['type', 'momentum', 'dampening', 'nesterov', 'weightDecay'],
  adam: ['type', 'beta1', 'beta2', 'epsilon', 'weightDecay'],
  adamw: ['type', 'beta1', 'beta2', 'epsilon', 'weightDecay'],
};

/** Validates the optimizer options and fills PyTorch's defaults. */
export function normalizeOptimizer(options: unknown, issues: IssueList): NormalizedOptimizer | undefined {
  if (!isObject(options) || !['sgd', 'adam', 'adamw'].includes(options.type as string)) {
    issues.add('optimizer.type', '"sgd", "adam" or "adamw"', isObject(options) ? options.type : options);
    return undefined;
  }
  const number = (
    key: string,
    fallback: number,
    check: (value: number) => boolean,
    expected: string,
  ): number => {
    const value = options[key] ?? fallback;
    if (typeof value !== 'number' || !check(value)) issues.add(`optimizer.${key}`, expected, options[key]);
    return value as number;
  };
  issues.addUnknownKeys(
    options,
    OPTIMIZER_KEYS[options.type as NormalizedOptimizer['type']],
    'optimizer',
    learningRateHint,
  );
  if (options.type === 'sgd') {
    const momentum = number('momentum', 0, inUnitClosed, 'a number in [0, 1] (default 0)');
    const dampening = number('dampening', 0, inUnitClosed, 'a number in [0, 1] (default 0)');
    const weightDecay = number('weightDecay', 0, nonNegative, 'a finite number >= 0 (default 0)');
    const nesterov = options.nesterov ?? false;
    if (typeof nesterov !== 'boolean')
      issues.add('optimizer.nesterov', 'a boolean (default false)', options.nesterov);
    if (nesterov === true && (!(momentum > 0) || dampening !== 0)) {
      issues.addRule(
        'optimizer.nesterov',
        'optimizer.nesterov requires momentum > 0 and dampening = 0 (as torch.optim.SGD)',
        'momentum > 0 and dampening 0',
        { momentum, dampening },
      );
    }
    return { type: 'sgd', momentum, dampening, nesterov: nesterov === true, weightDecay };
  }
  const beta1 = number('beta1', 0.9, inUnit, 'a number in [0, 1) (default 0.9)');
  const beta2 = number('beta2', 0.999, inUnit, 'a number in [0, 1) (default 0.999)');
  const epsilon = number('epsilon', 1e-8, nonNegative, 'a finite number >= 0 (default 1e-8)');
  const weightDecay = number(
    'weightDecay',
    options.type === 'adamw' ? 0.01 : 0,
    nonNegative,
    `a finite number >= 0 (default ${options.type === 'adamw' ? 0.01 : 0})`,
  );
  return { type: options.type as 'adam' | 'adamw', beta1, beta2, epsilon, weightDecay };
}
