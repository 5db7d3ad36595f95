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

/** Arrays and objects nested deeper than this are refused, valid JSON or not. */
export const MAX_JSON_DEPTH = 1000;

function describeAt(text: string, offset: number): string {
  if (offset >= text.length) return 'end of input';
  const codePoint = text.codePointAt(offset)!;
  const char = String.fromCodePoint(codePoint);
  if (codePoint < 0x20) return `control character U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return JSON.stringify(char);
}

/** 1-based line and column of `offset` in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let position = 0; position < offset && position < text.length; position += 1) {
    if (text[position] === '\n') {
      line += 1;
      lineStart = position + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * A recursive-descent reader of one JSON text (RFC 8259) that only checks the syntax: it throws a
 * `Failure` at the first error and builds no value.
 */
class JsonSyntaxScanner {
  readonly #text: string;
  #index = 0;

  constructor(text: string) {
    this.#text = text;
  }

  /** The whole text: one value, surrounded by nothing but whitespace. */
  scanDocument(): void {
    this.#value(0);
    this.#skipWhitespace();
    if (this.#index < this.#text.length)
      this.#fail(`unexpected ${this.#found()} after the end of the JSON value`);
  }

  #fail(reason: string): never {
    throw new Failure(this.#index, reason);
  }

  #found(): string {
    return describeAt(this.#text, this.#index);
  }

  #skipWhitespace(): void {
    const text = this.#text;
    while (this.#index < text.length) {
      const char = text[this.#index];
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') this.#index += 1;
      else break;
    }
  }

  #value(depth: number): void {
    if (depth > MAX_JSON_DEPTH) this.#fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.#skipWhitespace();
    const char = this.#text[this.#index];
    if (char === undefined) this.#fail('unexpected end of input (expected a value)');
    if (char === '{') this.#object(depth);
    else if (char === '[') this.#array(depth);
    else if (char === '"') this.#string();
    else if (char === '-' || (char >= '0' && char <= '9')) this.#number();
    else if (!this.#literal()) this.#failAtNonValue(char);
  }

  /** Steps over `true`, `false` or `null`; false when none starts here. */
  #literal(): boolean {
    for (const literal of ['true', 'false', 'null']) {
      if (this.#text.startsWith(literal, this.#index)) {
        this.#index += literal.length;
        return true;
      }
    }
    return false;
  }

  /** Explains a character that cannot start a value, naming the usual non-JSON spellings. */
  #failAtNonValue(char: string): never {
    const text = this.#text;
    if (char === "'") this.#fail('expected a value, found "\'" (JSON strings use double quotes)');
    if (text.startsWith('NaN', this.#index) || text.startsWith('Infinity', this.#index)) {
      this.#fail(
        `expected a value, found ${JSON.stringify(text.startsWith('NaN', this.#index) ? 'NaN' : 'Infinity')} (not valid JSON)`,
      );
    }
    this.#fail(`expected a value, found ${this.#found()}`);
  }

  #string(): void {
    const text = this.#text;
    this.#index += 1; // opening quote
    while (true) {
      if (this.#index >= text.length) this.#fail('unterminated string');
      const char = text[this.#index]!;
      if (char === '"') {
        this.#index += 1;
        return;
      }
      if (char.charCodeAt(0) < 0x20) this.#fail(`${this.#found()} inside a string (escape it)`);
      if (char === '\\') this.#escape();
      else this.#index += 1;
    }
  }

  /** A backslash escape inside a string. */
  #escape(): void {
    const text = this.#text;
    const index = this.#index;
    const escaped = text[index + 1];
    if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) this.#index += 2;
    else if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) this.#index += 6;
    else this.#fail(`invalid escape sequence ${JSON.stringify(text.slice(index, index + 2))} in a string`);
  }

  #number(): void {
    const text = this.#text;
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(
      text.slice(this.#index, this.#index + 400),
    );
    if (!match || match[0] === '-' || match[0] === '') this.#fail(`expected a value, found ${this.#found()}`);
    const end = this.#index + match[0].length;
    const next = text[end];
    if (next !== undefined && /[0-9.eE+\-xX]/.test(next)) {
      this.#index = end;
      this.#fail(`invalid number (found ${this.#found()} after ${JSON.stringify(match[0])})`);
    }
    this.#index = end;
  }

  #object(depth: number): void {
    if (this.#openedEmpty('}')) return;
    do {
      this.#skipWhitespace();
      if (this.#text[this.#index] !== '"') {
        this.#fail(
          this.#text[this.#index] === '}'
            ? 'expected a double-quoted property name, found "}" (trailing commas are not allowed in JSON)'
            : `expected a double-quoted property name, found ${this.#found()}`,
        );
      }
      this.#string();
      this.#skipWhitespace();
      if (this.#text[this.#index] !== ':')
        this.#fail(`expected ":" after a property name, found ${this.#found()}`);
      this.#index += 1;
      this.#value(depth + 1);
    } while (this.#separatorBefore('}', 'a property value'));
  }

  #array(depth: number): void {
    if (this.#openedEmpty(']')) return;
    do {
      this.#skipWhitespace();
      if (this.#text[this.#index] === ']')
        this.#fail('expected a value, found "]" (trailing commas are not allowed in JSON)');
      this.#value(depth + 1);
    } while (this.#separatorBefore(']', 'an array element'));
  }

  /** Steps over the opening bracket; true (and steps over `close` too) when the container is empty. */
  #openedEmpty(close: '}' | ']'): boolean {
    this.#index += 1;
    this.#skipWhitespace();
    if (this.#text[this.#index] !== close) return false;
    this.#index += 1;
    return true;
  }

  /** After a member or element: true at ",", false at `close` (both stepped over); anything else fails. */
  #separatorBefore(close: '}' | ']', after: string): boolean {
    this.#skipWhitespace();
    const char = this.#text[this.#index];
    if (char === ',' || char === close) {
      this.#index += 1;
      return char === ',';
    }
    return this.#fail(`expected "," or "${close}" after ${after}, found ${this.#found()}`);
  }
}

/**
 * Finds the first syntax error in a JSON text (RFC 8259) and explains it; `undefined` when the
 * text is valid. Nesting deeper than `MAX_JSON_DEPTH` counts as an error (the reader recurses):
 * the CLI refuses such texts even when `JSON.parse` read them, so nothing downstream (building
 * nested schedules, formatting a received value) recurses that deep.
 */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  try {
    new JsonSyntaxScanner(text).scanDocument();
    return undefined;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    return { ...lineAndColumn(text, error.offset), offset: error.offset, reason: error.reason };
  }
}
