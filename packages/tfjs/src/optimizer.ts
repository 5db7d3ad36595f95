import { ScheduleConfigError } from '@anneal/core';
import { formatValue } from './args';
import { UnsupportedOptimizerError } from './errors';

/**
 * The part of a tfjs optimizer (`tf.train.*`) this package relies on. Structural, so an optimizer
 * from any copy of @tensorflow/tfjs-core fits. The learning rate itself is reached through
 * `setLearningRate()` or the (protected in the typings) `learningRate` field, see `setLearningRate`.
 */
export interface OptimizerLike {
  /** Updates applied so far; saved with the model's optimizer weights (`'iter'`) and restored on load. */
  readonly iterations: number;
  getClassName?(): string;
}

/** A compiled tfjs `LayersModel` (or anything with its `optimizer`). */
export interface ModelLike {
  readonly optimizer: OptimizerLike | null | undefined;
}

/** The seven tfjs optimizers whose learning rate is known to take effect on the next update. */
export const supportedOptimizers = [
  'SGD',
  'Momentum',
  'Adam',
  'Adamax',
  'RMSProp',
  'Adagrad',
  'Adadelta',
] as const;

interface LearningRateAccess {
  learningRate?: unknown;
  setLearningRate?: unknown;
}

function nameOf(optimizer: unknown): string {
  if (typeof optimizer !== 'object' || optimizer === null) return formatValue(optimizer);
  const withName = optimizer as { getClassName?: unknown; constructor?: { name?: unknown } };
  if (typeof withName.getClassName === 'function') {
    const name = (withName.getClassName as () => unknown).call(optimizer);
    if (typeof name === 'string' && name) return name;
  }
  const constructorName = withName.constructor?.name;
  return typeof constructorName === 'string' && constructorName ? constructorName : 'object';
}

/** How the learning rate of `optimizer` is written; throws `UnsupportedOptimizerError` when neither way exists. */
function accessOf(caller: string, optimizer: unknown): 'method' | 'field' {
  if (typeof optimizer !== 'object' || optimizer === null) {
    throw new UnsupportedOptimizerError(
      `${caller}: expected a tfjs optimizer (tf.train.sgd, momentum, adam, adamax, rmsprop, adagrad or adadelta); received ${formatValue(optimizer)}.`,
      formatValue(optimizer),
      ['an optimizer object'],
    );
  }
  const access = optimizer as LearningRateAccess;
  if (typeof access.setLearningRate === 'function') return 'method';
  if (typeof access.learningRate === 'number') return 'field';
  const name = nameOf(optimizer);
  throw new UnsupportedOptimizerError(
    `${caller}: optimizer ${name} has no setLearningRate() method and no numeric learningRate field, so its learning rate cannot be changed; supported: ${supportedOptimizers.join(', ')} (or any optimizer with one of the two).`,
    name,
    ['setLearningRate()', 'a numeric learningRate field'],
  );
}

/**
 * Throws `UnsupportedOptimizerError` unless the learning rate of `optimizer` can be set. Callbacks
 * call it before training starts.
 */
export function assertSupportedOptimizer(optimizer: unknown, caller = 'assertSupportedOptimizer'): void {
  accessOf(caller, optimizer);
}

/**
 * Sets the learning rate used by the optimizer's next update. SGD and Momentum keep a tensor
 * `-learningRate` that only their `setLearningRate()` rebuilds (assigning the field is silently
 * ignored), so the method is used where it exists; Adam, Adamax, RMSProp, Adagrad and Adadelta
 * read the numeric `learningRate` field on every update, so the field is written. The update
 * computes in float32: it uses `Math.fround(value)`.
 *
 * Throws `UnsupportedOptimizerError` for an optimizer with neither, and `ScheduleConfigError`
 * for a value that is not a finite number >= 0. Creates no lasting tensors (SGD disposes the old one).
 */
export function setLearningRate(optimizer: OptimizerLike, value: number): void {
  const access = accessOf('setLearningRate', optimizer);
  if (!(typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY)) {
    throw new ScheduleConfigError('setLearningRate', [
      {
        path: 'value',
        expected: 'a finite number >= 0',
        received: value,
        message: `setLearningRate: value must be a finite number >= 0; received ${formatValue(value)}.`,
      },
    ]);
  }
  if (access === 'method')
    (optimizer as unknown as { setLearningRate(v: number): void }).setLearningRate(value);
  else (optimizer as unknown as { learningRate: number }).learningRate = value;
}

/**
 * The learning rate the optimizer holds (its `learningRate` field, which `setLearningRate()` also
 * updates). Throws `UnsupportedOptimizerError` when the optimizer exposes none.
 */
export function getLearningRate(optimizer: OptimizerLike): number {
  accessOf('getLearningRate', optimizer);
  const value = (optimizer as LearningRateAccess).learningRate;
  if (typeof value !== 'number') {
    const name = nameOf(optimizer);
    throw new UnsupportedOptimizerError(
      `getLearningRate: optimizer ${name} has a setLearningRate() method but no numeric learningRate field to read.`,
      name,
      ['a numeric learningRate field'],
    );
  }
  return value;
}
