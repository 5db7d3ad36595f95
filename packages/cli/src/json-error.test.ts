import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonError } from './json-error';

describe('locateJsonError', () => {
  it.each([
    [
      '{"a": 1,}',
      1,
      9,
      'expected a double-quoted property name, found "}" (trailing commas are not allowed in JSON)',
    ],
    ['[1, 2,]', 1, 7, 'expected a value, found "]" (trailing commas are not allowed in JSON)'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected "," or "}" after a property value, found "\\""'],
    ['{"a" 1}', 1, 6, 'expected ":" after a property name, found "1"'],
    ["{'a': 1}", 1, 2, 'expected a double-quoted property name, found "\'"'],
    ["['a']", 1, 2, 'expected a value, found "\'" (JSON strings use double quotes)'],
    ['{a: 1}', 1, 2, 'expected a double-quoted property name, found "a"'],
    ['[1 2]', 1, 4, 'expected "," or "]" after an array element, found "2"'],
    ['{"a": NaN}', 1, 7, 'expected a value, found "NaN" (not valid JSON)'],
    ['[Infinity]', 1, 2, 'expected a value, found "Infinity" (not valid JSON)'],
    ['[01]', 1, 3, 'invalid number (found "1" after "0")'],
    ['[1.]', 1, 3, 'invalid number (found "." after "1")'],
    ['[-]', 1, 2, 'expected a value, found "-"'],
    ['"abc', 1, 5, 'unterminated string'],
    ['"a\\x"', 1, 3, 'invalid escape sequence "\\\\x" in a string'],
    ['"a\tb"', 1, 3, 'control character U+0009 inside a string (escape it)'],
    ['{"a": 1} x', 1, 10, 'unexpected "x" after the end of the JSON value'],
    ['{"a": ', 1, 7, 'unexpected end of input (expected a value)'],
    ['{"a": tru}', 1, 7, 'expected a value, found "t"'],
    ['\n\n   }', 3, 4, 'expected a value, found "}"'],
  ])('%j: line %i, column %i', (text, line, column, reason) => {
    expect(() => JSON.parse(text)).toThrow();
    const location = locateJsonError(text);
    expect(location).toMatchObject({ line, column, reason });
  });

  it('reports a nesting limit instead of overflowing the stack', () => {
    const text = '['.repeat(20_000);
    expect(locateJsonError(text)?.reason).toBe('nesting deeper than 1000 levels');
  });

  it('accepts every valid JSON text (agrees with JSON.parse)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 0, 2, '\t'), (value, indent) => {
        expect(locateJsonError(JSON.stringify(value, null, indent))).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('finds an error exactly when JSON.parse rejects the text', () => {
    const alphabet = fc.constantFrom(
      ...'{}[],:"\\ \n\t0123456789.-+eEtrufalsn abu'.split(''),
      '\\u00e9',
      'null',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const location = locateJsonError(text);
        expect(location === undefined).toBe(valid);
        if (location) {
          expect(location.offset).toBeGreaterThanOrEqual(0);
          expect(location.offset).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
