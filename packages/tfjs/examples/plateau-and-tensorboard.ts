import { cosineDecay } from '@anneal/core';
import { reduceLROnPlateau, type ScalarWriter, tensorBoard } from '@anneal/tfjs';
import * as tf from '@tensorflow/tfjs';

const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 1 })] });
model.compile({ optimizer: tf.train.adam(1e-2), loss: 'meanSquaredError' });
const xs = tf.randomNormal([256, 4]);
const ys = tf.randomNormal([256, 1]);

// Any object with addScalar(tag, value, step) is a writer, e.g. @anneal/tensorboard-logger's
// SummaryWriter for each run directory; here, an in-memory one.
const written: string[] = [];
const writer = (run: string): ScalarWriter => ({
  addScalar: (tag, value, step) => void written.push(`${run}/${tag}@${step}=${value.toPrecision(3)}`),
});

const plateau = reduceLROnPlateau({
  model,
  schedule: cosineDecay({ initialValue: 1e-2, decaySteps: 200 }), // times the plateau multiplier
  monitor: 'val_loss',
  factor: 0.5,
  patience: 1,
});
await model.fit(xs, ys, {
  batchSize: 32,
  epochs: 4,
  validationSplit: 0.25, // 6 training batches per epoch
  verbose: 0,
  callbacks: [plateau, tensorBoard(writer, { model, updateFreq: 'epoch' })],
});
console.log(
  plateau.controller.multiplier,
  written.filter((line) => line.includes('epoch_')),
);
