/** Conversion of user data to ONNX Runtime tensors, checked against the graph's declared inputs. */
import type { TensorConstructor } from 'onnxruntime-common';
import { FeedError, formatValue } from './errors';
import type { GraphValueInfo } from './graph/build';
import type { Dtype } from './graph/spec';
import type { Tensor } from './runtime';
import { elementCount, formatShape } from './shape';

/** Data accepted for `x` and `y`: an ORT tensor, or a typed array / number array laid out row-major (batch first). */
export type TensorLike =
  | Tensor
  | Float32Array
  | Float64Array
  | BigInt64Array
  | Int32Array
  | Uint8Array
  | readonly number[];

/** `x: float32 [batch, 784]` lines for error messages. */
export function describeInputs(inputs: readonly GraphValueInfo[]): string {
  return inputs.map((input) => `${input.name}: ${input.type} ${formatShape(input.shape)}`).join(', ');
}

function matchesShape(dims: readonly number[], shape: readonly (number | string)[]): boolean {
  return dims.length === shape.length && shape.every((d, i) => typeof d === 'string' || d === dims[i]);
}

const typeOfArray = (value: unknown): string | undefined => {
  if (value instanceof Float32Array) return 'float32';
  if (value instanceof Float64Array) return 'float64';
  if (value instanceof BigInt64Array) return 'int64';
  if (value instanceof Int32Array) return 'int32';
  if (value instanceof Uint8Array) return 'uint8';
  return undefined;
};

/**
 * Makes the tensor for input `info` from `value`, or records a problem. Typed arrays must be of
 * the input's element type (int64 inputs also take Int32Array, Uint8Array and integer arrays,
 * converted); number arrays are converted. The batch size is derived from the length.
 */
export function toInputTensor(
  Tensor: TensorConstructor,
  info: GraphValueInfo,
  value: unknown,
  problems: string[],
): Tensor | undefined {
  if (info.shape.length === 1 && info.shape[0] === '?') {
    // the session did not report this input's type and shape: only tensors can be fed as they are
    if (value instanceof Tensor || isTensorLike(value)) return value as Tensor;
    problems.push(
      `${info.name} must be an onnxruntime-node Tensor: this onnxruntime-node version does not report the graph's input shapes; received ${formatValue(value)}`,
    );
    return undefined;
  }
  const fixed = info.shape.slice(1) as number[];
  const rowSize = elementCount(fixed);
  if (value instanceof Tensor || isTensorLike(value)) {
    const tensor = value as Tensor;
    if (tensor.type !== info.type) {
      problems.push(
        `${info.name} must be a ${info.type} tensor; received ${tensor.type} ${formatShape(tensor.dims)}`,
      );
      return undefined;
    }
    if (!matchesShape(tensor.dims, info.shape)) {
      problems.push(
        `${info.name} must have shape ${formatShape(info.shape)}; received ${formatShape(tensor.dims)}`,
      );
      return undefined;
    }
    return tensor;
  }
  let data: Float32Array | Float64Array | BigInt64Array | undefined;
  const arrayType = typeOfArray(value);
  if (arrayType === info.type) data = value as Float32Array | Float64Array | BigInt64Array;
  else if (
    info.type === 'int64' &&
    (arrayType === 'int32' || arrayType === 'uint8' || Array.isArray(value))
  ) {
    const source = value as ArrayLike<number>;
    const out = new BigInt64Array(source.length);
    for (let i = 0; i < source.length; i++) {
      const item = source[i]!;
      if (!Number.isSafeInteger(item)) {
        problems.push(`${info.name} must hold integers; received ${formatValue(item)} at index ${i}`);
        return undefined;
      }
      out[i] = BigInt(item);
    }
    data = out;
  } else if (
    Array.isArray(value) &&
    info.type !== 'int64' &&
    value.every((item) => typeof item === 'number')
  ) {
    data = info.type === 'float64' ? Float64Array.from(value) : Float32Array.from(value);
  } else {
    problems.push(
      `${info.name} must be a ${info.type} tensor or a ${info.type === 'float64' ? 'Float64Array' : info.type === 'float32' ? 'Float32Array' : 'BigInt64Array'} of batch × ${rowSize} values; received ${formatValue(value)}`,
    );
    return undefined;
  }
  if (data.length === 0 || data.length % rowSize !== 0) {
    problems.push(
      `${info.name} must hold a whole number of rows of ${rowSize} values (shape ${formatShape(info.shape)}); received ${data.length} values`,
    );
    return undefined;
  }
  return new Tensor(info.type as 'float32', data as Float32Array, [data.length / rowSize, ...fixed]);
}

