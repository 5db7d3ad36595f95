import { describe, expect, it } from 'vitest';
import { tabKeyTarget } from '../../src/controllers/tabs';

describe('tab keys', () => {
  it.each([
    ['ArrowRight', 0, 3, 1],
    ['ArrowRight', 2, 3, 0],
    ['ArrowLeft', 0, 3, 2],
    ['ArrowLeft', 2, 3, 1],
    ['Home', 2, 3, 0],
    ['End', 0, 3, 2],
    ['ArrowRight', 0, 1, 0],
    ['Enter', 1, 3, undefined],
    ['ArrowDown', 1, 3, undefined],
  ])('%s from tab %i of %i goes to %s', (key, index, count, expected) => {
    expect(tabKeyTarget(key, index, count)).toBe(expected);
  });
});
