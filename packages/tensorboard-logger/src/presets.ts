/**
 * Where popular trainers put the learning rate, so a curve written by anneal lands next to (and
 * compares with) the one the host library would have written.
 */

import { IssueCollector, isNonEmptyString, isNonNegativeInteger } from './validation';

/** A run subdirectory (relative to the logdir; `''` is the logdir itself) and a tag. */
export interface TagLocation {
  readonly run: string;
  readonly tag: string;
}

/** Keras `TensorBoard` callback (Keras 3 / TF ≥ 2.13): `epoch_learning_rate` in the `train` run. */
export const KERAS_LEARNING_RATE: TagLocation = Object.freeze({ run: 'train', tag: 'epoch_learning_rate' });

/** Hugging Face `Trainer` with `TensorBoardCallback`: `train/learning_rate` in the run directory itself. */
export const HUGGING_FACE_LEARNING_RATE: TagLocation = Object.freeze({ run: '', tag: 'train/learning_rate' });

/** PyTorch Lightning `LearningRateMonitor` for a single optimizer with one parameter group: `lr-<OptimizerClass>`. */
export function lightningLearningRate(optimizerName: string, parameterGroup?: number): TagLocation {
  const issues = new IssueCollector('lightningLearningRate');
  if (!isNonEmptyString(optimizerName))
    issues.add('optimizerName', 'a non-empty string such as "Adam"', optimizerName);
  issues.checkOptional(
    'parameterGroup',
    parameterGroup,
    isNonNegativeInteger,
    'a non-negative integer or undefined',
  );
  issues.throwIfAny();
  // Lightning names additional parameter groups `lr-Adam/pg1`, `lr-Adam/pg2`, ... (pg numbering starts at 1).
  const suffix = parameterGroup === undefined ? '' : `/pg${parameterGroup + 1}`;
  return { run: '', tag: `lr-${optimizerName}${suffix}` };
}

/** Names accepted by {@link learningRateTag}. */
export type LearningRatePreset = 'keras' | 'huggingface' | 'lightning';

/**
 * Tag location of the learning rate in the given host's convention. `optimizerName` is used by the
 * Lightning preset only (default `'Adam'`).
 */
export function learningRateTag(
  preset: LearningRatePreset,
  options: { optimizerName?: string } = {},
): TagLocation {
  switch (preset) {
    case 'keras':
      return KERAS_LEARNING_RATE;
    case 'huggingface':
      return HUGGING_FACE_LEARNING_RATE;
    case 'lightning':
      return lightningLearningRate(options.optimizerName ?? 'Adam');
    default:
      return new IssueCollector('learningRateTag').fail(
        'preset',
        '"keras", "huggingface" or "lightning"',
        preset,
      );
  }
}
