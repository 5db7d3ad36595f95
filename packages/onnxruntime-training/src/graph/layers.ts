/**
 * Forward and hand-derived backward passes of each layer, emitted as standard ONNX ops.
 * Every rule here is checked against central finite differences in float64 (test/gradients.test.ts).
 */
import { attribute, type GraphBuilder } from '../onnx/graph-builder';
import type { NormalizedLayer } from './spec';

/** A trainable tensor: torch layout, fan-in used by `initParameters`. */
export interface ParameterInfo {
  readonly name: string;
  readonly shape: readonly number[];
  /** Inputs feeding one output unit (dense: in features; conv2d: channels × kernel area). */
  readonly fanIn: number;
}

export interface LayerEmission {
  readonly output: string;
  /**
   * Emits the backward pass: given dL/d(output), records parameter gradients in `gradients` and
   * returns dL/d(input) when `needInputGradient` is true.
   */
  readonly backward: (outputGradient: string, needInputGradient: boolean) => string | undefined;
}

/** sqrt(2/π) and the cubic coefficient of the tanh approximation of GELU. */
const GELU_SCALE = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

export function emitLayer(
  g: GraphBuilder,
  layer: NormalizedLayer,
  index: number,
  input: string,
  inputShape: readonly number[],
  outputShape: readonly number[],
  parameters: ParameterInfo[],
  gradients: Map<string, string>,
): LayerEmission {
  switch (layer.type) {
    case 'dense':
      return emitDense(g, layer, index, input, inputShape, parameters, gradients);
    case 'relu': {
      const output = g.op('Relu', [input]);
      return {
        output,
        // dx = dy where x > 0, else 0 (the derivative at 0 is taken as 0, as PyTorch)
        backward: (dy, needInput) =>
          needInput ? g.op('Where', [g.op('Greater', [input, g.scalar(0)]), dy, g.scalar(0)]) : undefined,
      };
    }
    case 'tanh': {
      const output = g.op('Tanh', [input]);
      return {
        output,
        // dx = dy (1 − y²)
        backward: (dy, needInput) =>
          needInput
            ? g.op('Mul', [dy, g.op('Sub', [g.scalar(1), g.op('Mul', [output, output])])])
            : undefined,
      };
    }
    case 'sigmoid': {
      const output = g.op('Sigmoid', [input]);
      return {
        output,
        // dx = dy y (1 − y)
        backward: (dy, needInput) =>
          needInput
            ? g.op('Mul', [dy, g.op('Mul', [output, g.op('Sub', [g.scalar(1), output])])])
            : undefined,
      };
    }
    case 'gelu':
      return emitGelu(g, input);
    case 'flatten': {
      const output = g.op('Flatten', [input], { axis: attribute.int(1) });
      return {
        output,
        backward: (dy, needInput) =>
          needInput ? g.op('Reshape', [dy, g.int64s([-1, ...inputShape])]) : undefined,
      };
    }
    case 'maxPool2d':
      return emitMaxPool2d(g, layer, input, inputShape, outputShape);
    case 'conv2d':
      return emitConv2d(g, layer, index, input, inputShape, outputShape, parameters, gradients);
  }
}

/** Dense (torch.nn.Linear): y = x Wᵀ + b. */
function emitDense(
  g: GraphBuilder,
  layer: Extract<NormalizedLayer, { type: 'dense' }>,
  index: number,
  input: string,
  inputShape: readonly number[],
  parameters: ParameterInfo[],
  gradients: Map<string, string>,
): LayerEmission {
  const inFeatures = inputShape[0]!;
  const weight = `layers.${index}.weight`;
  const bias = `layers.${index}.bias`;
  parameters.push({ name: weight, shape: [layer.units, inFeatures], fanIn: inFeatures });
  parameters.push({ name: bias, shape: [layer.units], fanIn: inFeatures });
  // y = x Wᵀ + b
  const output = g.op('Gemm', [input, weight, bias], { transB: attribute.int(1) });
  return {
    output,
    backward: (dy, needInput) => {
      // dW = dyᵀ x, db = Σ_batch dy, dx = dy W
      gradients.set(weight, g.op('Gemm', [dy, input], { transA: attribute.int(1) }));
      gradients.set(bias, g.op('ReduceSum', [dy, g.int64s([0])], { keepdims: attribute.int(0) }));
      return needInput ? g.op('MatMul', [dy, weight]) : undefined;
    },
  };
}

