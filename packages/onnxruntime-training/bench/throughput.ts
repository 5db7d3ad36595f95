/**
 * Throughput of the trainer against a bare `session.run` loop over the same session, for an
 * MLP 784-128-10 (ReLU, softmax cross-entropy) on MNIST-sized batches of 64 and 256.
 * Short repetitions alternate between the two loops (which one goes first alternates too), so
 * load from other processes hits both alike; medians of the rates and of the paired ratios are
 * reported. Prints figures only.
 *
 *   npx tsx --conditions=@anneal/source bench/throughput.ts [--repetitions 31] [--seconds 0.1]
 */
import os, { cpus } from 'node:os';
import { warmupCosineDecay } from '@anneal/core';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import {
  buildTrainingGraph,
  createRandom,
  createTrainer,
  initParameters,
  type OptimizerSpec,
} from '../src/index';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const repetitions = argument('repetitions', 31);
const secondsPerRepetition = argument('seconds', 0.1);

const SAMPLES = 4096;
const random = createRandom(2024);
const images = Float32Array.from({ length: SAMPLES * 784 }, () => random());
const labels = BigInt64Array.from({ length: SAMPLES }, () => BigInt(Math.floor(random() * 10)));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** The model, schedule and data of one configuration, and the bare loop's carried tensors. */
async function setUp(optimizer: OptimizerSpec, batch: number) {
  const graph = buildTrainingGraph({
    inputShape: [784],
    layers: [{ type: 'dense', units: 128 }, { type: 'relu' }, { type: 'dense', units: 10 }],
    loss: 'softmaxCrossEntropy',
    optimizer,
  });
  const schedule = warmupCosineDecay({
    peakValue: optimizer.type === 'sgd' ? 0.05 : 1e-3,
    warmupSteps: 100,
    totalSteps: 1_000_000,
  });
  const session = await InferenceSession.create(graph.model, {
    intraOpNumThreads: 1,
    executionProviders: ['cpu'],
  });
  const batches = SAMPLES / batch;
  const xAt = (k: number) => images.subarray((k % batches) * batch * 784, ((k % batches) + 1) * batch * 784);
  const yAt = (k: number) => labels.subarray((k % batches) * batch, ((k % batches) + 1) * batch);
  const values: Record<string, Tensor> = {};
  const initial = initParameters({ graph, seed: 1 });
  for (const p of graph.parameters)
    values[p.name] = new Tensor('float32', initial[p.name] as Float32Array, p.shape);
  for (const s of graph.state)
    values[s.name] = new Tensor('float32', new Float32Array(s.shape.reduce((a, b) => a * b, 1)), s.shape);
  return { graph, schedule, session, batch, xAt, yAt, values, bareStep: 0 };
}

type Setup = Awaited<ReturnType<typeof setUp>>;

/**
 * The bare loop: feeds assembled by hand, outputs swapped into the next inputs, on `session`
 * (the real one or the instant stand-in); the step count and carried tensors live in `setup`.
 */
function bareLoop(setup: Setup, session: InferenceSession) {
  const { graph, schedule, batch, xAt, yAt, values } = setup;
  const carried = [...graph.parameters.map((p) => p.name), ...graph.state.map((s) => s.name)];
  return async (steps: number) => {
    for (let i = 0; i < steps; i++) {
      const k = setup.bareStep++;
      const feeds: Record<string, Tensor> = {
        ...values,
        x: new Tensor('float32', xAt(k), [batch, 784]),
        y: new Tensor('int64', yAt(k), [batch]),
        learning_rate: new Tensor('float32', new Float32Array([schedule(k)]), []),
      };
      if (graph.stepInput) feeds.step = new Tensor('float32', new Float32Array([k + 1]), []);
      const results = await session.run(feeds);
      for (const name of carried) values[name] = results[graph.updatedName[name]!]!;
    }
  };
}

/** Wall-clock rate and process CPU-time rate of `steps` steps (CPU time is far less sensitive to other load). */
async function timed(run: (steps: number) => Promise<void>, steps: number) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run(steps);
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { wall: steps / wall, cpu: steps / ((used.user + used.system) / 1e6) };
}

/** Alternating repetitions of the bare loop and the trainer on the real session. */
async function realRates(setup: Setup) {
  const { session, schedule, graph, xAt, yAt } = setup;
  const bare = bareLoop(setup, session);
  const trainer = await createTrainer({ session, schedule, parameters: initParameters({ graph, seed: 1 }) });
  const viaTrainer = async (steps: number) => {
    for (let i = 0; i < steps; i++) {
      const k = trainer.currentStep;
      await trainer.step(xAt(k), yAt(k));
    }
  };
  // warm-up, then size a repetition to about `secondsPerRepetition`
  await bare(30);
  await viaTrainer(30);
  const steps = Math.max(10, Math.round((await timed(bare, 50)).wall * secondsPerRepetition));
  const bareRates: { wall: number; cpu: number }[] = [];
  const trainerRates: { wall: number; cpu: number }[] = [];
  for (let r = 0; r < repetitions; r++) {
    // alternate which loop goes first so drift affects both alike
    if (r % 2 === 0) {
      bareRates.push(await timed(bare, steps));
      trainerRates.push(await timed(viaTrainer, steps));
    } else {
      trainerRates.push(await timed(viaTrainer, steps));
      bareRates.push(await timed(bare, steps));
    }
  }
  await trainer.release();
  return { steps, bareRates, trainerRates };
}

