/** Where and why a JSON text is malformed. Line and column are 1-based. */
export interface JsonErrorLocation {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly reason: string;
}

class Failure {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const maxDepth = 1000;

function describeAt(text: string, offset: number): string {
  if (offset >= text.length) return 'end of input';
  const codePoint = text.codePointAt(offset)!;
  const char = String.fromCodePoint(codePoint);
  if (codePoint < 0x20) return `control character U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return JSON.stringify(char);
}

/**
 * Finds the first syntax error in a JSON text (RFC 8259) and explains it; `undefined` when the
 * text is valid. Used only after `JSON.parse` failed, to print `file:line:column: reason`.
 */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  let index = 0;
  const fail = (reason: string): never => {
    throw new Failure(index, reason);
  };
  const found = () => describeAt(text, index);
  const skipWhitespace = () => {
    while (index < text.length) {
      const char = text[index];
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') index += 1;
      else break;
    }
  };
  const parseString = () => {
    index += 1; // opening quote
    while (true) {
      if (index >= text.length) fail('unterminated string');
      const char = text[index]!;
      if (char === '"') {
        index += 1;
        return;
      }
      if (char.charCodeAt(0) < 0x20) fail(`${found()} inside a string (escape it)`);
      if (char === '\\') {
        const escaped = text[index + 1];
        if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) index += 2;
        else if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) index += 6;
        else fail(`invalid escape sequence ${JSON.stringify(text.slice(index, index + 2))} in a string`);
        continue;
      }
      index += 1;
    }
  };
  const parseNumber = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(index, index + 400));
    if (!match || match[0] === '-' || match[0] === '') fail(`expected a value, found ${found()}`);
    const end = index + match![0].length;
    const next = text[end];
    if (next !== undefined && /[0-9.eE+\-xX]/.test(next)) {
      index = end;
      fail(`invalid number (found ${found()} after ${JSON.stringify(match![0])})`);
    }
    index = end;
  };
  const parseValue = (depth: number): void => {
    if (depth > maxDepth) fail(`nesting deeper than ${maxDepth} levels`);
    skipWhitespace();
    const char = text[index];
    if (char === undefined) fail('unexpected end of input (expected a value)');
    if (char === '{') {
      parseObject(depth);
      return;
    }
    if (char === '[') {
      parseArray(depth);
      return;
    }
    if (char === '"') {
      parseString();
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, index)) {
        index += literal.length;
        return;
      }
    }
    if (char === '-' || (char! >= '0' && char! <= '9')) {
      parseNumber();
      return;
    }
    if (char === "'") fail('expected a value, found "\'" (JSON strings use double quotes)');
    if (text.startsWith('NaN', index) || text.startsWith('Infinity', index)) {
      fail(
        `expected a value, found ${JSON.stringify(text.startsWith('NaN', index) ? 'NaN' : 'Infinity')} (not valid JSON)`,
      );
    }
    fail(`expected a value, found ${found()}`);
  };
  const parseObject = (depth: number) => {
    index += 1;
    skipWhitespace();
    if (text[index] === '}') {
      index += 1;
      return;
    }
    while (true) {
      skipWhitespace();
      if (text[index] !== '"') {
        fail(
          text[index] === '}'
            ? 'expected a double-quoted property name, found "}" (trailing commas are not allowed in JSON)'
            : `expected a double-quoted property name, found ${found()}`,
        );
      }
      parseString();
      skipWhitespace();
      if (text[index] !== ':') fail(`expected ":" after a property name, found ${found()}`);
      index += 1;
      parseValue(depth + 1);
      skipWhitespace();
      if (text[index] === ',') {
        index += 1;
        continue;
      }
      if (text[index] === '}') {
        index += 1;
        return;
      }
      fail(`expected "," or "}" after a property value, found ${found()}`);
    }
  };
  const parseArray = (depth: number) => {
    index += 1;
    skipWhitespace();
    if (text[index] === ']') {
      index += 1;
      return;
    }
    while (true) {
      skipWhitespace();
      if (text[index] === ']') fail('expected a value, found "]" (trailing commas are not allowed in JSON)');
      parseValue(depth + 1);
      skipWhitespace();
      if (text[index] === ',') {
        index += 1;
        continue;
      }
      if (text[index] === ']') {
        index += 1;
        return;
      }
      fail(`expected "," or "]" after an array element, found ${found()}`);
    }
  };
  try {
    parseValue(0);
    skipWhitespace();
    if (index < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    let line = 1;
    let lineStart = 0;
    for (let position = 0; position < error.offset && position < text.length; position += 1) {
      if (text[position] === '\n') {
        line += 1;
        lineStart = position + 1;
      }
    }
    return { line, column: error.offset - lineStart + 1, offset: error.offset, reason: error.reason };
  }
}
