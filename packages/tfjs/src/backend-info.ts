/**
 * `describeBackend(tf)`: which tfjs backend runs and on what hardware, as the platform reports it
 * (WebGL's unmasked renderer, WebGPU's adapter), so a run's log can say whether a physical GPU or a
 * software one (SwiftShader, llvmpipe) trained it. Browser-safe; reads only what the backend
 * exposes, never throws for a backend it does not know.
 */

import { formatValue } from './args';
import { TrainingSetupError } from './errors';

/** The parts of `@tensorflow/tfjs` (or tfjs-core) `describeBackend` reads. */
export interface TfLike {
  getBackend(): string | null | undefined;
  backend(): unknown;
}

export interface BackendDescription {
  /** `tf.getBackend()`: `'webgl'`, `'webgpu'`, `'wasm'`, `'cpu'`, `'tensorflow'` (tfjs-node), ... */
  readonly backend: string;
  /**
   * What the backend runs on, as the platform reports it: for `webgl` the unmasked renderer
   * (`WEBGL_debug_renderer_info`'s `UNMASKED_RENDERER_WEBGL`, else `RENDERER`), e.g.
   * `'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)'`;
   * for `webgpu` the adapter's vendor, architecture, device and description, those that are not
   * empty, e.g. `'google swiftshader'`. `undefined` for backends that run on the CPU (`cpu`, `wasm`,
   * `tensorflow`) and where the browser reveals nothing.
   */
  readonly adapter: string | undefined;
}

interface GlLike {
  getExtension(name: string): unknown;
  getParameter(parameter: number): unknown;
  readonly RENDERER: number;
}

interface AdapterInfoLike {
  readonly vendor?: unknown;
  readonly architecture?: unknown;
  readonly device?: unknown;
  readonly description?: unknown;
}

function webglRenderer(backend: unknown): string | undefined {
  const gl = (backend as { gpgpu?: { gl?: GlLike } } | null)?.gpgpu?.gl;
  if (gl === undefined || typeof gl.getParameter !== 'function') return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info') as { UNMASKED_RENDERER_WEBGL?: number } | null;
  const renderer =
    typeof info?.UNMASKED_RENDERER_WEBGL === 'number'
      ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL)
      : gl.getParameter(gl.RENDERER);
  return typeof renderer === 'string' && renderer !== '' ? renderer : undefined;
}

function webgpuAdapter(backend: unknown): string | undefined {
  const withInfo = backend as {
    device?: { adapterInfo?: AdapterInfoLike };
    adapterInfo?: AdapterInfoLike;
  } | null;
  // The device's own GPUAdapterInfo (newer browsers) has every field; tfjs keeps vendor and architecture.
  const info = withInfo?.device?.adapterInfo ?? withInfo?.adapterInfo;
  if (info === undefined || info === null) return undefined;
  const parts = [info.vendor, info.architecture, info.device, info.description].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  const unique = parts.filter((part, index) => parts.indexOf(part) === index);
  return unique.length > 0 ? unique.join(' ') : undefined;
}

/**
 * Which backend tfjs trains on and what it runs on. Call it after `await tf.ready()` (or
 * `tf.setBackend(...)`), passing the `tf` namespace.
 *
 * Throws `TrainingSetupError` when `tf` is not a tfjs namespace or no backend is initialized yet.
 *
 * @example
 * await tf.setBackend('webgl');
 * const { backend, adapter } = describeBackend(tf);
 * // 'webgl', 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)'
 */
export function describeBackend(tf: TfLike): BackendDescription {
  if (
    typeof tf !== 'object' ||
    tf === null ||
    typeof tf.getBackend !== 'function' ||
    typeof tf.backend !== 'function'
  ) {
    throw new TrainingSetupError(
      `describeBackend: tf must be the tfjs namespace (with getBackend() and backend()); received ${formatValue(tf)}.`,
    );
  }
  const name = tf.getBackend();
  if (typeof name !== 'string' || name === '') {
    throw new TrainingSetupError(
      `describeBackend: no tfjs backend is initialized (tf.getBackend() returned ${formatValue(name)}); await tf.ready() or tf.setBackend(...) first.`,
    );
  }
  const backend = tf.backend();
  const adapter =
    name === 'webgl' ? webglRenderer(backend) : name === 'webgpu' ? webgpuAdapter(backend) : undefined;
  return { backend: name, adapter };
}
