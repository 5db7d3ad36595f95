/**
 * Benchmark: model.fit throughput (samples/s) on an MLP 784-128-10 (Adam, batch 64, wasm
 * backend), without callbacks, with an empty plain callback (the cost tfjs's own wrapper adds to
 * any callback object), and with learningRateScheduler — alternating in the same run.
 * Prints medians and ratios; asserts nothing (the goal: the scheduler costs <= 2%).
 *
 *   pnpm --filter @anneal/tfjs bench            (or: npx tsx --conditions=@anneal/source bench/fit-overhead.ts)
 *   BENCH_BACKEND=cpu BENCH_REPETITIONS=5 BENCH_SAMPLES=2048 ... to change the setup
 */
import { warmupCosineDecay } from '@anneal/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { learningRateScheduler } from '../src/index';
import { type BackendName, useBackend } from '../test/backend';

const backend = (process.env.BENCH_BACKEND ?? 'wasm') as BackendName;
const repetitions = Number(process.env.BENCH_REPETITIONS ?? 11);
const samples = Number(process.env.BENCH_SAMPLES ?? 4096);
const batchSize = Number(process.env.BENCH_BATCH ?? 64);

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(1664525, state) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  await useBackend(backend);
  const random = lcg(7);
  const xs = tf.tensor2d(Float32Array.from({ length: samples * 784 }, random), [samples, 784]);
  const labels = Int32Array.from({ length: samples }, () => Math.floor(random() * 10));
  const ys = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32');

  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const optimizer = tf.train.adam(1e-3);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const batchesPerEpoch = Math.ceil(samples / batchSize);
  const schedule = warmupCosineDecay({
    peakValue: 1e-3,
    warmupSteps: batchesPerEpoch,
    totalSteps: batchesPerEpoch * (3 * repetitions + 2),
  });

  const variants = {
    none: () => [],
    emptyCallback: () => [{ onBatchBegin: async () => {} }],
    learningRateScheduler: () => [learningRateScheduler({ model, schedule })],
  } satisfies Record<string, () => tfl.CustomCallbackArgs[]>;
  type Variant = keyof typeof variants;
  const names = Object.keys(variants) as Variant[];
  // Wall-clock rates, and rates per second of this process's CPU time (steadier on a shared machine).
  const rates: Record<Variant, number[]> = { none: [], emptyCallback: [], learningRateScheduler: [] };
  const cpuRates: Record<Variant, number[]> = { none: [], emptyCallback: [], learningRateScheduler: [] };

  const epoch = async (variant: Variant) => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await model.fit(xs, ys, {
      batchSize,
      epochs: 1,
      shuffle: false,
      verbose: 0,
      callbacks: variants[variant](),
    });
    const wallSeconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    return { wall: samples / wallSeconds, cpu: samples / ((used.user + used.system) / 1e6) };
  };

  // Warm-up: kernels, optimizer slots, JIT.
  for (const variant of names) await epoch(variant);
  for (let repetition = 0; repetition < repetitions; repetition++) {
    // Rotate the order so that no variant always runs first.
    const order = names.map((_, i) => names[(i + repetition) % names.length]!);
    for (const variant of order) {
      const rate = await epoch(variant);
      rates[variant].push(rate.wall);
      cpuRates[variant].push(rate.cpu);
    }
  }
  const tensorsAfter = tf.memory().numTensors;

  console.log(
    `fit-overhead: MLP 784-128-10, Adam, ${samples} samples, batch ${batchSize}, backend ${tf.getBackend()}, ${repetitions} alternating repetitions (1 epoch each), Node ${process.version}`,
  );
  for (const [label, table] of [
    ['wall clock', rates],
    ['process CPU time', cpuRates],
  ] as const) {
    const base = median(table.none);
    console.log(`samples/s by ${label}:`);
    for (const variant of names) {
      const value = median(table[variant]);
      const spread = `${Math.round(Math.min(...table[variant]))}-${Math.round(Math.max(...table[variant]))}`;
      console.log(
        `  ${variant.padEnd(22)} median ${Math.round(value)} (range ${spread})  ratio to none ${(value / base).toFixed(4)}`,
      );
    }
    const withScheduler = median(table.learningRateScheduler);
    const empty = median(table.emptyCallback);
    console.log(
      `  learningRateScheduler cost: ${((1 - withScheduler / base) * 100).toFixed(2)}% vs no callback, ${((1 - withScheduler / empty) * 100).toFixed(2)}% vs an empty callback (goal <= 2%)`,
    );
  }
  console.log(`optimizer steps ${optimizer.iterations}, numTensors at end ${tensorsAfter}`);

  // The callback's own work per step, isolated from fit: onBatchBegin (read the step, evaluate the
  // schedule, set the rate, write logs.lr) on this Adam optimizer, timed over many calls.
  const callback = learningRateScheduler({ model, schedule });
  await callback.onTrainBegin();
  const calls = 200_000;
  const logs: Record<string, unknown> = {};
  for (let i = 0; i < 10_000; i++) await callback.onBatchBegin(0, logs);
  const cpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) await callback.onBatchBegin(0, logs);
  const used = process.cpuUsage(cpu);
  const perStepMicros = (used.user + used.system) / calls;
  const batchMicros = (1e6 * batchSize) / median(cpuRates.none);
  console.log(
    `learningRateScheduler.onBatchBegin alone: ${perStepMicros.toFixed(2)} CPU µs per step = ${((100 * perStepMicros) / batchMicros).toFixed(4)}% of a ${Math.round(batchMicros / 1000)} ms batch`,
  );
  tf.dispose([xs, ys]);
  model.dispose();
}

await main();
