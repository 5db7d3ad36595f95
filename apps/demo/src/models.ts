import {
  initialParameters as initialMlpParameters,
  type MlpParameters,
  toDenseKernel,
  transpose,
} from './model';
import { createRandom } from './random';

/**
 * The demo's two example models, described once for every runtime. Browser-safe (no Node
 * built-ins): the page that trains in Chromium uses it too.
 *
 * - `mlp`: dense 784→128, ReLU, dense 128→10.
 * - `cnn`: conv 5×5×8, ReLU, max-pool 2, conv 5×5×16, ReLU, max-pool 2, flatten, dense 256→10
 *   (28×28 → 24×24 → 12×12 → 8×8 → 4×4).
 */
export const modelNames = ['cnn', 'mlp'] as const;
export type ModelName = (typeof modelNames)[number];

/** One parameter tensor in torch layout (the ONNX training graph's layout and name). */
export interface ParameterTensor {
  /** The training graph's parameter name (`layers.0.weight`, ...). */
  readonly name: string;
  /** Short name for TensorBoard histograms (`weights/<tag>`). */
  readonly tag: string;
  /** torch shape: Linear `[out, in]`, Conv2d `[out, in, kh, kw]`, biases `[out]`. */
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** A model's parameters, in the order the model declares them. */
export interface ModelParameters {
  readonly model: ModelName;
  readonly tensors: readonly ParameterTensor[];
}

/** The CNN's layers, in the order both runtimes build them. */
export const cnnLayout = {
  imageSize: 28,
  kernelSize: 5,
  conv1Filters: 8,
  conv2Filters: 16,
  /** Spatial size after the second pooling: ((28 - 4) / 2 - 4) / 2. */
  finalSize: 4,
  classes: 10,
} as const;

/** Describes a model in words, for the report and the terminal. */
export function describeModel(model: ModelName): string {
  return model === 'cnn'
    ? 'CNN: conv 5×5×8, ReLU, max-pool 2, conv 5×5×16, ReLU, max-pool 2, dense 256-10 (softmax cross-entropy)'
    : 'MLP 784-128-10 (ReLU, softmax cross-entropy)';
}

/** The MLP's parameters as named tensors (graph names of torch.nn.Sequential numbering). */
export function mlpModelParameters(parameters: MlpParameters): ModelParameters {
  const { inputUnits, hiddenUnits, classes } = parameters.shape;
  return {
    model: 'mlp',
    tensors: [
      { name: 'layers.0.weight', tag: 'w1', shape: [hiddenUnits, inputUnits], values: parameters.w1 },
      { name: 'layers.0.bias', tag: 'b1', shape: [hiddenUnits], values: parameters.b1 },
      { name: 'layers.2.weight', tag: 'w2', shape: [classes, hiddenUnits], values: parameters.w2 },
      { name: 'layers.2.bias', tag: 'b2', shape: [classes], values: parameters.b2 },
    ],
  };
}

/** Shapes of the CNN's parameters in torch layout, with their graph names (conv, relu, pool, conv, relu, pool, flatten, dense). */
function cnnShapes(): { name: string; tag: string; shape: number[]; fanIn: number }[] {
  const { kernelSize: k, conv1Filters: c1, conv2Filters: c2, finalSize: f, classes } = cnnLayout;
  const flat = c2 * f * f;
  return [
    { name: 'layers.0.weight', tag: 'conv1_w', shape: [c1, 1, k, k], fanIn: k * k },
    { name: 'layers.0.bias', tag: 'conv1_b', shape: [c1], fanIn: k * k },
    { name: 'layers.3.weight', tag: 'conv2_w', shape: [c2, c1, k, k], fanIn: c1 * k * k },
    { name: 'layers.3.bias', tag: 'conv2_b', shape: [c2], fanIn: c1 * k * k },
    { name: 'layers.7.weight', tag: 'dense_w', shape: [classes, flat], fanIn: flat },
    { name: 'layers.7.bias', tag: 'dense_b', shape: [classes], fanIn: flat },
  ];
}

/**
 * The initial weights every runtime starts from, drawn from one seeded generator in a fixed
 * order and rounded to float32: torch's default initialisation (Linear and Conv2d weights and
 * biases uniform in ±1/√fanIn, fanIn = in-channels × kernel area for a convolution).
 */
export function initialModelParameters(model: ModelName, seed: number): ModelParameters {
  if (model === 'mlp') return mlpModelParameters(initialMlpParameters(seed));
  const random = createRandom(seed);
  return {
    model,
    tensors: cnnShapes().map(({ name, tag, shape, fanIn }) => {
      const bound = 1 / Math.sqrt(fanIn);
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < values.length; i++) values[i] = random.uniform(-bound, bound);
      return { name, tag, shape, values };
    }),
  };
}