/** An ONNX Runtime tensor from any copy of onnxruntime-common (onnxruntime-node's and -web's alike). */
export function isTensorLike(value: unknown): value is Tensor {
  return (
    typeof value === 'object' &&
    value !== null &&
    !ArrayBuffer.isView(value) &&
    typeof (value as Tensor).type === 'string' &&
    Array.isArray((value as Tensor).dims) &&
    'data' in value
  );
}

/** Throws one `FeedError` for the collected problems, listing the graph's inputs. */
export function throwFeedProblems(
  method: string,
  problems: readonly string[],
  inputs: readonly GraphValueInfo[],
): void {
  if (problems.length === 0) return;
  throw new FeedError(
    `${method}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n- ${problems.join('\n- ')}`}.\nThe graph's inputs: ${describeInputs(inputs)}.`,
    problems,
  );
}

/** What a batch is checked against: the `x` and `y` inputs, and the class count of integer labels. */
export interface BatchInputs {
  readonly x: GraphValueInfo;
  readonly y: GraphValueInfo;
  /** Labels must lie in [0, classes) (softmax cross-entropy graphs); undefined: not checked. */
  readonly classes: number | undefined;
}

/**
 * The `x` and `y` tensors of a batch for `method` (`trainer.step`, `trainer.evaluate`, ...), or
 * one `FeedError` listing every problem and the graph's `inputs`: element types, shapes, equal
 * row counts, labels in range.
 */
export function toBatch(
  Tensor: TensorConstructor,
  method: string,
  batchInputs: BatchInputs,
  x: unknown,
  y: unknown,
  inputs: readonly GraphValueInfo[],
): { x: Tensor; y: Tensor } {
  const problems: string[] = [];
  const xTensor = toInputTensor(Tensor, batchInputs.x, x, problems);
  const yTensor = toInputTensor(Tensor, batchInputs.y, y, problems);
  if (xTensor && yTensor && xTensor.dims[0] !== yTensor.dims[0]) {
    problems.push(
      `x and y must hold the same number of rows; received ${xTensor.dims[0]} and ${yTensor.dims[0]}`,
    );
  }
  const classes = batchInputs.classes;
  if (yTensor && classes !== undefined) {
    const labels = yTensor.data as BigInt64Array;
    const limit = BigInt(classes);
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i]!;
      if (label < 0n || label >= limit) {
        problems.push(`y must hold class labels in [0, ${classes - 1}]; received ${label} at index ${i}`);
        break;
      }
    }
  }
  throwFeedProblems(method, problems, inputs);
  return { x: xTensor!, y: yTensor! };
}

/** A tensor of `dtype` holding the single `value` (float32 rounds it as `Math.fround`); dims `[]` (a scalar) unless given. */
export function scalarTensor(
  Tensor: TensorConstructor,
  dtype: Dtype,
  value: number,
  dims: readonly number[] = [],
): Tensor {
  return new Tensor(dtype, dtype === 'float64' ? new Float64Array([value]) : new Float32Array([value]), dims);
}

/** Zeros of `dtype` in `shape`. */
export function zerosTensor(Tensor: TensorConstructor, dtype: Dtype, shape: readonly number[]): Tensor {
  const count = elementCount(shape);
  return new Tensor(dtype, dtype === 'float64' ? new Float64Array(count) : new Float32Array(count), shape);
}