/** GELU, tanh approximation: y = ½ x (1 + tanh(u)), u = c (x + k x³), c = sqrt(2/π), k = 0.044715. */
function emitGelu(g: GraphBuilder, input: string): LayerEmission {
  const square = g.op('Mul', [input, input]);
  const inner = g.op('Add', [input, g.op('Mul', [g.scalar(GELU_CUBIC), g.op('Mul', [square, input])])]);
  const t = g.op('Tanh', [g.op('Mul', [g.scalar(GELU_SCALE), inner])]);
  const onePlusT = g.op('Add', [g.scalar(1), t]);
  const output = g.op('Mul', [g.op('Mul', [g.scalar(0.5), input]), onePlusT]);
  return {
    output,
    backward: (dy, needInput) => {
      if (!needInput) return undefined;
      // dy/dx = ½ (1 + t) + ½ x (1 − t²) c (1 + 3k x²)
      const du = g.op('Mul', [
        g.scalar(GELU_SCALE),
        g.op('Add', [g.scalar(1), g.op('Mul', [g.scalar(3 * GELU_CUBIC), square])]),
      ]);
      const sech2 = g.op('Sub', [g.scalar(1), g.op('Mul', [t, t])]);
      const derivative = g.op('Add', [
        g.op('Mul', [g.scalar(0.5), onePlusT]),
        g.op('Mul', [g.op('Mul', [g.scalar(0.5), input]), g.op('Mul', [sech2, du])]),
      ]);
      return g.op('Mul', [dy, derivative]);
    },
  };
}

/**
 * Max pooling from standard ops that every provider runs (WebGPU's `MaxPool` has no indices
 * output): one Gather with a constant index table lays every window out along an axis
 * ([B, C, window, positions]); the forward pass is its ReduceMax. The backward pass routes dy to
 * the first maximum of each window in scan order, as PyTorch and ONNX Runtime's indices do: the
 * window's maxima, minus every one preceded by an earlier maximum (exclusive CumSum), then a
 * scatter-add back to the input positions (add, so overlapping windows sum their contributions).
 */
function emitMaxPool2d(
  g: GraphBuilder,
  layer: Extract<NormalizedLayer, { type: 'maxPool2d' }>,
  input: string,
  inputShape: readonly number[],
  outputShape: readonly number[],
): LayerEmission {
  const [channels, height, width] = inputShape as [number, number, number];
  const [, outHeight, outWidth] = outputShape as [number, number, number];
  const [poolHeight, poolWidth] = layer.poolSize;
  const [strideY, strideX] = layer.stride;
  const window = poolHeight * poolWidth;
  const positions = outHeight * outWidth;
  // index[i·pw + j, oy·Wo + ox] = (oy·sy + i)·W + (ox·sx + j)
  const table: number[] = new Array(window * positions);
  for (let i = 0; i < poolHeight; i++)
    for (let j = 0; j < poolWidth; j++)
      for (let oy = 0; oy < outHeight; oy++)
        for (let ox = 0; ox < outWidth; ox++)
          table[(i * poolWidth + j) * positions + oy * outWidth + ox] =
            (oy * strideY + i) * width + (ox * strideX + j);
  const indexTable = g.int64s(table, [window, positions]);
  const flat = g.op('Reshape', [input, g.int64s([-1, channels, height * width])]);
  const windows = g.op('Gather', [flat, indexTable], { axis: attribute.int(2) }); // [B, C, window, positions]
  const maxima = g.op('ReduceMax', [windows, g.int64s([2])], { keepdims: attribute.int(1) }); // [B, C, 1, positions]
  const output = g.op('Reshape', [maxima, g.int64s([-1, channels, outHeight, outWidth])]);
  return {
    output,
    backward: (dy, needInput) => {
      if (!needInput) return undefined;
      const isMax = g.cast(g.op('Equal', [windows, maxima]), g.dtype);
      const earlier = g.op('CumSum', [isMax, g.int64s([2])], { exclusive: attribute.int(1) });
      // 1 where this is a maximum and no earlier one is: isMax · max(0, 1 − earlier)
      const first = g.op('Mul', [isMax, g.op('Relu', [g.op('Sub', [g.scalar(1), earlier])])]);
      const dWindows = g.op('Mul', [first, g.op('Reshape', [dy, g.int64s([-1, channels, 1, positions])])]);
      const updates = g.op('Reshape', [dWindows, g.int64s([-1, channels, window * positions])]);
      const indices = g.op('Expand', [
        g.op('Reshape', [indexTable, g.int64s([1, 1, window * positions])]),
        g.op('Shape', [updates]),
      ]);
      const zeros = g.op('Expand', [g.scalar(0), g.op('Shape', [flat])]);
      const scattered = g.op('ScatterElements', [zeros, indices, updates], {
        axis: attribute.int(2),
        reduction: attribute.string('add'),
      });
      return g.op('Reshape', [scattered, g.int64s([-1, ...inputShape])]);
    },
  };
}

/**
 * Convolution as im2col + MatMul with standard ops (ONNX Runtime's CPU Conv has no float64
 * kernel): one Gather with a constant index table picks every receptive field of the
 * zero-padded, flattened input; the backward pass scatter-adds the column gradients back.
 */
