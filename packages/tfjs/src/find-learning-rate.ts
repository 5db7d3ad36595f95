/**
 * `findLearningRate`: the learning-rate range test (@anneal/core `createRangeTest`) run with
 * `model.fit` / `model.fitDataset`, leaving the model's weights and optimizer state as it found them.
 */
import {
  createRangeTest,
  isPlainObject,
  type RangeTest,
  RangeTestConfigError,
  type RangeTestOptions,
  type RangeTestResult,
  rangeTestOptionSpecs,
  rejectUnknownKeys,
} from '@anneal/core';
import type { Optimizer, Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ArgsIssues } from './args';
import { logNumber, makeCallback } from './callback';
import { TrainingSetupError, UnsupportedOptimizerError } from './errors';
import { assertSupportedOptimizer, getLearningRate, setLearningRate } from './optimizer';

/** One entry of `optimizer.getWeights()`: `{ name, tensor }`. */
type NamedTensor = Awaited<ReturnType<Optimizer['getWeights']>>[number];

/** Inputs and targets as `model.fit` takes them. */
export interface FitData {
  readonly x: Tensor | Tensor[] | { [inputName: string]: Tensor };
  readonly y: Tensor | Tensor[] | { [outputName: string]: Tensor };
}

/** A `tf.data.Dataset` of `{ xs, ys }` batches, as `model.fitDataset` takes it. */
export type FitDatasetData = Parameters<LayersModel['fitDataset']>[0];

export interface FindLearningRateArgs extends RangeTestOptions {
  /** Rows per batch with `{ x, y }` data (`fit`'s `batchSize`). Default 32. Not for datasets (they batch themselves). */
  batchSize?: number;
  /** Shuffle `{ x, y }` rows each epoch (`fit`'s `shuffle`). Default true, as `fit`. Not for datasets. */
  shuffle?: boolean;
}

function isDataset(data: unknown): data is FitDatasetData {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { iterator?: unknown }).iterator === 'function'
  );
}

/** Validates the arguments; throws one `RangeTestConfigError` listing every problem. */
function checkArgs(
  data: unknown,
  args: FindLearningRateArgs | undefined,
): { test: RangeTest; dataset: boolean; batchSize: number; shuffle: boolean } {
  const issues = new ArgsIssues('findLearningRate');
  if (args !== undefined && !isPlainObject(args)) {
    issues.add('', 'an options object', args);
    throw new RangeTestConfigError('findLearningRate', issues.issues);
  }
  const given = (args ?? {}) as Record<string, unknown>;
  const dataset = isDataset(data);
  if (!dataset && !(isPlainObject(data) && data.x != null && data.y != null))
    issues.add('data', 'an object { x, y } of tensors (as model.fit takes) or a tf.data.Dataset', data);
  const batchSize = given.batchSize ?? 32;
  const shuffle = given.shuffle ?? true;
  if (dataset) {
    for (const key of ['batchSize', 'shuffle'])
      if (given[key] !== undefined)
        issues.addRule(
          key,
          `${key} applies to { x, y } data only (a dataset batches and shuffles itself)`,
          'absent with a dataset',
          given[key],
        );
  } else {
    if (!(Number.isSafeInteger(batchSize) && (batchSize as number) >= 1))
      issues.add('batchSize', 'a positive integer (default 32)', given.batchSize);
    if (typeof shuffle !== 'boolean') issues.add('shuffle', 'a boolean (default true)', given.shuffle);
  }
  const rangeTestKeys = Object.keys(rangeTestOptionSpecs);
  rejectUnknownKeys(given, [...rangeTestKeys, 'batchSize', 'shuffle'], issues);
  const rangeOptions: Record<string, unknown> = {};
  for (const key of rangeTestKeys) if (given[key] !== undefined) rangeOptions[key] = given[key];
  let test: RangeTest | undefined;
  try {
    test = createRangeTest(rangeOptions as RangeTestOptions);
  } catch (error) {
    if (!RangeTestConfigError.isInstance(error)) throw error;
    for (const issue of error.issues)
      issues.issues.push({
        ...issue,
        message: issue.message.replace(/^createRangeTest: /, 'findLearningRate: '),
      });
  }
  if (!issues.ok) throw new RangeTestConfigError('findLearningRate', issues.issues);
  return { test: test!, dataset, batchSize: batchSize as number, shuffle: shuffle as boolean };
}

interface Snapshot {
  readonly weights: Tensor[];
  readonly optimizerWeights: NamedTensor[];
  readonly learningRate: number;
}

