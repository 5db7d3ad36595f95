/**
 * Selects a tfjs backend for tests and benchmarks: the pure-JS `cpu` backend or `wasm`
 * (SIMD, single thread in Node), whose binaries are read from the installed package's dist folder.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-layers registers the gradients that custom loops need (as the @tensorflow/tfjs bundle does).
import '@tensorflow/tfjs-layers';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'cpu' | 'wasm';
export const backends: readonly BackendName[] = ['cpu', 'wasm'];

let wasmPathsSet = false;

export async function useBackend(name: BackendName): Promise<void> {
  if (name === 'wasm' && !wasmPathsSet) {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
    // The Node entry is dist/tf-backend-wasm.node.js; the .wasm binaries sit next to it.
    setWasmPaths(`${join(dirname(entry))}/`);
    wasmPathsSet = true;
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`setBackend(${name}) failed`);
  await tf.ready();
}
