import { describeBackend, learningRateScheduler } from '@anneal/tfjs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu'; // @tensorflow/tfjs brings webgl and cpu; webgpu is its own package

// The first backend this browser can start: WebGPU, else WebGL, else the CPU.
for (const name of ['webgpu', 'webgl', 'cpu']) if (await tf.setBackend(name)) break;
const { backend, adapter } = describeBackend(tf);

// Three interleaved spirals, 100 points each: a small problem a 2-32-3 network learns.
const points: number[][] = [];
const labels: number[] = [];
for (let label = 0; label < 3; label++) {
  for (let i = 0; i < 100; i++) {
    const radius = i / 100;
    const angle = (label * 2 * Math.PI) / 3 + radius * 4;
    points.push([radius * Math.sin(angle), radius * Math.cos(angle)]);
    labels.push(label);
  }
}
const xs = tf.tensor2d(points);
const ys = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), 'float32');

const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [2], units: 32, activation: 'relu' }),
    tf.layers.dense({ units: 3, activation: 'softmax' }),
  ],
});
// An explicit epsilon: tfjs's webgl backend would otherwise give Adam 1e-4 (cpu, wasm, webgpu: 1e-7).
model.compile({ optimizer: tf.train.adam(0.03, 0.9, 0.999, 1e-7), loss: 'categoricalCrossentropy' });

const schedule = { type: 'warmupCosineDecay', peakValue: 0.03, warmupSteps: 3, totalSteps: 24 } as const;
const start = performance.now();
const history = await model.fit(xs, ys, {
  batchSize: 100, // 3 batches per epoch, 24 steps
  epochs: 8,
  verbose: 0,
  callbacks: [learningRateScheduler({ model, schedule })],
});
const seconds = (performance.now() - start) / 1000;
const loss = history.history.loss as number[];
console.log(
  `${backend} on ${adapter ?? 'the CPU'}: loss ${loss[0]?.toFixed(3)} -> ${loss.at(-1)?.toFixed(3)}, ` +
    `${((300 * 8) / seconds).toFixed(0)} samples/s, last learning rate ${history.history.lr?.at(-1)}`,
);
tf.dispose([xs, ys]);
model.dispose();
