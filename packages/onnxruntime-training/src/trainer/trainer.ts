/**
 * `createTrainer`: runs a training-step graph in ONNX Runtime (onnxruntime-node or -web), feeding the learning rate
 * of the schedule at every step and carrying parameters and optimizer state from one step's
 * outputs to the next step's inputs. This module assembles the parts: options, the session
 * contract, the initial values, the step loop, evaluation and checkpointing.
 */
import type { RangeTestResult, Schedule } from '@anneal/core';
import type { CheckpointFingerprint } from '../checkpoint';
import { IssueList, NonFiniteLossError, TrainerReleasedError, TrainingConfigError } from '../errors';
import type { TensorLike } from '../feeds';
import {
  type FindLearningRateOptions,
  prepareRangeTest,
  type RangeTestBatches,
  runRangeTest,
} from '../find-learning-rate';
import type { GraphValueInfo } from '../graph/build';
import type { Dtype } from '../graph/spec';
import { type LearningRateFeed, scheduleFeed } from '../learning-rate-feed';
import type { InferenceSession, Tensor } from '../runtime';
import { createSession, type ExecutionProvider, providerName, type SessionSettings } from '../session';
import {
  type CheckpointSource,
  checkpointBytes,
  checkpointFingerprint,
  type LoadOptions,
  restoreCheckpoint,
} from './checkpointing';
import { Evaluation, type EvaluationResult } from './evaluation';
import { initialValues } from './initial-values';
import {
  type NonFiniteLossPolicy,
  type OutputLocation,
  resolveTrainerOptions,
  type TrainerHost,
  type TrainerOptions,
} from './options';
import { LEARNING_RATE_INPUT, resolveContract } from './session-contract';
import { StepLoop, tensorValues } from './step-loop';