/**
 * CPU microseconds per step of each loop around an instant session: a stand-in that returns the
 * outputs of a real step at once, so everything `step()` does except ONNX Runtime is measured
 * (median of 9 alternating runs).
 */
async function bookkeepingCosts(setup: Setup) {
  const { session, schedule, graph, batch, xAt, yAt, values } = setup;
  const recorded = await session.run({
    ...values,
    x: new Tensor('float32', xAt(0), [batch, 784]),
    y: new Tensor('int64', yAt(0), [batch]),
    learning_rate: new Tensor('float32', new Float32Array([0.001]), []),
    ...(graph.stepInput ? { step: new Tensor('float32', new Float32Array([1]), []) } : {}),
  });
  const instant = {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    inputMetadata: session.inputMetadata,
    outputMetadata: session.outputMetadata,
    run: async () => recorded,
    release: async () => undefined,
  } as unknown as InferenceSession;
  const bookkeeping = await createTrainer({
    session: instant,
    schedule,
    parameters: initParameters({ graph, seed: 1 }),
  });
  const instantBare = bareLoop(setup, instant);
  const instantTrainer = async (steps: number) => {
    for (let i = 0; i < steps; i++) await bookkeeping.step(xAt(i), yAt(i));
  };
  const cpuMicroseconds = async (run: (steps: number) => Promise<void>) => {
    const cpu = process.cpuUsage();
    await run(5000);
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / 5000;
  };
  await instantBare(2000);
  await instantTrainer(2000);
  const bareCosts: number[] = [];
  const trainerCosts: number[] = [];
  for (let r = 0; r < 9; r++) {
    bareCosts.push(await cpuMicroseconds(instantBare));
    trainerCosts.push(await cpuMicroseconds(instantTrainer));
  }
  await bookkeeping.release();
  return { bareLoopMicroseconds: median(bareCosts), bookkeepingMicroseconds: median(trainerCosts) };
}

async function measure(optimizer: OptimizerSpec, batch: number) {
  const setup = await setUp(optimizer, batch);
  const { steps, bareRates, trainerRates } = await realRates(setup);
  const { bareLoopMicroseconds, bookkeepingMicroseconds } = await bookkeepingCosts(setup);
  await setup.session.release();
  const bareCpu = median(bareRates.map((r) => r.cpu));
  return {
    steps,
    bareWall: median(bareRates.map((r) => r.wall)),
    trainerWall: median(trainerRates.map((r) => r.wall)),
    wallRatio: median(trainerRates.map((t, i) => t.wall / bareRates[i]!.wall)),
    bareCpu,
    trainerCpu: median(trainerRates.map((r) => r.cpu)),
    cpuRatio: median(trainerRates.map((t, i) => t.cpu / bareRates[i]!.cpu)),
    bookkeepingMicroseconds,
    bareLoopMicroseconds,
    // the trainer's extra CPU time per step over the bare loop, as a share of a real step's CPU time
    overheadShare: (bookkeepingMicroseconds - bareLoopMicroseconds) * 1e-6 * bareCpu,
  };
}

console.log(
  `onnxruntime-node, MLP 784-128-10, 1 intra-op thread, ${repetitions} alternating repetitions, medians (Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, load average ${os.loadavg()[0]!.toFixed(1)})`,
);
console.log(
  '| optimizer | batch | bare steps/s (wall) | trainer steps/s (wall) | trainer samples/s (wall) | trainer/bare (wall) | bare steps/CPU-s | trainer steps/CPU-s | trainer/bare (CPU) | bare loop CPU µs/step around an instant session | trainer CPU µs/step around it | trainer extra CPU / real step CPU |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const optimizer of [{ type: 'sgd' }, { type: 'adam' }] as OptimizerSpec[]) {
  for (const batch of [64, 256]) {
    const r = await measure(optimizer, batch);
    console.log(
      `| ${optimizer.type} | ${batch} | ${r.bareWall.toFixed(0)} | ${r.trainerWall.toFixed(0)} | ${(r.trainerWall * batch).toFixed(0)} | ${r.wallRatio.toFixed(3)} | ${r.bareCpu.toFixed(0)} | ${r.trainerCpu.toFixed(0)} | ${r.cpuRatio.toFixed(3)} | ${r.bareLoopMicroseconds.toFixed(2)} | ${r.bookkeepingMicroseconds.toFixed(2)} | ${(r.overheadShare * 100).toFixed(2)}% |`,
    );
  }
}