/** The same tensors with new values (same order), e.g. read back from a runtime. */
export function withValues(parameters: ModelParameters, values: readonly Float32Array[]): ModelParameters {
  return {
    model: parameters.model,
    tensors: parameters.tensors.map((tensor, index) => ({ ...tensor, values: values[index]! })),
  };
}

/** A tfjs weight: its shape and values in tfjs layout. */
export interface TfjsWeight {
  readonly shape: number[];
  readonly values: Float32Array;
}

/** torch Conv2d `[out, in, kh, kw]` → tfjs conv2d kernel `[kh, kw, in, out]`; `inverse` goes back. */
export function convKernel(values: Float32Array, shape: readonly number[], inverse = false): Float32Array {
  const [out, input, kh, kw] = shape as [number, number, number, number];
  const result = new Float32Array(values.length);
  for (let o = 0; o < out; o++)
    for (let i = 0; i < input; i++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) {
          const torch = ((o * input + i) * kh + y) * kw + x;
          const tfjs = ((y * kw + x) * input + i) * out + o;
          if (inverse) result[torch] = values[tfjs]!;
          else result[tfjs] = values[torch]!;
        }
  return result;
}

/**
 * The dense layer after a flatten: torch flattens `[channels, h, w]` (index c·h·w + y·w + x),
 * tfjs flattens `[h, w, channels]` (index (y·w + x)·channels + c), and tfjs kernels are
 * `[in, out]`. Maps torch `[out, in]` to the tfjs kernel; `inverse` goes back.
 */
export function flattenedDenseKernel(
  values: Float32Array,
  classes: number,
  channels: number,
  size: number,
  inverse = false,
): Float32Array {
  const features = channels * size * size;
  const result = new Float32Array(values.length);
  for (let o = 0; o < classes; o++)
    for (let c = 0; c < channels; c++)
      for (let p = 0; p < size * size; p++) {
        const torch = o * features + c * size * size + p;
        const tfjs = (p * channels + c) * classes + o;
        if (inverse) result[torch] = values[tfjs]!;
        else result[tfjs] = values[torch]!;
      }
  return result;
}

/** The parameters as tfjs layer weights (in `model.getWeights()` order). */
export function toTfjsWeights(parameters: ModelParameters): TfjsWeight[] {
  const { conv2Filters, finalSize } = cnnLayout;
  return parameters.tensors.map(({ shape, values }) => {
    if (shape.length === 1) return { shape: [...shape], values };
    if (shape.length === 4) {
      const [out, input, kh, kw] = shape as [number, number, number, number];
      return { shape: [kh, kw, input, out], values: convKernel(values, shape) };
    }
    const [out, input] = shape as [number, number];
    if (parameters.model === 'cnn') {
      return { shape: [input, out], values: flattenedDenseKernel(values, out, conv2Filters, finalSize) };
    }
    return { shape: [input, out], values: toDenseKernel(values, out, input) };
  });
}

/** tfjs layer weights (in `model.getWeights()` order) back in torch layout. */
export function fromTfjsWeights(
  template: ModelParameters,
  weights: readonly Float32Array[],
): ModelParameters {
  const { conv2Filters, finalSize } = cnnLayout;
  return withValues(
    template,
    template.tensors.map(({ shape }, index) => {
      const values = weights[index]!;
      if (shape.length === 1) return Float32Array.from(values);
      if (shape.length === 4) return convKernel(values, shape, true);
      const [out, input] = shape as [number, number];
      if (template.model === 'cnn') return flattenedDenseKernel(values, out, conv2Filters, finalSize, true);
      return transpose(values, input, out);
    }),
  );
}
