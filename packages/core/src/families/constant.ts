import { defineFamily } from '../schedule';

export interface ConstantOptions {
  /** The learning rate at every step. */
  readonly value: number;
}

/**
 * The same learning rate at every step.
 *
 * lr(t) = value
 *
 * @example constant({ value: 0.1 })(123) === 0.1
 */
export const constant = defineFamily<ConstantOptions>({
  type: 'constant',
  summary: 'The same learning rate at every step.',
  options: {
    value: { kind: 'number', min: 0, description: 'Learning rate at every step (absolute value).' },
  },
  build: ({ value }) => () => value,
});
