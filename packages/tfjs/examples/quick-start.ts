import { warmupCosineDecay } from '@anneal/core';
import { learningRateScheduler } from '@anneal/tfjs';
import * as tf from '@tensorflow/tfjs';

const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 1 })] });
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });

const schedule = warmupCosineDecay({ peakValue: 1e-3, warmupSteps: 20, totalSteps: 200 });
const xs = tf.randomNormal([640, 4]);
const ys = tf.randomNormal([640, 1]);
const history = await model.fit(xs, ys, {
  batchSize: 32, // 20 batches per epoch
  epochs: 10,
  verbose: 0,
  callbacks: [learningRateScheduler({ model, schedule })],
});
console.log(history.history.lr); // the learning rate of each epoch's last batch
