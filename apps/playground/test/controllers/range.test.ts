import { describe, expect, it } from 'vitest';
import { readRange } from '../../src/controllers/range';

describe('the range fields', () => {
  it('reads a range that can be drawn', () => {
    expect(readRange({ start: '0', end: '1100', points: '2001' })).toEqual({
      range: { start: 0, end: 1100, points: 2001 },
    });
    expect(readRange({ start: ' 2.5 ', end: '3', points: '1000000' })).toEqual({
      range: { start: 2.5, end: 3, points: 1_000_000 },
    });
  });

  it.each([
    [
      'an empty From',
      { start: '', end: '10', points: '2' },
      [['start', 'From must be a finite number >= 0; received "".']],
    ],
    [
      'a negative From',
      { start: '-1', end: '10', points: '2' },
      [['start', 'From must be a finite number >= 0; received "-1".']],
    ],
    [
      'an empty To',
      { start: '0', end: ' ', points: '2' },
      [['end', 'To must be a finite number; received " ".']],
    ],
    [
      'To not after From',
      { start: '10', end: '10', points: '2' },
      [['end', 'To must be greater than From (10); received 10.']],
    ],
    [
      'too few points',
      { start: '0', end: '10', points: '1' },
      [['points', 'Points must be an integer in [2, 1000000]; received "1".']],
    ],
    [
      'fractional points',
      { start: '0', end: '10', points: '2.5' },
      [['points', 'Points must be an integer in [2, 1000000]; received "2.5".']],
    ],
    [
      'every field wrong',
      { start: 'x', end: 'y', points: '2000000' },
      [
        ['start', 'From must be a finite number >= 0; received "x".'],
        ['end', 'To must be a finite number; received "y".'],
        ['points', 'Points must be an integer in [2, 1000000]; received "2000000".'],
      ],
    ],
  ])('names the problem with %s', (_case, text, expected) => {
    expect(readRange(text)).toEqual({ problems: expected.map(([field, message]) => ({ field, message })) });
  });
});
