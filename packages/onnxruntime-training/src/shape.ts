/** Tensor shapes: element counts and the `[2, 3]` form messages print them in. */

/** The number of elements of a tensor of this shape (1 for a scalar, `[]`). */
export const elementCount = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** `[batch, 784]`: a shape as messages print it. */
export const formatShape = (shape: readonly (number | string)[]): string => `[${shape.join(', ')}]`;
