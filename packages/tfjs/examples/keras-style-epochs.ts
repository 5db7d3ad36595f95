import { learningRateScheduler } from '@anneal/tfjs';
import * as tf from '@tensorflow/tfjs';

const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 1 })] });
model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
const xs = tf.randomNormal([256, 4]);
const ys = tf.randomNormal([256, 1]);

// Keras LearningRateScheduler(lambda epoch: 0.1 * 0.5 ** epoch): set once per epoch, read in epochs.
const callback = learningRateScheduler({
  model,
  schedule: { type: 'exponentialDecay', initialValue: 0.1, decaySteps: 1, decayFactor: 0.5 },
  updateEvery: 'epoch',
  stepsPerEpoch: 8, // 256 samples / batchSize 32
  verbose: console.log, // one line per epoch; the package never prints by itself
});
await model.fit(xs, ys, { batchSize: 32, epochs: 3, verbose: 0, callbacks: [callback] });
