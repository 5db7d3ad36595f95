/** tfjs in the page: the WebGL or WebGPU backend, then the demo's own tfjs training loop. */
import * as adapter from '@anneal/tfjs';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { trainTfjs } from '../runners/tfjs';
import type { ScalarWriter, TrainingHooks, TrainingPlan, TrainingResult } from '../runners/types';
import { describeGpuAdapter, type GpuAdapterInfoLike } from './protocol';

/** What the active backend reports: WebGL's unmasked renderer, or the WebGPU adapter's info. */
function adapterOf(backend: string): string {
  const active = tf.backend() as unknown as {
    gpgpu?: { gl: WebGL2RenderingContext };
    adapterInfo?: GpuAdapterInfoLike;
  };
  if (backend === 'webgl' && active.gpgpu) {
    const gl = active.gpgpu.gl;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  }
  return describeGpuAdapter(active.adapterInfo ?? {});
}

export async function trainTfjsInPage(
  backend: string,
  plan: TrainingPlan,
  hooks: TrainingHooks,
  writer: ScalarWriter,
): Promise<{ result: TrainingResult; adapter: string }> {
  if (backend !== 'webgl' && backend !== 'webgpu')
    throw new Error(`tfjs in the browser: unknown backend ${backend}.`);
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not initialise the ${backend} backend.`);
  await tf.ready();
  const adapterName = adapterOf(backend);
  // On SwiftShader, tfjs-webgpu's fused im2col convolution is slow for one input channel
  // (measured: about 2× faster per training step with a separate im2col shader).
  if (backend === 'webgpu' && /swiftshader/i.test(adapterName)) {
    tf.env().set('WEBGPU_CONV_SEPARATE_IM2COL_SHADER', true);
  }
  const result = await trainTfjs({ tf, tfl, adapter }, plan, hooks, writer);
  return { result, adapter: adapterName };
}