async function snapshot(model: LayersModel, optimizer: Optimizer): Promise<Snapshot> {
  let live: NamedTensor[];
  try {
    live = await optimizer.getWeights();
  } catch (error) {
    const name = optimizer.getClassName();
    throw new UnsupportedOptimizerError(
      `findLearningRate: optimizer ${name} cannot save its state (its getWeights() throws: ${(error as Error).message}), so the test could not restore it afterwards; run the range test with another optimizer (tfjs 4.22 implements getWeights/setWeights for every built-in optimizer except Adamax).`,
      name,
      ['getWeights()', 'setWeights()'],
    );
  }
  // Entry 0 is a fresh `iter` scalar; the others are the optimizer's live variables, which the
  // sweep will overwrite: keep copies.
  const optimizerWeights = live.map(({ name, tensor }) => ({ name, tensor: tensor.clone() }));
  live[0]?.tensor.dispose();
  return {
    weights: model.getWeights().map((weight) => weight.clone()),
    optimizerWeights,
    learningRate: getLearningRate(optimizer),
  };
}

async function restore(model: LayersModel, optimizer: Optimizer, saved: Snapshot): Promise<void> {
  // The model's weights are variables: setWeights assigns the saved values into them.
  model.setWeights(saved.weights);
  // Optimizers replace their slot variables in setWeights: dispose the ones the sweep left.
  const during = await optimizer.getWeights();
  await optimizer.setWeights(saved.optimizerWeights);
  const after = await optimizer.getWeights();
  const kept = new Set(after.map(({ tensor }) => tensor.id));
  for (const { tensor } of during) if (!kept.has(tensor.id)) tensor.dispose();
  after[0]?.tensor.dispose();
  for (const tensor of saved.weights) tensor.dispose();
  for (const { tensor } of saved.optimizerWeights) tensor.dispose();
  setLearningRate(optimizer, saved.learningRate);
}

/**
 * Runs the learning-rate range test on a compiled model: trains one batch per sweep step with
 * `model.fit` (`{ x, y }` data) or `model.fitDataset` (a dataset), setting the optimizer's
 * learning rate before each batch to the sweep's value (`createRangeTest` in @anneal/core:
 * exponential from `minValue` to `maxValue` over `steps`), records each batch's loss, and stops
 * training (`model.stopTraining`) when the test says so. Data shorter than the sweep is
 * repeated epoch after epoch; a dataset that yields no batch ends the test (`dataExhausted`).
 *
 * Afterwards the model's weights, the optimizer's state (its slot variables and `iterations`)
 * and its learning rate are restored exactly, whether the test completed, diverged or threw.
 * tfjs's `fit` logs nothing (`verbose: 0`).
 *
 * Returns the core result: the series, `stopReason`, `divergenceValue` and `suggestions`
 * (undefined, with `unavailableReason`, when the curve supports none — e.g. a NaN loss at the
 * first step).
 *
 * Throws `RangeTestConfigError` for invalid data or options (every problem listed),
 * `TrainingSetupError` for a model without an optimizer (not compiled) and
 * `UnsupportedOptimizerError` for an optimizer whose learning rate cannot be set or whose state
 * cannot be saved (Adamax in tfjs 4.22 has no getWeights).
 *
 * @example
 * const result = await findLearningRate(model, { x, y }, { minValue: 1e-6, maxValue: 1, steps: 100 });
 * const peak = result.suggestions?.valley.value;
 */
export async function findLearningRate(
  model: LayersModel,
  data: FitData | FitDatasetData,
  args?: FindLearningRateArgs,
): Promise<RangeTestResult> {
  const { test, dataset, batchSize, shuffle } = checkArgs(data, args);
  const optimizer = (model as { optimizer?: Optimizer | null } | null)?.optimizer;
  if (!optimizer)
    throw new TrainingSetupError(
      'findLearningRate: the model has no optimizer; call model.compile({ optimizer, loss }) first.',
    );
  assertSupportedOptimizer(optimizer, 'findLearningRate');
  const saved = await snapshot(model, optimizer);
  let step = 0;
  const callback = makeCallback({
    onBatchBegin: async () => {
      setLearningRate(optimizer, test.learningRate(step));
    },
    onBatchEnd: async (_batch, logs) => {
      const loss = await logNumber(logs?.loss);
      const verdict = test.record(step, loss ?? Number.NaN);
      step += 1;
      if (verdict === 'stop') model.stopTraining = true;
    },
  });
  const steps = test.options.steps;
  try {
    // Every epoch holds at least one batch, so `steps` epochs always cover the sweep.
    if (dataset) {
      await model.fitDataset(data as FitDatasetData, { epochs: steps, verbose: 0, callbacks: [callback] });
    } else {
      const { x, y } = data as FitData;
      await model.fit(x, y, { epochs: steps, batchSize, shuffle, verbose: 0, callbacks: [callback] });
    }
  } finally {
    await restore(model, optimizer, saved);
  }
  if (test.stopReason === undefined) test.stop('dataExhausted');
  return test.result();
}
