/**
 * The wasm backend of tfjs 4.22 has no `Conv2DBackpropFilter` kernel (the gradient of a 2-D
 * convolution with respect to its filter), so a CNN cannot train on it. It does have
 * `Conv3DBackpropFilterV2`, and a 2-D convolution is a 3-D one with depth 1: NHWC `[b, h, w, c]`
 * and NDHWC `[b, 1, h, w, c]` are the same bytes. This registers `Conv2DBackpropFilter` for wasm
 * as that 3-D kernel on the same data (no copy), so the gradient is computed by the wasm
 * backend's own code.
 */
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

type Tf = typeof import('@tensorflow/tfjs-core');

interface Conv2dBackpropFilterAttrs {
  readonly strides: number | [number, number];
  readonly pad: unknown;
  readonly dataFormat: string;
  readonly filterShape: [number, number, number, number];
}

/** Registers the fallback once; a later call (or a tfjs that gained the kernel) changes nothing. */
export function registerWasmConv2dBackpropFilter(tf: Tf): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) return;
  const conv3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm');
  if (conv3d === undefined) return;
  const config: KernelConfig = {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const { strides, pad, dataFormat, filterShape } = attrs as unknown as Conv2dBackpropFilterAttrs;
      if (dataFormat !== 'NHWC' || (pad !== 'valid' && pad !== 'same')) {
        throw new Error(
          `Conv2DBackpropFilter on wasm (demo fallback): only NHWC with 'valid' or 'same' padding; received ${dataFormat}, ${JSON.stringify(pad)}.`,
        );
      }
      const [strideHeight, strideWidth] = typeof strides === 'number' ? [strides, strides] : strides;
      const as5d = (tensor: TensorInfo): TensorInfo => ({
        ...tensor,
        shape: [tensor.shape[0]!, 1, ...tensor.shape.slice(1)],
      });
      const result = conv3d.kernelFunc({
        inputs: { x: as5d(x), dy: as5d(dy) },
        backend,
        attrs: {
          strides: [1, strideHeight, strideWidth],
          pad,
          filterShape: [1, ...filterShape],
        } as unknown as NamedAttrMap,
      }) as TensorInfo;
      return { ...result, shape: [...filterShape] };
    },
  };
  tf.registerKernel(config);
}
