/** How a run is named (browser-safe: the page names its TensorBoard folder the same way). */

/** `tfjs webgl (browser)`: how messages, the terminal and the report name a run. */
export function runLabel(run: { runtime: string; backend: string; environment: string }): string {
  return `${run.runtime} ${run.backend} (${run.environment})`;
}

/** The TensorBoard folder of a run, relative to `<out>/tensorboard`: `node-tfjs-wasm`, `browser-onnxruntime-webgpu`, ... */
export function runFolder(run: { runtime: string; backend: string; environment: string }): string {
  return `${run.environment}-${run.runtime}-${run.backend}`;
}
