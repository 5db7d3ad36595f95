import { isPlainObject, rejectUnknownKeys } from '@anneal/core';
import { ArgsIssues } from './args';
import { type LogsLike, logNumber, makeCallback, type TrainingCallback } from './callback';
import type { ModelLike, OptimizerLike } from './optimizer';

/**
 * Anything that records scalars, tensorboardX-style: @anneal/tensorboard-logger's `SummaryWriter`
 * fits without this package depending on it. A returned promise is awaited; `flush` (optional)
 * is called at the end of each epoch and of training.
 */
export interface ScalarWriter {
  addScalar(tag: string, value: number, step: number): unknown;
  flush?(): unknown;
}

/** The TensorBoard runs Keras writes: `train` and `validation` (sub-directories of the log dir). */
export type TensorBoardRun = 'train' | 'validation';

/**
 * Where scalars go: one writer per run, or a factory called once per run the first time that run
 * has something to write (so no validation writer is made for a fit without validation data).
 * A single writer is the train run. Without a validation writer, validation values go to the
 * train writer as `epoch_val_<name>` (the TF1 Keras tags).
 */
export type TensorBoardWriters =
  | { train: ScalarWriter; validation?: ScalarWriter }
  | ((run: TensorBoardRun) => ScalarWriter)
  | ScalarWriter;

export interface TensorBoardArgs {
  /** `'epoch'` (default): epoch scalars only. `'batch'`: also `batch_<name>` after every batch. */
  updateFreq?: 'epoch' | 'batch';
  /**
   * The model being trained (or give `optimizer`). Optional: with it, batch scalars are written at
   * the optimizer's step (exact across resumes) and `epoch_learning_rate` is read from the optimizer
   * when the logs carry no `lr`; without it, batch steps count from `initialStep`.
   */
  model?: ModelLike;
  optimizer?: OptimizerLike;
  /** Step of the first batch when no model/optimizer gives it, or added to `optimizer.iterations`. Default 0. */
  initialStep?: number;
}

const skippedKeys = new Set(['batch', 'size']);

function tagOf(prefix: 'epoch' | 'batch', key: string): string {
  return key === 'lr' ? `${prefix}_learning_rate` : `${prefix}_${key}`;
}

/**
 * A callback that writes every fit log value to TensorBoard writers with the tags Keras uses:
 * `epoch_<name>` at the epoch index (train run), validation values `val_<name>` as
 * `epoch_<name>` in the validation run, the learning rate (`lr`, recorded by
 * learningRateScheduler / reduceLROnPlateau) as `epoch_learning_rate`, and with
 * `updateFreq: 'batch'` also `batch_<name>` / `batch_learning_rate` at the step of each update
 * (step k = the update that moves the optimizer's count from k to k+1, as in the schedule).
 *
 * Put it after learningRateScheduler in the callbacks list, or give it `model`, so that the
 * epoch's learning rate is known when it writes. Throws `ScheduleConfigError` for invalid args.
 */
export function tensorBoard(writers: TensorBoardWriters, args: TensorBoardArgs = {}): TrainingCallback {
  const factory = 'tensorBoard';
  const single = checkArgs(factory, writers, args);
  const updateFreq = args.updateFreq ?? 'epoch';
  const initialStep = args.initialStep ?? 0;
  const { writerFor, made } = writerLookup(factory, writers, single);
  const optimizerNow = (): OptimizerLike | undefined => args.optimizer ?? args.model?.optimizer ?? undefined;
  let counter = initialStep;
  let batchStep = initialStep;

  const write = async (writer: ScalarWriter, tag: string, value: number, step: number) => {
    await writer.addScalar(tag, value, step);
  };
  const flushAll = async () => {
    for (const writer of made.values()) if (writer?.flush) await writer.flush();
  };

  const onBatchBegin = async () => {
    const optimizer = optimizerNow();
    batchStep = optimizer ? initialStep + optimizer.iterations : counter;
    counter = batchStep + 1;
  };
  const onBatchEnd = async (_batch: number, logs?: LogsLike) => {
    if (!logs) return;
    const train = writerFor('train')!;
    for (const key of Object.keys(logs)) {
      if (skippedKeys.has(key)) continue;
      const value = await logNumber(logs[key]);
      if (value !== undefined) await write(train, tagOf('batch', key), value, batchStep);
    }
  };
  const onEpochEnd = async (epoch: number, logs?: LogsLike) => {
    const entries = logs ?? {};
    const train = writerFor('train')!;
    for (const key of Object.keys(entries)) {
      if (skippedKeys.has(key)) continue;
      const value = await logNumber(entries[key]);
      if (value === undefined) continue;
      if (key.startsWith('val_')) {
        const validation = writerFor('validation');
        if (validation) await write(validation, tagOf('epoch', key.slice(4)), value, epoch);
        else await write(train, tagOf('epoch', key), value, epoch);
      } else {
        await write(train, tagOf('epoch', key), value, epoch);
      }
    }
    if (!('lr' in entries)) {
      const held = (optimizerNow() as { learningRate?: unknown } | undefined)?.learningRate;
      if (typeof held === 'number') await write(train, 'epoch_learning_rate', Math.fround(held), epoch);
    }
    await flushAll();
  };
  // Batch handlers only when batch scalars are wanted: tfjs syncs the batch logs before each onBatchEnd.
  return makeCallback(
    updateFreq === 'batch'
      ? { onBatchBegin, onBatchEnd, onEpochEnd, onTrainEnd: flushAll }
      : { onEpochEnd, onTrainEnd: flushAll },
  );
}

