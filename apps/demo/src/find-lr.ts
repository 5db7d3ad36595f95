/**
 * `--find-lr`: the learning-rate range test on MNIST with each runtime (the demo's MLP, its
 * optimizer, the same initial weights and the same batches), through @anneal/tfjs
 * `findLearningRate` and @anneal/onnxruntime-training `trainer.findLearningRate`. Prints the
 * suggestions and a terminal chart of loss against learning rate (log scale), writes an SVG,
 * and gives the peak learning rate `--use-suggested-lr` feeds into the schedule.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type RangeTestOptions, type RangeTestResult, type Schedule, scale } from '@anneal/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { DemoOptions, OptimizerName, RuntimeName, TfjsBackendName } from './args';
import { loadIdxMnist, loadPackagedMnist, type PreparedData, prepareData } from './data';
import { BadInputError } from './errors';
import { formatRate, renderFindLrSvg, renderFindLrTerminal } from './find-lr-chart';
import { initialParameters, type MlpParameters, toDenseKernel } from './model';
import { mlpModelParameters } from './models';
import { loadTfjs } from './runners/tfjs-node';
import { optimizerSettings, secondsSince } from './runners/types';
import type { Output } from './terminal';

/** The sweep the demo runs unless told otherwise: 1e-5 to 100 over 200 batches (ratio ≈ 1.084 per step). */
export const defaultSweep = { minValue: 1e-5, maxValue: 100, steps: 200 } as const;

export interface FindLrOptions {
  readonly runtimes: readonly RuntimeName[];
  readonly tfjsBackend: TfjsBackendName;
  readonly optimizer: OptimizerName;
  readonly batchSize: number;
  readonly seed: number;
  /** A folder with the MNIST IDX files; undefined = the digits in the `mnist` package. */
  readonly dataDir?: string;
  /** Training samples used (whole batches of the shuffled training set); undefined = all. */
  readonly trainSamples?: number;
  /** Overrides of the range test's options (default `defaultSweep`, other options as core's defaults). */
  readonly sweep?: RangeTestOptions;
  /** Folder for `find-lr.svg` and `find-lr.json`; undefined = write nothing. */
  readonly outDir?: string;
  /** Already loaded data (tests, scripts); when given, dataDir and trainSamples are ignored. */
  readonly data?: PreparedData;
}

/**
 * The range test of a demo command line: its runtimes, tfjs backend, optimizer, batch size, seed
 * and data (`--data`, `--train-samples`), or `data` already prepared by the caller (so the test
 * sees the training run's batches). The test runs on the CPU whatever `--device` says.
 */
export function findLrOptions(
  options: DemoOptions,
  outDir: string | undefined,
  data?: PreparedData,
): FindLrOptions {
  return {
    runtimes: options.runtimes,
    tfjsBackend: options.tfjsBackend,
    optimizer: options.optimizer,
    batchSize: options.batchSize,
    seed: options.seed,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.trainSamples === undefined ? {} : { trainSamples: options.trainSamples }),
    ...(outDir === undefined ? {} : { outDir }),
    ...(data === undefined ? {} : { data }),
  };
}

export interface FindLrRun {
  readonly runtime: RuntimeName;
  /** tfjs backend or ORT execution provider. */
  readonly backend: string;
  readonly result: RangeTestResult;
  readonly seconds: number;
}

export interface FindLrReport {
  readonly runs: readonly FindLrRun[];
  /**
   * The peak learning rate to use: the geometric mean of the runtimes' valley suggestions
   * (fastai's default suggestion); undefined when any runtime has none.
   */
  readonly suggestedPeak: number | undefined;
  /** Largest over smallest valley suggestion across the runtimes (1 = identical); undefined with fewer than two. */
  readonly agreementFactor: number | undefined;
  /** Paths written (SVG, JSON), absolute. */
  readonly files: readonly string[];
}

/** The range test found no usable learning rate (for `--use-suggested-lr`): exit code 2. */
export class NoSuggestionError extends BadInputError {
  constructor(message: string) {
    super(message);
    this.name = 'NoSuggestionError';
  }
}

const colors: Record<RuntimeName, string> = { tfjs: '#2563eb', onnxruntime: '#dc2626' };

