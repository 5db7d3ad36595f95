/** Conversion of user data to ONNX Runtime tensors, checked against the graph's declared inputs. */
import { Tensor } from 'onnxruntime-node';
import { FeedError, formatValue } from './errors';
import type { GraphValueInfo } from './graph/build';

/** Data accepted for `x` and `y`: an ORT tensor, or a typed array / number array laid out row-major (batch first). */
export type TensorLike =
  | Tensor
  | Float32Array
  | Float64Array
  | BigInt64Array
  | Int32Array
  | Uint8Array
  | readonly number[];

export const formatShape = (shape: readonly (number | string)[]) => `[${shape.join(', ')}]`;

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
export function toInputTensor(info: GraphValueInfo, value: unknown, problems: string[]): Tensor | undefined {
  if (info.shape.length === 1 && info.shape[0] === '?') {
    // the session did not report this input's type and shape: only tensors can be fed as they are
    if (value instanceof Tensor || isTensorLike(value)) return value as Tensor;
    problems.push(
      `${info.name} must be an onnxruntime-node Tensor: this onnxruntime-node version does not report the graph's input shapes; received ${formatValue(value)}`,
    );
    return undefined;
  }
  const fixed = info.shape.slice(1) as number[];
  const rowSize = fixed.reduce((a, b) => a * b, 1);
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

function isTensorLike(value: unknown): boolean {
  // a Tensor from another copy of onnxruntime-common
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
