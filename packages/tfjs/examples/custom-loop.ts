import { scheduledOptimizer } from '@anneal/tfjs';
import * as tf from '@tensorflow/tfjs';

const w = tf.variable(tf.randomNormal([4, 1]));
const xs = tf.randomNormal([32, 4]);
const ys = tf.randomNormal([32, 1]);

const optimizer = scheduledOptimizer(tf.train.momentum(0.1, 0.9), {
  schedule: { type: 'linear', initialValue: 0.05, finalValue: 0, transitionSteps: 100 },
});
for (let i = 0; i < 100; i++) {
  // Sets the learning rate for step optimizer.iterations, then calls minimize.
  optimizer.minimize(() => tf.losses.meanSquaredError(ys, tf.matMul(xs, w)) as tf.Scalar);
}
console.log(optimizer.step, optimizer.learningRate); // 100, the rate of step 99
