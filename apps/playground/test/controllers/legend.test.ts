import { constant } from '@anneal/core';
import { describe, expect, it } from 'vitest';
import { legendText } from '../../src/controllers/legend';
import type { Curve } from '../../src/model';

const curve = (change: Partial<Curve>): Curve => ({
  label: 'a',
  color: '#2563eb',
  dashed: false,
  wide: false,
  schedule: constant({ value: 1 }),
  ...change,
});

describe('the legend', () => {
  it('says how a curve is drawn when it is not a plain line', () => {
    expect(legendText(curve({}))).toBe('a');
    expect(legendText(curve({ label: 'x (native)', dashed: true }))).toBe('x (native) (dashed)');
    expect(legendText(curve({ label: 'x (reference)', wide: true }))).toBe('x (reference) (wide, pale)');
  });
});
