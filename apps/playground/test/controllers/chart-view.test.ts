import { describe, expect, it } from 'vitest';
import { chartLabel, chartSize, cursorKeyTarget, roundStep } from '../../src/controllers/chart-view';
import { defaultState } from '../../src/state';
import { layoutView } from '../../src/view';
import { viewOf } from '../helpers/view';

describe('the chart size', () => {
  it('follows the box width, with a height of 0.55 × width within [240, 440]', () => {
    expect(chartSize(800)).toEqual({ width: 800, height: 440 });
    expect(chartSize(600.7)).toEqual({ width: 600, height: 330 });
    expect(chartSize(300)).toEqual({ width: 300, height: 240 });
    expect(chartSize(100)).toEqual({ width: 280, height: 240 });
    // Before layout the box has no width: the chart is drawn 640 wide.
    expect(chartSize(0)).toEqual({ width: 640, height: 352 });
  });
});

describe('the chart label', () => {
  it('names the curves, the range and the scale', () => {
    const state = { ...defaultState(), start: 5, end: 50, scale: 'log' as const };
    expect(chartLabel(['a', 'b (native)'], state)).toBe(
      'Learning-rate chart of a, b (native) from step 5 to 50, log scale.',
    );
    expect(chartLabel([], state)).toBe('Learning-rate chart: nothing to draw.');
  });
});

describe('the cursor', () => {
  // Steps 0 to 1100 on a plot a few hundred pixels wide: a pixel spans more than one step.
  const coarse = layoutView(viewOf(defaultState()), 640, 352);
  const coarsePerPixel = 1100 / coarse.plot.width;
  // Steps 0 to 2 on the same plot: a pixel spans a few thousandths of a step.
  const fineState = { ...defaultState(), start: 0, end: 2 };
  const fine = layoutView(viewOf(fineState), 640, 352);
  const finePerPixel = 2 / fine.plot.width;
  const range = { start: 0, end: 1100 };

  it('rounds to whole steps unless a pixel spans less than half a step', () => {
    expect(coarsePerPixel).toBeGreaterThan(0.5);
    expect(roundStep(coarse, 449.6)).toBe(450);
    expect(finePerPixel).toBeLessThan(0.5);
    // Three decimals: enough to tell pixels apart at a few thousandths of a step each.
    expect(Math.ceil(-Math.log10(finePerPixel))).toBe(3);
    expect(roundStep(fine, 1.234567)).toBe(1.235);
  });

  it.each([
    ['ArrowRight', false, 100, 100 + coarsePerPixel],
    ['ArrowRight', true, 100, 100 + 10 * coarsePerPixel],
    ['ArrowLeft', false, 100, 100 - coarsePerPixel],
    ['ArrowRight', false, undefined, coarsePerPixel],
    ['Home', false, 500, 0],
    ['End', false, 500, 1100],
  ])('%s (Shift: %s) from step %s moves to the rounded step', (key, shift, from, to) => {
    expect(cursorKeyTarget(key, shift, from, coarse, range)).toBe(Math.round(to));
  });

  it('stays inside the range, hides on Escape and ignores other keys', () => {
    expect(cursorKeyTarget('ArrowLeft', true, 3, coarse, range)).toBe(0);
    expect(cursorKeyTarget('ArrowRight', true, 1099, coarse, range)).toBe(1100);
    expect(cursorKeyTarget('Escape', false, 500, coarse, range)).toBe('hide');
    expect(cursorKeyTarget('a', false, 500, coarse, range)).toBeUndefined();
  });

  it('moves by a pixel, in fractional steps, when a pixel spans less than a step', () => {
    const next = cursorKeyTarget('ArrowRight', false, 1, fine, fineState);
    expect(next).toBe(Number((1 + finePerPixel).toFixed(3)));
    expect(next).not.toBe(1);
  });
});
