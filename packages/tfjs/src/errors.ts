import { AnnealError } from '@anneal/core';

function codeOf(error: unknown): string | undefined {
  return AnnealError.isInstance(error) ? error.code : undefined;
}

/**
 * Thrown when an object is not a tfjs optimizer whose learning rate can be changed: it has
 * neither a `setLearningRate()` method (SGD, Momentum) nor a numeric `learningRate` field that
 * it reads on every update (Adam, Adamax, RMSProp, Adagrad, Adadelta). `missing` names what it lacks.
 */
export class UnsupportedOptimizerError extends AnnealError {
  override readonly code = 'UnsupportedOptimizerError';
  /** The optimizer's class name (`getClassName()` or its constructor's name), or a description of the value. */
  readonly optimizerName: string;
  /** What the optimizer lacks, e.g. `['setLearningRate()', 'a numeric learningRate field']`. */
  readonly missing: readonly string[];

  constructor(message: string, optimizerName: string, missing: readonly string[]) {
    super(message);
    this.name = 'UnsupportedOptimizerError';
    this.optimizerName = optimizerName;
    this.missing = missing;
  }

  static override isInstance(error: unknown): error is UnsupportedOptimizerError {
    return codeOf(error) === 'UnsupportedOptimizerError';
  }
}

/**
 * Thrown by a callback when training cannot run as asked: the model has no optimizer yet
 * (not compiled), or the metric a callback monitors is missing from the epoch logs; and by
 * `describeBackend` when it is not given the tfjs namespace or no backend is initialized.
 */
export class TrainingSetupError extends AnnealError {
  override readonly code = 'TrainingSetupError';

  constructor(message: string) {
    super(message);
    this.name = 'TrainingSetupError';
  }

  static override isInstance(error: unknown): error is TrainingSetupError {
    return codeOf(error) === 'TrainingSetupError';
  }
}
