import { defineFamily } from '../family';

export interface ConstantOptions {
  /** Learning rate at every step (absolute value). */
  readonly value: number;
}

/**
 * The same learning rate at every step.
 *
 * lr(t) = v, where v = `value` and t is the step (any real >= 0).
 *
 * Worked example: `constant({ value: 0.1 })(123) === 0.1`.
 *
 * Elsewhere: PyTorch — no scheduler (the optimizer's lr); Keras — a float learning rate;
 * optax `constant_schedule(value)`; transformers `get_constant_schedule`.
 *
 * Throws `ScheduleConfigError` when `value` is missing, negative or not finite.
 */
export const constant = defineFamily<ConstantOptions>({
  type: 'constant',
  summary: 'The same learning rate at every step.',
  options: {
    value: { kind: 'number', min: 0, description: 'Learning rate at every step (absolute value).' },
  },
  build:
    ({ value }) =>
    () =>
      value,
  phases: () => [{ name: 'constant', start: 0, end: Number.POSITIVE_INFINITY }],
});
