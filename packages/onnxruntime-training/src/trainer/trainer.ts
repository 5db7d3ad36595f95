/**
 * `createTrainer`: runs a training-step graph in onnxruntime-node, feeding the learning rate
 * of the schedule at every step and carrying parameters and optimizer state from one step's
 * outputs to the next step's inputs. This module assembles the parts: options, the session
 * contract, the initial values, the step loop, evaluation and checkpointing.
 */
import type { RangeTestResult, Schedule } from '@anneal/core';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { CheckpointFingerprint } from '../checkpoint';
import { IssueList, NonFiniteLossError, TrainerReleasedError } from '../errors';
import type { TensorLike } from '../feeds';
import {
  type FindLearningRateOptions,
  prepareRangeTest,
  type RangeTestBatches,
  runRangeTest,
} from '../find-learning-rate';
import type { GraphValueInfo } from '../graph/build';
import type { Dtype } from '../graph/spec';
import { type LearningRateFeed, learningRateFeed } from '../learning-rate-feed';
import { createSession, type ExecutionProvider, type SessionSettings } from '../session';
import { checkpointFingerprint, type LoadOptions, loadCheckpoint, saveCheckpoint } from './checkpointing';
import { Evaluation, type EvaluationResult } from './evaluation';
import { initialValues } from './initial-values';
import { type NonFiniteLossPolicy, resolveTrainerOptions, type TrainerOptions } from './options';
import { LEARNING_RATE_INPUT, resolveContract } from './session-contract';
import { StepLoop } from './step-loop';

export interface Trainer {
  /**
   * One update on the batch (`x`, `y`) with learning rate `learningRate(currentStep)`;
   * returns the batch loss (before the update). Calls run one at a time, in call order.
   */
  step(x: TensorLike, y: TensorLike): Promise<number>;
  /** Loss, accuracy and logits of the current parameters on a batch (no update). */
  evaluate(x: TensorLike, y: TensorLike): Promise<EvaluationResult>;
  /** Copies of the current parameters, by name. */
  parameters(): Record<string, Float32Array | Float64Array>;
  /** Copies of the current optimizer state, by name. */
  optimizerState(): Record<string, Float32Array | Float64Array>;
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
  /** Writes parameters, optimizer state, step, schedule config and model fingerprint atomically. */
  save(path: string): Promise<void>;
  /**
   * Restores a checkpoint of this model (parameters, state, step), all or nothing: a file that is
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

/**
 * Creates a trainer. Validates every option (one `TrainingConfigError` listing every problem),
 * creates the session (CPU, one intra-op thread by default) and copies the initial values.
 *
 * @example
 * const graph = buildTrainingGraph({ inputShape: [784], layers, loss: 'softmaxCrossEntropy', optimizer: { type: 'adam' } });
 * const trainer = await createTrainer({
 *   model: graph,
 *   schedule: warmupCosineDecay({ peakValue: 1e-3, warmupSteps: 100, totalSteps: 1000 }),
 *   parameters: initParameters({ graph, seed: 0 }),
 * });
 * const loss = await trainer.step(xBatch, yBatch); // uses learning rate schedule(0)
 */
export async function createTrainer(options: TrainerOptions): Promise<Trainer> {
  const issues = new IssueList('createTrainer');
  const resolved = resolveTrainerOptions(options, issues);
  const { graph, modelBytes, sessionSettings } = resolved;
  const created = resolved.session ? undefined : await createSession(modelBytes!, sessionSettings);
  const session = resolved.session ?? created!.session;
  try {
    const contract = resolveContract(graph, session, resolved.parameters, issues);
    issues.throwIfAny();
    const values = initialValues(contract, resolved.parameters, resolved.state, issues);
    const providers = created?.executionProviders ?? [];
    return new OrtTrainer({
      loop: new StepLoop(session, contract, values),
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
      onWarning: sessionSettings.onWarning,
      onNonFiniteLoss: resolved.onNonFiniteLoss,
      fingerprint: checkpointFingerprint(contract, modelBytes),
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
  readonly onWarning: SessionSettings['onWarning'];
  readonly onNonFiniteLoss: NonFiniteLossPolicy;
  readonly fingerprint: CheckpointFingerprint;
}

/** The fed learning rate of a learning-rate feed (what the graph received). */
const fedValue = (feed: Readonly<Record<string, Tensor>>) =>
  Number((feed[LEARNING_RATE_INPUT]!.data as Float32Array | Float64Array)[0]);

class OrtTrainer implements Trainer {
  readonly schedule: Schedule;
  readonly dtype: Dtype;
  readonly executionProviders: readonly ExecutionProvider[];
  readonly inputs: readonly GraphValueInfo[];
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
    this.#learningRateFeed = learningRateFeed({
      schedule: parts.schedule,
      inputName: LEARNING_RATE_INPUT,
      dtype: this.dtype,
    });
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
      const sweep = learningRateFeed({
        schedule: test.schedule,
        inputName: LEARNING_RATE_INPUT,
        dtype: this.dtype,
      });
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
    const out: Record<string, Float32Array | Float64Array> = {};
    for (const name of names)
      out[name] = (this.#loop.value(name).data as Float32Array | Float64Array).slice();
    return out;
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

  save(path: string): Promise<void> {
    return this.#enqueue('save', () => saveCheckpoint(path, this.#checkpointed()));
  }

  load(path: string, options: LoadOptions = {}): Promise<void> {
    return this.#enqueue('load', async () => {
      const loaded = await loadCheckpoint(path, this.#checkpointed(), options, this.#parts.onWarning);
      // everything was checked and decoded into fresh tensors: swap them in at once
      this.#loop.restore(loaded.values);
      this.#step = loaded.step;
    });
  }

  async release(): Promise<void> {
    if (this.#released) return;
    await this.#queue;
    this.#released = true;
    if (this.#parts.ownsSession) await this.#parts.session.release();
    await this.#parts.evaluation.release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }
}