function emitConv2d(
  g: GraphBuilder,
  layer: Extract<NormalizedLayer, { type: 'conv2d' }>,
  index: number,
  input: string,
  inputShape: readonly number[],
  outputShape: readonly number[],
  parameters: ParameterInfo[],
  gradients: Map<string, string>,
): LayerEmission {
  const [channels, height, width] = inputShape as [number, number, number];
  const [filters, outHeight, outWidth] = outputShape as [number, number, number];
  const [kernelHeight, kernelWidth] = layer.kernelSize;
  const [strideY, strideX] = layer.stride;
  const [padY, padX] = layer.padding;
  const paddedHeight = height + 2 * padY;
  const paddedWidth = width + 2 * padX;
  const patch = channels * kernelHeight * kernelWidth; // rows of the column matrix
  const positions = outHeight * outWidth; // columns
  const weight = `layers.${index}.weight`;
  const bias = `layers.${index}.bias`;
  parameters.push({ name: weight, shape: [filters, channels, kernelHeight, kernelWidth], fanIn: patch });
  parameters.push({ name: bias, shape: [filters], fanIn: patch });

  // index[(c·kh + i)·kw + j, oy·Wo + ox] = c·Hp·Wp + (oy·sy + i)·Wp + (ox·sx + j)
  const table: number[] = new Array(patch * positions);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < kernelHeight; i++) {
      for (let j = 0; j < kernelWidth; j++) {
        const row = (c * kernelHeight + i) * kernelWidth + j;
        for (let oy = 0; oy < outHeight; oy++) {
          for (let ox = 0; ox < outWidth; ox++) {
            table[row * positions + oy * outWidth + ox] =
              c * paddedHeight * paddedWidth + (oy * strideY + i) * paddedWidth + (ox * strideX + j);
          }
        }
      }
    }
  }
  const indexTable = g.int64s(table, [patch, positions]);
  const padded =
    padY > 0 || padX > 0
      ? g.op('Pad', [input, g.int64s([0, 0, padY, padX, 0, 0, padY, padX])], {
          mode: attribute.string('constant'),
        })
      : input;
  const flat = g.op('Reshape', [padded, g.int64s([-1, channels * paddedHeight * paddedWidth])]);
  const columns = g.op('Gather', [flat, indexTable], { axis: attribute.int(1) }); // [B, patch, positions]
  const weightMatrix = g.op('Reshape', [weight, g.int64s([filters, patch])]);
  const product3 = g.op('MatMul', [weightMatrix, columns]); // [B, filters, positions]
  const withBias = g.op('Add', [product3, g.op('Reshape', [bias, g.int64s([filters, 1])])]);
  const output = g.op('Reshape', [withBias, g.int64s([-1, filters, outHeight, outWidth])]);
  return {
    output,
    backward: (dy, needInput) => {
      const dy3 = g.op('Reshape', [dy, g.int64s([-1, filters, positions])]);
      // db = Σ_{batch, positions} dy;  dW = Σ_batch dy3 · columnsᵀ
      gradients.set(bias, g.op('ReduceSum', [dy3, g.int64s([0, 2])], { keepdims: attribute.int(0) }));
      const perSample = g.op('MatMul', [
        dy3,
        g.op('Transpose', [columns], { perm: attribute.ints([0, 2, 1]) }),
      ]);
      const dW = g.op('ReduceSum', [perSample, g.int64s([0])], { keepdims: attribute.int(0) });
      gradients.set(weight, g.op('Reshape', [dW, g.int64s([filters, channels, kernelHeight, kernelWidth])]));
      if (!needInput) return undefined;
      // dcolumns = Wᵀ · dy3, scatter-added into the padded input positions they were read from
      const dColumns = g.op('MatMul', [
        g.op('Transpose', [weightMatrix], { perm: attribute.ints([1, 0]) }),
        dy3,
      ]);
      const dColumnsFlat = g.op('Reshape', [dColumns, g.int64s([-1, patch * positions])]);
      const indices = g.op('Expand', [
        g.op('Reshape', [indexTable, g.int64s([1, patch * positions])]),
        g.op('Shape', [dColumnsFlat]),
      ]);
      const zeros = g.op('Expand', [g.scalar(0), g.op('Shape', [flat])]);
      const dFlat = g.op('ScatterElements', [zeros, indices, dColumnsFlat], {
        axis: attribute.int(1),
        reduction: attribute.string('add'),
      });
      const dPadded = g.op('Reshape', [dFlat, g.int64s([-1, channels, paddedHeight, paddedWidth])]);
      if (padY === 0 && padX === 0) return dPadded;
      return g.op('Slice', [
        dPadded,
        g.int64s([padY, padX]),
        g.int64s([padY + height, padX + width]),
        g.int64s([2, 3]),
      ]);
    },
  };
}
