import { createRandom } from './random';

/** Layer sizes of the demo's multilayer perceptron: 784 inputs, one ReLU hidden layer, 10 classes. */
export interface MlpShape {
  readonly inputUnits: number;
  readonly hiddenUnits: number;
  readonly classes: number;
}

export const defaultMlpShape: MlpShape = { inputUnits: 784, hiddenUnits: 128, classes: 10 };

/**
 * Parameters in the layout of torch.nn.Linear and of the ONNX training graph: weights are
 * [out, in] row-major (`w1[o * in + i]`), biases [out]. tfjs Dense kernels are [in, out]:
 * convert with `toDenseKernel`.
 */
export interface MlpParameters {
  readonly shape: MlpShape;
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  readonly w2: Float32Array;
  readonly b2: Float32Array;
}

/**
 * The initial weights every runtime starts from: torch.nn.Linear's default initialisation
 * (weights and biases uniform in ±1/√fanIn), drawn from one seeded generator in a fixed order
 * (w1, b1, w2, b2), rounded to float32.
 */
export function initialParameters(seed: number, shape: MlpShape = defaultMlpShape): MlpParameters {
  const random = createRandom(seed);
  const fill = (length: number, fanIn: number): Float32Array => {
    const bound = 1 / Math.sqrt(fanIn);
    const values = new Float32Array(length);
    for (let i = 0; i < length; i++) values[i] = random.uniform(-bound, bound);
    return values;
  };
  const { inputUnits, hiddenUnits, classes } = shape;
  const w1 = fill(hiddenUnits * inputUnits, inputUnits);
  const b1 = fill(hiddenUnits, inputUnits);
  const w2 = fill(classes * hiddenUnits, hiddenUnits);
  const b2 = fill(classes, hiddenUnits);
  return { shape, w1, b1, w2, b2 };
}

/** Transposes a row-major [rows, columns] matrix into [columns, rows]. */
export function transpose(values: Float32Array, rows: number, columns: number): Float32Array {
  if (values.length !== rows * columns) {
    throw new RangeError(
      `transpose: expected ${rows}×${columns} = ${rows * columns} values; received ${values.length}.`,
    );
  }
  const result = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) result[c * rows + r] = values[r * columns + c]!;
  }
  return result;
}

/** A torch-layout weight [out, in] as a tfjs Dense kernel [in, out]. */
export function toDenseKernel(weight: Float32Array, outUnits: number, inUnits: number): Float32Array {
  return transpose(weight, outUnits, inUnits);
}

/** A tfjs Dense kernel [in, out] as a torch-layout weight [out, in]. */
export function fromDenseKernel(kernel: Float32Array, inUnits: number, outUnits: number): Float32Array {
  return transpose(kernel, inUnits, outUnits);
}

/**
 * Reference forward pass in float64 (logits for each sample), used by tests to check that both
 * runtimes read the same parameters the same way.
 */
export function referenceLogits(
  parameters: MlpParameters,
  images: Float32Array,
  count: number,
): Float64Array {
  const { inputUnits, hiddenUnits, classes } = parameters.shape;
  const logits = new Float64Array(count * classes);
  const hidden = new Float64Array(hiddenUnits);
  for (let n = 0; n < count; n++) {
    const offset = n * inputUnits;
    for (let h = 0; h < hiddenUnits; h++) {
      let sum = parameters.b1[h]!;
      const row = h * inputUnits;
      for (let i = 0; i < inputUnits; i++) sum += parameters.w1[row + i]! * images[offset + i]!;
      hidden[h] = Math.max(sum, 0);
    }
    for (let c = 0; c < classes; c++) {
      let sum = parameters.b2[c]!;
      const row = c * hiddenUnits;
      for (let h = 0; h < hiddenUnits; h++) sum += parameters.w2[row + h]! * hidden[h]!;
      logits[n * classes + c] = sum;
    }
  }
  return logits;
}