async function tfjsRangeTest(
  data: PreparedData,
  parameters: MlpParameters,
  optimizerName: OptimizerName,
  backendName: TfjsBackendName,
  batchSize: number,
  sweep: RangeTestOptions,
): Promise<FindLrRun> {
  const { tf } = await loadTfjs(backendName, 'cpu');
  const tfl = await import('@tensorflow/tfjs-layers');
  const { findLearningRate } = await import('@anneal/tfjs');
  const { inputUnits, hiddenUnits, classes } = parameters.shape;
  const settings = optimizerSettings(optimizerName);
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [inputUnits], units: hiddenUnits, activation: 'relu' }),
      tfl.layers.dense({ units: classes }),
    ],
  });
  const weights = [
    tf.tensor2d(toDenseKernel(parameters.w1, hiddenUnits, inputUnits), [inputUnits, hiddenUnits]),
    tf.tensor1d(parameters.b1),
    tf.tensor2d(toDenseKernel(parameters.w2, classes, hiddenUnits), [hiddenUnits, classes]),
    tf.tensor1d(parameters.b2),
  ];
  model.setWeights(weights);
  tf.dispose(weights);
  const optimizer =
    settings.name === 'sgd'
      ? tf.train.sgd(0.01)
      : settings.name === 'momentum'
        ? tf.train.momentum(0.01, settings.momentumFactor, false)
        : tf.train.adam(0.001, settings.beta1, settings.beta2, settings.epsilon);
  model.compile({
    optimizer,
    loss: (yTrue: Tensor, yPred: Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
  });
  const x = tf.tensor2d(data.train.images, [data.train.count, inputUnits]);
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(data.train.labels, 'int32'), classes), 'float32'));
  const start = performance.now();
  try {
    const result = await findLearningRate(model, { x, y }, { ...sweep, batchSize, shuffle: false });
    return { runtime: 'tfjs', backend: tf.getBackend(), result, seconds: secondsSince(start) };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  }
}

async function onnxRangeTest(
  data: PreparedData,
  parameters: MlpParameters,
  optimizerName: OptimizerName,
  batchSize: number,
  sweep: RangeTestOptions,
): Promise<FindLrRun> {
  const ort = await import('@anneal/onnxruntime-training');
  const { inputUnits, hiddenUnits, classes } = parameters.shape;
  const settings = optimizerSettings(optimizerName);
  const graph = ort.buildTrainingGraph({
    layers: [{ type: 'dense', units: hiddenUnits }, { type: 'relu' }, { type: 'dense', units: classes }],
    loss: 'softmaxCrossEntropy',
    inputShape: [inputUnits],
    optimizer:
      settings.name === 'adam'
        ? { type: 'adam', beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon }
        : { type: 'sgd', momentum: settings.name === 'momentum' ? settings.momentumFactor : 0 },
  });
  const trainer = await ort.createTrainer({
    model: graph,
    schedule: () => 0,
    parameters: Object.fromEntries(
      mlpModelParameters(parameters).tensors.map((tensor) => [tensor.name, tensor.values]),
    ),
    intraOpNumThreads: 1,
  });
  const labels = BigInt64Array.from(data.train.labels, (label) => BigInt(label));
  const rowSize = data.train.pixels;
  const batches = Array.from({ length: data.stepsPerEpoch }, (_, b) => ({
    x: data.train.images.subarray(b * batchSize * rowSize, (b + 1) * batchSize * rowSize),
    y: labels.subarray(b * batchSize, (b + 1) * batchSize),
  }));
  const start = performance.now();
  try {
    const result = await trainer.findLearningRate(batches, sweep);
    return {
      runtime: 'onnxruntime',
      backend: String(trainer.executionProviders[0] ?? 'cpu'),
      result,
      seconds: secondsSince(start),
    };
  } finally {
    await trainer.release();
  }
}

function describeRun(run: FindLrRun): string {
  const { result } = run;
  const lines = [
    `${run.runtime} (${run.backend}): ${result.learningRates.length} steps in ${run.seconds.toFixed(1)} s, stopped: ${result.stopReason}${result.stopValue !== undefined ? ` at ${result.stopValue.toExponential(2)}` : ''}`,
  ];
  if (result.divergenceValue !== undefined)
    lines.push(`  loss runs away from         ${result.divergenceValue.toExponential(2)}`);
  if (result.best)
    lines.push(
      `  lowest smoothed loss        ${result.best.loss.toFixed(4)} at ${result.best.value.toExponential(2)}`,
    );
  const { suggestions } = result;
  if (suggestions) {
    lines.push(
      `  suggestion valley           ${suggestions.valley.value.toExponential(2)}  (fastai's default)`,
      `  suggestion steepest         ${suggestions.steepest.value.toExponential(2)}`,
      `  suggestion minimum / 10     ${suggestions.minimum.value.toExponential(2)}`,
    );
  } else {
    lines.push(`  no suggestion: ${result.unavailableReason}`);
  }
  return lines.join('\n');
}