export interface Trainer {
  /**
   * One update on the batch (`x`, `y`) with learning rate `learningRate(currentStep)`;
   * returns the batch loss (before the update). Calls run one at a time, in call order.
   */
  step(x: TensorLike, y: TensorLike): Promise<number>;
  /** Loss, accuracy and logits of the current parameters on a batch (no update). */
  evaluate(x: TensorLike, y: TensorLike): Promise<EvaluationResult>;
  /**
   * Copies of the current parameters, by name. Synchronous, for parameters in CPU memory; on a
   * GPU session that keeps them on the device it throws a `TrainingConfigError`: use `readParameters`.
   */
  parameters(): Record<string, Float32Array | Float64Array>;
  /** Copies of the current optimizer state, by name (CPU memory only, like `parameters`). */
  optimizerState(): Record<string, Float32Array | Float64Array>;
  /** Copies of the current parameters, by name, downloaded from the device where they live there. */
  readParameters(): Promise<Record<string, Float32Array | Float64Array>>;
  /** Copies of the current optimizer state, by name, downloaded from the device where it lives there. */
  readOptimizerState(): Promise<Record<string, Float32Array | Float64Array>>;
  /** Where the parameters and optimizer state live between steps: `'cpu'` or `'gpu-buffer'`. */
  readonly outputLocation: OutputLocation;
  /** Updates applied so far; the next `step` uses `learningRate(currentStep)`. */
  readonly currentStep: number;
  /** Steps whose non-finite loss was skipped (with `onNonFiniteLoss: 'skip'`). */
  readonly skippedSteps: number;
  /** The value fed as `learning_rate` at `step`: `Math.fround(schedule(step))` (float32 graphs) or `schedule(step)` (float64). */
  learningRate(step: number): number;
  readonly schedule: Schedule;
  readonly dtype: Dtype;
  /** The providers in use after any fallback. */
  readonly executionProviders: readonly ExecutionProvider[];
  /** The graph's inputs with element types and shapes. */
  readonly inputs: readonly GraphValueInfo[];
  /** The checkpoint bytes of parameters, optimizer state, step, schedule config and model fingerprint. */
  saveBytes(): Promise<Uint8Array>;
  /** Restores checkpoint bytes (from `saveBytes` or a checkpoint file), all or nothing, like `load`. */
  loadBytes(bytes: Uint8Array, options?: LoadOptions): Promise<void>;
  /** Node: writes parameters, optimizer state, step, schedule config and model fingerprint to `path` atomically. */
  save(path: string): Promise<void>;
  /**
   * Node: restores a checkpoint file of this model (parameters, state, step), all or nothing: a file that is
   * damaged in any byte, of another model or of another format version is a `CheckpointError`,
   * and the trainer is then exactly as before. The trainer keeps its own schedule; if the
   * checkpoint recorded a different schedule config, `onWarning` says so.
   */
  load(path: string, options?: LoadOptions): Promise<void>;
  /**
   * The learning-rate range test (@anneal/core `createRangeTest`): one update per batch while
   * the learning rate sweeps from `minValue` to `maxValue` (exponentially by default) in place of
   * the schedule, until the smoothed loss diverges, a loss is NaN or infinite, or `steps` ran.
   * `batches` is repeated while the sweep needs more. Afterwards the parameters, optimizer state
   * and `currentStep` are exactly as before (also when it throws); the sweep's updates continue
   * the step count (`step` input) from `currentStep`, and `onNonFiniteLoss` does not apply (a
   * non-finite loss ends the test). Resolves to the series, `stopReason`, `divergenceValue` and
   * `suggestions` (undefined, with `unavailableReason`, when the curve supports none). Throws
   * `RangeTestConfigError` for invalid batches or options, `FeedError` for a batch the graph rejects.
   */
  findLearningRate(batches: RangeTestBatches, options?: FindLearningRateOptions): Promise<RangeTestResult>;
  /** Releases the sessions the trainer created. Later calls throw `TrainerReleasedError`. */
  release(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Reading and writing checkpoint files (Node only). */
export interface CheckpointFiles {
  read(path: string, caller: string): Promise<Uint8Array>;
  write(path: string, bytes: Uint8Array): Promise<void>;
}

/** Session options for the providers in use: device outputs where requested and possible. */
function outputOptions(requested: OutputLocation | undefined) {
  return (providers: readonly ExecutionProvider[]) =>
    (requested ?? 'gpu-buffer') === 'gpu-buffer' && providers.map(providerName).includes('webgpu')
      ? { preferredOutputLocation: 'gpu-buffer' as const }
      : {};
}

/**
 * Creates a trainer on `host` (the Node or browser entry's defaults). Validates every option (one
 * `TrainingConfigError` listing every problem), creates the session and copies the initial values.
 */
export async function createTrainerOn(
  host: TrainerHost,
  files: CheckpointFiles | undefined,
  options: TrainerOptions,
): Promise<Trainer> {
  const issues = new IssueList('createTrainer');
  const resolved = resolveTrainerOptions(options, host, issues);
  const { graph, modelBytes, sessionSettings } = resolved;
  const created = resolved.session
    ? undefined
    : await createSession(modelBytes!, sessionSettings, outputOptions(resolved.outputLocation));
  const session = resolved.session ?? created!.session;
  try {
    const contract = resolveContract(graph, session, resolved.parameters, issues);
    issues.throwIfAny();
    const values = initialValues(resolved.ort.Tensor, contract, resolved.parameters, resolved.state, issues);
    const providers = created?.executionProviders ?? [];
    const onDeviceOutputs = created
      ? 'preferredOutputLocation' in outputOptions(resolved.outputLocation)(providers)
      : false;
    return new OrtTrainer({
      loop: new StepLoop(resolved.ort.Tensor, session, contract, values),
      session,
      ownsSession: created !== undefined,
      evaluation: new Evaluation({
        model: resolved.evaluationModel,
        trainingGraph: graph,
        dtype: contract.dtype,
        settings: {
          ...sessionSettings,
          executionProviders: providers.length > 0 ? providers : sessionSettings.executionProviders,
        },
      }),
      schedule: resolved.schedule,
      providers,
      outputLocation: onDeviceOutputs ? 'gpu-buffer' : 'cpu',
      onWarning: sessionSettings.onWarning,
      onNonFiniteLoss: resolved.onNonFiniteLoss,
      fingerprint: checkpointFingerprint(contract, modelBytes),
      files,
    });
  } catch (error) {
    if (created) await session.release().catch(() => undefined);
    throw error;
  }
}

interface TrainerParts {
  readonly loop: StepLoop;
  readonly session: InferenceSession;
  /** Whether the trainer created `session` (and releases it). */
  readonly ownsSession: boolean;
  readonly evaluation: Evaluation;
  readonly schedule: Schedule;
  readonly providers: readonly ExecutionProvider[];
  readonly outputLocation: OutputLocation;
  readonly onWarning: SessionSettings['onWarning'];
  readonly onNonFiniteLoss: NonFiniteLossPolicy;
  readonly fingerprint: CheckpointFingerprint;
  /** Checkpoint files (Node); undefined in the browser, where checkpoints are bytes. */
  readonly files: CheckpointFiles | undefined;
}

/** The fed learning rate of a learning-rate feed (what the graph received). */
const fedValue = (feed: Readonly<Record<string, Tensor>>) =>
  Number((feed[LEARNING_RATE_INPUT]!.data as Float32Array | Float64Array)[0]);

class OrtTrainer implements Trainer {
  readonly schedule: Schedule;
  readonly dtype: Dtype;
  readonly executionProviders: readonly ExecutionProvider[];
  readonly inputs: readonly GraphValueInfo[];
  readonly outputLocation: OutputLocation;
  #step = 0;
  #skipped = 0;
  #released = false;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #parts: TrainerParts;
  readonly #loop: StepLoop;
  /** The schedule's feed: `{ learning_rate: scalar tensor }` for a step. */
  readonly #learningRateFeed: LearningRateFeed;

  constructor(parts: TrainerParts) {
    this.#parts = parts;
    this.#loop = parts.loop;
    this.schedule = parts.schedule;
    this.dtype = parts.loop.contract.dtype;
    this.executionProviders = parts.providers;
    this.inputs = parts.loop.contract.inputs;
    this.outputLocation = parts.outputLocation;
    this.#learningRateFeed = this.#feed(parts.schedule);
  }

  /** The learning-rate feed of `schedule` for this graph's input and dtype. */
  #feed(schedule: Schedule): LearningRateFeed {
    return scheduleFeed(this.#loop.Tensor, schedule, LEARNING_RATE_INPUT, this.dtype);
  }

  get currentStep(): number {
    return this.#step;
  }

  get skippedSteps(): number {
    return this.#skipped;
  }

  learningRate(step: number): number {
    const value = this.schedule(step);
    return this.dtype === 'float32' ? Math.fround(value) : value;
  }

  /** Runs `task` after every earlier call has finished (calls never interleave). */
  #enqueue<T>(method: string, task: () => Promise<T>): Promise<T> {
    if (this.#released) return Promise.reject(new TrainerReleasedError(method));
    const run = this.#queue.then(() => {
      if (this.#released) throw new TrainerReleasedError(method);
      return task();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  step(x: TensorLike, y: TensorLike): Promise<number> {
    return this.#enqueue('step', async () => {
      const step = this.#step;
      const learningRate = this.#learningRateFeed(step);
      const loss = await this.#loop.update('trainer.step', x, y, learningRate, step);
      if (!Number.isFinite(loss)) {
        if (this.#parts.onNonFiniteLoss === 'throw')
          throw new NonFiniteLossError(step, loss, fedValue(learningRate));
        this.#skipped++;
        return loss;
      }
      this.#step = step + 1;
      return loss;
    });
  }

  findLearningRate(batches: RangeTestBatches, options?: FindLearningRateOptions): Promise<RangeTestResult> {
    let test: ReturnType<typeof prepareRangeTest>;
    try {
      test = prepareRangeTest(batches, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#enqueue('findLearningRate', async () => {
      const saved = this.#loop.snapshot();
      const start = this.#step;
      const sweep = this.#feed(test.schedule);
      try {
        return await runRangeTest(test, batches, (x, y, step) =>
          this.#loop.update('trainer.findLearningRate', x, y, sweep(step), start + step),
        );
      } finally {
        this.#loop.restore(saved);
        this.#step = start;
      }
    });
  }

  evaluate(x: TensorLike, y: TensorLike): Promise<EvaluationResult> {
    return this.#enqueue('evaluate', () => {
      const parameters = new Map(
        this.#loop.contract.parameterNames.map((name) => [name, this.#loop.value(name)] as const),
      );
      return this.#parts.evaluation.run(parameters, this.#loop.batchInputs, x, y);
    });
  }

  parameters(): Record<string, Float32Array | Float64Array> {
    return this.#copy(this.#loop.contract.parameterNames);
  }

  optimizerState(): Record<string, Float32Array | Float64Array> {
    return this.#copy(this.#loop.contract.stateNames);
  }

  #copy(names: readonly string[]): Record<string, Float32Array | Float64Array> {
    if (this.#released) throw new TrainerReleasedError('parameters');
    if (this.outputLocation !== 'cpu') {
      throw new TrainingConfigError('trainer.parameters', [
        {
          path: 'preferredOutputLocation',
          expected: '"cpu" for synchronous copies',
          received: this.outputLocation,
          message: `trainer.parameters: the parameters and optimizer state live on the GPU (preferredOutputLocation "${this.outputLocation}"); read them with await trainer.readParameters() or trainer.readOptimizerState().`,
        },
      ]);
    }
    const out: Record<string, Float32Array | Float64Array> = {};
    for (const name of names)
      out[name] = (this.#loop.value(name).data as Float32Array | Float64Array).slice();
    return out;
  }

  readParameters(): Promise<Record<string, Float32Array | Float64Array>> {
    return this.#enqueue('readParameters', () => this.#read(this.#loop.contract.parameterNames));
  }

  readOptimizerState(): Promise<Record<string, Float32Array | Float64Array>> {
    return this.#enqueue('readOptimizerState', () => this.#read(this.#loop.contract.stateNames));
  }

  async #read(names: readonly string[]): Promise<Record<string, Float32Array | Float64Array>> {
    const values = await Promise.all(names.map((name) => tensorValues(this.#loop.value(name))));
    return Object.fromEntries(names.map((name, index) => [name, values[index]!]));
  }

  /** What save and load read: the carried tensors, the step, the schedule, the fingerprint. */
  #checkpointed() {
    return {
      loop: this.#loop,
      step: this.#step,
      schedule: this.schedule,
      fingerprint: this.#parts.fingerprint,
    };
  }

  saveBytes(): Promise<Uint8Array> {
    return this.#enqueue('saveBytes', () => checkpointBytes(this.#checkpointed()));
  }

  loadBytes(bytes: Uint8Array, options: LoadOptions = {}): Promise<void> {
    const source = { caller: 'trainer.loadBytes', label: 'the checkpoint', reader: 'parseCheckpoint' };
    return this.#enqueue('loadBytes', async () => this.#restore(bytes, source, options));
  }

  #restore(bytes: Uint8Array, source: CheckpointSource, options: LoadOptions): void {
    const loaded = restoreCheckpoint(bytes, source, this.#checkpointed(), options, this.#parts.onWarning);
    // everything was checked and decoded into fresh tensors: swap them in at once
    this.#loop.restore(loaded.values);
    this.#step = loaded.step;
  }

  save(path: string): Promise<void> {
    return this.#enqueue('save', async () =>
      this.#files('save').write(path, await checkpointBytes(this.#checkpointed())),
    );
  }

  load(path: string, options: LoadOptions = {}): Promise<void> {
    return this.#enqueue('load', async () => {
      const bytes = await this.#files('load').read(path, 'trainer.load');
      this.#restore(bytes, { caller: 'trainer.load', label: path, reader: 'readCheckpoint' }, options);
    });
  }

  /** The checkpoint file access of Node; in the browser, a `TrainingConfigError` pointing to the bytes methods. */
  #files(method: 'save' | 'load'): CheckpointFiles {
    if (this.#parts.files) return this.#parts.files;
    const alternative = method === 'save' ? 'saveBytes()' : 'loadBytes(bytes)';
    throw new TrainingConfigError(`trainer.${method}`, [
      {
        path: method,
        expected: `trainer.${alternative} in the browser`,
        received: `trainer.${method}(path)`,
        message: `trainer.${method}: checkpoints are files only in Node; in the browser use trainer.${alternative}.`,
      },
    ]);
  }

  async release(): Promise<void> {
    if (this.#released) return;
    await this.#queue;
    this.#released = true;
    this.#loop.release();
    if (this.#parts.ownsSession) await this.#parts.session.release();
    await this.#parts.evaluation.release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }
}
