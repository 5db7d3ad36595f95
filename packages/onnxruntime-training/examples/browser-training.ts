import { warmupCosineDecay } from '@anneal/core';
import {
  buildTrainingGraph,
  createTrainer,
  ExecutionProviderError,
  initParameters,
  type Trainer,
} from '@anneal/onnxruntime-training/browser';
import * as ort from 'onnxruntime-web/webgpu'; // the build with the webgpu and wasm providers

// onnxruntime-web loads its ort-wasm-simd-threaded*.wasm/.mjs files at run time: serve every one
// of them from node_modules/onnxruntime-web/dist (a missing one fails with "both async and sync
// fetching of the wasm failed") and point ORT at them when they are not beside the script.
ort.env.wasm.wasmPaths = '/ort/';
ort.env.wasm.numThreads = 1; // threads need a cross-origin-isolated page

const graph = buildTrainingGraph({
  inputShape: [1, 28, 28],
  layers: [
    { type: 'conv2d', filters: 8, kernelSize: 5 },
    { type: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'conv2d', filters: 16, kernelSize: 5 },
    { type: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10 },
  ],
  loss: 'softmaxCrossEntropy',
  optimizer: { type: 'adam' },
});
const options = {
  ort,
  model: graph,
  schedule: warmupCosineDecay({ peakValue: 1e-3, warmupSteps: 100, totalSteps: 2000 }),
  parameters: initParameters({ graph, seed: 42 }),
};
let trainer: Trainer;
try {
  trainer = await createTrainer({ ...options, executionProviders: ['webgpu'] });
} catch (error) {
  if (!ExecutionProviderError.isInstance(error)) throw error;
  console.log(error.message); // one line: which provider, and why
  trainer = await createTrainer({ ...options, executionProviders: ['wasm'] });
}
// your data: x Float32Array [batch × 784] (28×28 images), y BigInt64Array or Int32Array [batch]
const batches = [{ x: new Float32Array(32 * 784), y: new Int32Array(32) }];
for (const { x, y } of batches) {
  const loss = await trainer.step(x, y); // parameters and Adam's state stay on the GPU
  console.log(`step ${trainer.currentStep}: loss ${loss}`);
}
const { accuracy } = await trainer.evaluate(batches[0]!.x, batches[0]!.y);
console.log(`trained on ${trainer.executionProviders}, accuracy ${accuracy}`);
const weights = await trainer.readParameters(); // copies, read back from the GPU
console.log(Object.keys(weights));
const checkpoint = await trainer.saveBytes(); // Uint8Array: store it in IndexedDB, download it…
await trainer.loadBytes(checkpoint); // all or nothing, the same checks as trainer.load
await trainer.release();