/**
 * Runs the range test with each runtime from the same initial weights (`initialParameters(seed)`)
 * on the same batches (the demo's seeded shuffle, no reshuffling), prints each runtime's stop
 * reason, divergence point and suggestions, the terminal chart, and writes `find-lr.svg` and
 * `find-lr.json` to `outDir`. Every runtime's model and optimizer are left as they were.
 */
export async function runFindLr(options: FindLrOptions, output: Output): Promise<FindLrReport> {
  const data =
    options.data ??
    prepareData(options.dataDir === undefined ? loadPackagedMnist() : loadIdxMnist(options.dataDir), {
      seed: options.seed,
      batchSize: options.batchSize,
      trainSamples: options.trainSamples,
    });
  const sweep: RangeTestOptions = { ...defaultSweep, ...options.sweep };
  const parameters = initialParameters(options.seed);
  output.write(
    `Learning-rate range test: ${options.optimizer}, batch ${options.batchSize}, sweep ${formatRate(sweep.minValue ?? 1e-7)} → ${formatRate(sweep.maxValue ?? 10)} over ${sweep.steps} steps (${data.stepsPerEpoch} batches of ${data.source}, repeated as needed).\n`,
  );
  const runs: FindLrRun[] = [];
  for (const runtime of options.runtimes) {
    const run =
      runtime === 'tfjs'
        ? await tfjsRangeTest(
            data,
            parameters,
            options.optimizer,
            options.tfjsBackend,
            options.batchSize,
            sweep,
          )
        : await onnxRangeTest(data, parameters, options.optimizer, options.batchSize, sweep);
    runs.push(run);
    output.write(`${describeRun(run)}\n`);
  }
  const valleys = runs.map((run) => run.result.suggestions?.valley.value);
  const complete = valleys.every((value): value is number => value !== undefined) && valleys.length > 0;
  const suggestedPeak = complete
    ? Math.exp(valleys.reduce((sum, value) => sum + Math.log(value), 0) / valleys.length)
    : undefined;
  const agreementFactor =
    complete && valleys.length > 1 ? Math.max(...valleys) / Math.min(...valleys) : undefined;
  const curves = runs.map((run) => ({
    name: `${run.runtime} (${run.backend})`,
    color: colors[run.runtime],
    result: run.result,
  }));
  output.write(`\n${renderFindLrTerminal(curves, Math.min(output.columns, 100))}\n`);
  if (suggestedPeak !== undefined)
    output.write(
      `Suggested peak learning rate: ${suggestedPeak.toExponential(2)}${agreementFactor !== undefined ? ` (runtimes agree within a factor of ${agreementFactor.toFixed(3)})` : ''}.\n`,
    );
  else output.write('No suggested peak learning rate: a runtime found none (see above).\n');
  const files: string[] = [];
  if (options.outDir !== undefined) {
    const folder = resolve(options.outDir);
    mkdirSync(folder, { recursive: true });
    const svgPath = join(folder, 'find-lr.svg');
    const title = `Range test on MNIST: ${options.optimizer}, batch ${options.batchSize}, ${formatRate(sweep.minValue ?? 1e-7)} → ${formatRate(sweep.maxValue ?? 10)} over ${sweep.steps} steps`;
    writeFileSync(svgPath, renderFindLrSvg(curves, title));
    const jsonPath = join(folder, 'find-lr.json');
    writeFileSync(jsonPath, `${JSON.stringify({ sweep, suggestedPeak, agreementFactor, runs }, null, 2)}\n`);
    files.push(svgPath, jsonPath);
    output.write(`Wrote ${svgPath} and ${jsonPath}.\n`);
  }
  return { runs, suggestedPeak, agreementFactor, files };
}

/**
 * `--use-suggested-lr`: the schedule scaled so that its largest value over the run equals the
 * suggested peak (the default warm-up → hold → cosine schedule keeps its shape, floor included).
 * Throws `NoSuggestionError` when the range test gave no suggestion.
 */
export function scheduleWithPeak(schedule: Schedule, totalSteps: number, report: FindLrReport): Schedule {
  if (report.suggestedPeak === undefined) {
    const reasons = report.runs
      .filter((run) => !run.result.suggestions)
      .map((run) => `${run.runtime}: ${run.result.unavailableReason}`);
    throw new NoSuggestionError(
      `--use-suggested-lr: the range test suggested no learning rate (${reasons.join('; ')}); run without --use-suggested-lr or change the sweep.`,
    );
  }
  let peak = 0;
  for (let step = 0; step < totalSteps; step++) peak = Math.max(peak, schedule(step));
  if (!(peak > 0))
    throw new NoSuggestionError(
      '--use-suggested-lr: the schedule is 0 at every step; there is no peak to replace.',
    );
  return scale({ schedule, factor: report.suggestedPeak / peak });
}
