import { describe, expect, it } from 'vitest';
import { CliError } from './errors';
import { expandSteps, parsePlotRange, parseSteps } from './steps';

describe('parseSteps', () => {
  it.each([
    ['0:3', { kind: 'range', start: 0, end: 3, stride: 1 }, [0, 1, 2, 3]],
    [' 2 : 2 ', { kind: 'range', start: 2, end: 2, stride: 1 }, [2]],
    ['0:10:4', { kind: 'range', start: 0, end: 10, stride: 4 }, [0, 4, 8]],
    ['5:15:5', { kind: 'range', start: 5, end: 15, stride: 5 }, [5, 10, 15]],
    ['7', { kind: 'list', steps: [7] }, [7]],
    ['3,1.5, 0, 2e3, .25', { kind: 'list', steps: [3, 1.5, 0, 2000, 0.25] }, [3, 1.5, 0, 2000, 0.25]],
    ['-0', { kind: 'list', steps: [0] }, [0]],
    ['1,-0.0,-0e3,-.0', { kind: 'list', steps: [1, 0, 0, 0] }, [1, 0, 0, 0]],
    ['-0:2', { kind: 'range', start: 0, end: 2, stride: 1 }, [0, 1, 2]],
    ['9007199254740991', { kind: 'list', steps: [9007199254740991] }, [9007199254740991]],
    [
      '9007199254740990:9007199254740991',
      { kind: 'range', start: 9007199254740990, end: 9007199254740991, stride: 1 },
      [9007199254740990, 9007199254740991],
    ],
  ])('%j', (raw, selection, steps) => {
    expect(parseSteps(raw)).toEqual(selection);
    expect(Array.from(expandSteps(parseSteps(raw)))).toEqual(steps);
  });

  it.each([
    ['', 'bad --steps "": expected A:B, A:B:S or a comma-separated list of steps'],
    [
      'a:3',
      'bad --steps "a:3": start "a" is not an integer >= 0 (ranges take integer steps; use a comma-separated list for fractional steps)',
    ],
    [
      '0:-3',
      'bad --steps "0:-3": end "-3" is not an integer >= 0 (ranges take integer steps; use a comma-separated list for fractional steps)',
    ],
    [
      '0:9007199254740993',
      'bad --steps "0:9007199254740993": end "9007199254740993" is above 9007199254740991 (2^53 - 1), the largest step anneal reads (a float64 holds every integer up to it exactly)',
    ],
    [
      '0:3:x',
      'bad --steps "0:3:x": stride "x" is not an integer >= 0 (ranges take integer steps; use a comma-separated list for fractional steps)',
    ],
    ['4:2', 'bad --steps "4:2": start 4 is greater than end 2'],
    ['1,NaN', 'bad --steps "1,NaN": "NaN" is not a number >= 0'],
    ['1,Infinity', 'bad --steps "1,Infinity": "Infinity" is not a number >= 0'],
    ['1e999', 'bad --steps "1e999": "1e999" is not a number >= 0'],
    ['0x10', 'bad --steps "0x10": "0x10" is not a number >= 0'],
    ['-1e-9', 'bad --steps "-1e-9": "-1e-9" is not a number >= 0'],
    [
      '9007199254740992:9007199254740993',
      'bad --steps "9007199254740992:9007199254740993": start "9007199254740992" is above 9007199254740991 (2^53 - 1), the largest step anneal reads (a float64 holds every integer up to it exactly)',
    ],
    [
      '0:10:9007199254740992',
      'bad --steps "0:10:9007199254740992": stride "9007199254740992" is above 9007199254740991 (2^53 - 1), the largest step anneal reads (a float64 holds every integer up to it exactly)',
    ],
    [
      '1,9007199254740993',
      'bad --steps "1,9007199254740993": "9007199254740993" is above 9007199254740991 (2^53 - 1), the largest step anneal reads (a float64 holds every integer up to it exactly)',
    ],
    [
      '1e300',
      'bad --steps "1e300": "1e300" is above 9007199254740991 (2^53 - 1), the largest step anneal reads (a float64 holds every integer up to it exactly)',
    ],
  ])('rejects %j', (raw, message) => {
    let caught: unknown;
    try {
      parseSteps(raw);
    } catch (error) {
      caught = error;
    }
    expect(CliError.isInstance(caught)).toBe(true);
    expect((caught as CliError).message).toBe(message);
    expect((caught as CliError).exitCode).toBe(2);
  });
});

describe('parsePlotRange', () => {
  it('parses A:B with A < B', () => {
    expect(parsePlotRange('10:2000')).toEqual({ start: 10, end: 2000 });
    expect(parsePlotRange(' -0 : 5 ')).toEqual({ start: 0, end: 5 });
    expect(parsePlotRange('0:9007199254740991')).toEqual({ start: 0, end: 9007199254740991 });
  });
  it.each([
    ['1,2', 'bad --steps "1,2": expected A:B with integers 0 <= A < B'],
    ['0:10:2', 'bad --steps "0:10:2": expected A:B with integers 0 <= A < B'],
    ['9:9', 'bad --steps "9:9": start 9 must be less than end 9'],
    ['-1:9', 'bad --steps "-1:9": expected A:B with integers 0 <= A < B'],
    [
      '0:9007199254740992',
      'bad --steps "0:9007199254740992": end "9007199254740992" is above 9007199254740991 (2^53 - 1), the largest step anneal reads (a float64 holds every integer up to it exactly)',
    ],
  ])('rejects %j', (raw, message) => {
    expect(() => parsePlotRange(raw)).toThrow(message);
  });
});
