/**
 * Stands in for the `@tensorflow/tfjs` bundle in this workspace's tests and type checks (the
 * package installs its parts: core, layers, the cpu backend). Docs examples import
 * `@tensorflow/tfjs`, as users do; vitest and tsc map that name here.
 */
import '@tensorflow/tfjs-backend-cpu';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
