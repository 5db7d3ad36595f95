/**
 * Typed errors of @anneal/onnxruntime-training. They extend core's `AnnealError` (so
 * `AnnealError.isInstance` recognises them) and each has a stable `code` checked by its static
 * `isInstance`, which keeps working when two copies of a package are loaded (instanceof would not).
 */
import {
  AnnealError,
  formatValue as formatPlainValue,
  IssueCollector,
  IssueListError,
  rejectUnknownKeys,
  type ValidationIssue,
} from '@anneal/core';

function codeOf(error: unknown): string | undefined {
  return AnnealError.isInstance(error) ? error.code : undefined;
}

/**
 * How this package shows a received value in every message it writes (`IssueList`, `FeedError`,
 * checkpoint and range-test errors): core's `formatValue`, except that a typed array reads
 * `a Float32Array of length 3` (feeds and parameters are typed arrays, and their JSON is an object
 * keyed by index). The package's modules import this one, never core's.
 */
export function formatValue(value: unknown): string {
  if (ArrayBuffer.isView(value)) {
    return `a ${value.constructor.name} of length ${(value as unknown as { length?: number }).length ?? value.byteLength}`;
  }
  return formatPlainValue(value);
}

/**
 * Collects every validation problem so that one error can report them all: core's
 * `IssueCollector`, with received values shown by this package's `formatValue` and a
 * `TrainingConfigError` to throw.
 */
export class IssueList extends IssueCollector {
  protected override formatReceived(value: unknown): string {
    return formatValue(value);
  }

  /**
   * Records each key of `value` that is not in `known`: `<path>.<key> must be absent (known
   * options: ...)`, followed by `hint(key)`.
   */
  addUnknownKeys(
    value: object,
    known: readonly string[],
    path = '',
    hint: (key: string) => string = () => '',
  ): void {
    const expected = (key: string) => `absent (known options: ${known.join(', ')})${hint(key)}`;
    rejectUnknownKeys(value as Record<string, unknown>, known, this, {
      prefix: path,
      sentence: (keyPath, key) => `${this.path(keyPath)} must be ${expected(key)}`,
      expected,
    });
  }

  /** Throws one `TrainingConfigError` listing every issue, if there is any. */
  throwIfAny(): void {
    if (!this.ok) throw new TrainingConfigError(this.builder, this.issues);
  }
}

/**
 * Invalid options given to `buildTrainingGraph`, `buildEvaluationGraph`, `initParameters`,
 * `createTrainer` or `learningRateFeed`, or a model that lacks what the trainer needs.
 * Lists every issue.
 */
export class TrainingConfigError extends IssueListError {
  override readonly code = 'TrainingConfigError';

  constructor(builder: string, issues: readonly ValidationIssue[]) {
    super(builder, issues, 'problems');
    this.name = 'TrainingConfigError';
  }

  static override isInstance(error: unknown): error is TrainingConfigError {
    return codeOf(error) === 'TrainingConfigError';
  }
}

/**
 * Inputs given to `step`/`evaluate` (or a feeds object) that do not match the graph: wrong dtype
 * or shape, missing or extra inputs, labels out of range. The message lists the graph's inputs
 * with their expected types and shapes.
 */
export class FeedError extends AnnealError {
  override readonly code = 'FeedError';
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[]) {
    super(message);
    this.name = 'FeedError';
    this.problems = problems;
  }

  static override isInstance(error: unknown): error is FeedError {
    return codeOf(error) === 'FeedError';
  }
}

/** The training step produced a NaN or infinite loss. Parameters and optimizer state were left as they were before the step. */
export class NonFiniteLossError extends AnnealError {
  override readonly code = 'NonFiniteLossError';
  /** The step (0-based) whose update was refused. */
  readonly step: number;
  readonly loss: number;

  constructor(step: number, loss: number, learningRate: number) {
    super(
      `trainer.step: the loss at step ${step} is ${formatValue(loss)} (learning rate ${learningRate}); the update was discarded and parameters are unchanged. Lower the learning rate, check the inputs, or pass onNonFiniteLoss: 'skip'.`,
    );
    this.name = 'NonFiniteLossError';
    this.step = step;
    this.loss = loss;
  }

  static override isInstance(error: unknown): error is NonFiniteLossError {
    return codeOf(error) === 'NonFiniteLossError';
  }
}

/** A checkpoint that cannot be loaded: another model, a damaged file, an unknown format version. */
export class CheckpointError extends AnnealError {
  override readonly code = 'CheckpointError';
  readonly path: string;

  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckpointError';
    this.path = path;
  }

  static override isInstance(error: unknown): error is CheckpointError {
    return codeOf(error) === 'CheckpointError';
  }
}

/** An execution provider was asked for with `strict: true` and could not be used. */
export class ExecutionProviderError extends AnnealError {
  override readonly code = 'ExecutionProviderError';
  readonly executionProviders: readonly string[];

  constructor(message: string, executionProviders: readonly string[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExecutionProviderError';
    this.executionProviders = executionProviders;
  }

  static override isInstance(error: unknown): error is ExecutionProviderError {
    return codeOf(error) === 'ExecutionProviderError';
  }
}

/** The trainer was used after `release()`. */
export class TrainerReleasedError extends AnnealError {
  override readonly code = 'TrainerReleasedError';

  constructor(method: string) {
    super(`trainer.${method}: the trainer was released; create a new one with createTrainer().`);
    this.name = 'TrainerReleasedError';
  }

  static override isInstance(error: unknown): error is TrainerReleasedError {
    return codeOf(error) === 'TrainerReleasedError';
  }
}