function isWriter(value: unknown): value is ScalarWriter {
  return (
    typeof value === 'object' && value !== null && typeof (value as ScalarWriter).addScalar === 'function'
  );
}

/** Validates the writers and args (every problem at once); returns the single writer, if one was given. */
function checkArgs(
  factory: string,
  writers: TensorBoardWriters,
  args: TensorBoardArgs,
): ScalarWriter | undefined {
  const issues = new ArgsIssues(factory);
  const single = isWriter(writers) ? writers : undefined;
  const pair =
    !single && isPlainObject(writers) ? (writers as { train?: unknown; validation?: unknown }) : undefined;
  if (typeof writers !== 'function' && !pair && !single) {
    issues.add(
      'writers',
      'a writer with addScalar(tag, value, step), a { train, validation? } pair of them, or a function (run) => writer',
      writers,
    );
  } else if (pair) {
    if (!isWriter(pair.train))
      issues.add('writers.train', 'a writer with addScalar(tag, value, step)', pair.train);
    if (pair.validation !== undefined && !isWriter(pair.validation)) {
      issues.add('writers.validation', 'a writer with addScalar(tag, value, step)', pair.validation);
    }
    rejectUnknownKeys(pair, ['train', 'validation'], issues, {
      prefix: 'writers',
      sentence: (_path, key) => `unknown run ${JSON.stringify(key)} (expected train, validation)`,
      expected: 'train or validation',
    });
  }
  if (!isPlainObject(args)) {
    issues.add('args', 'an args object ({ updateFreq?, model?, optimizer?, initialStep? })', args);
    issues.throwIfAny();
  }
  const input = args as Record<string, unknown>;
  issues.unknownKeys(input, ['updateFreq', 'model', 'optimizer', 'initialStep']);
  issues.optionalEnum(input, 'updateFreq', ['epoch', 'batch']);
  issues.optionalInteger(input, 'initialStep', 0);
  if (input.model !== undefined && !(isPlainObject(input.model) && 'optimizer' in input.model)) {
    issues.add('model', 'a tfjs LayersModel (an object with an optimizer property)', input.model);
  }
  if (input.optimizer !== undefined && !isPlainObject(input.optimizer)) {
    issues.add('optimizer', 'a tfjs optimizer', input.optimizer);
  }
  if (input.model !== undefined && input.optimizer !== undefined) {
    issues.addRule(
      'optimizer',
      'give model or optimizer, not both',
      'one of model, optimizer',
      input.optimizer,
    );
  }
  issues.throwIfAny();
  return single;
}

/** The writer of each run, made (or looked up) once on first use. */
function writerLookup(factory: string, writers: TensorBoardWriters, single: ScalarWriter | undefined) {
  const made = new Map<TensorBoardRun, ScalarWriter | undefined>();
  const writerFor = (run: TensorBoardRun): ScalarWriter | undefined => {
    if (!made.has(run)) {
      if (single) {
        made.set(run, run === 'train' ? single : undefined);
      } else if (typeof writers === 'function') {
        const writer = writers(run);
        if (!isWriter(writer)) {
          const made = new ArgsIssues(factory);
          made.add(`writers(${JSON.stringify(run)})`, 'a writer with addScalar(tag, value, step)', writer);
          made.throwIfAny();
        }
        made.set(run, writer);
      } else {
        const runs = writers as { train: ScalarWriter; validation?: ScalarWriter };
        made.set(run, run === 'train' ? runs.train : runs.validation);
      }
    }
    return made.get(run);
  };
  return { writerFor, made };
}
