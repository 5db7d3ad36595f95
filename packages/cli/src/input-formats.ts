import { parseDocument } from 'yaml';
import { inputError } from './errors';
import { locateJsonError, MAX_JSON_DEPTH } from './json-error';

/**
 * The text formats a config may come in: JSON and YAML, told apart by the file's extension, else
 * by its content (a document that starts with `{` or `[` is JSON, unless it only parses as YAML).
 * Syntax errors name `file:line:column`; documents nested deeper than `MAX_JSON_DEPTH` are refused.
 */
export type TextFormat = 'json' | 'yaml';

/** The format a path's extension names, or undefined (stdin, no or another extension). */
export function formatFromExtension(file: string): TextFormat | 'keras' | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.keras')) return 'keras';
  return undefined;
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const location = locateJsonError(text);
    if (location) {
      throw inputError(`${label}:${location.line}:${location.column}: invalid JSON: ${location.reason}`);
    }
    throw inputError(`${label}: invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** YAML aliases expanded at most this many times (a "billion laughs" document stays small). */
const MAX_YAML_ALIASES = 100;

function parseYaml(text: string, label: string): unknown {
  let document: ReturnType<typeof parseDocument>;
  try {
    document = parseDocument(text, { schema: 'core', uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    if (error instanceof RangeError) throw inputError(`${label}: invalid YAML: nested too deeply to parse`);
    throw error;
  }
  const [first] = document.errors;
  if (first) {
    const position = first.linePos?.[0];
    const where = position ? `${label}:${position.line}:${position.col}` : label;
    const reason = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const more = document.errors.length > 1 ? ` (and ${document.errors.length - 1} more)` : '';
    throw inputError(`${where}: invalid YAML: ${reason}${more}`);
  }
  try {
    return document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw inputError(`${label}: invalid YAML: ${reason}`);
  }
}

/** Depth of the deepest array or object in `value` (iterative: no stack overflow on deep input). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Parses a config text as JSON or YAML (`hint` from the extension; without one, JSON when the text
 * starts with `{` or `[` and parses, else YAML). Returns the value and the format read.
 */
export function parseConfigText(
  text: string,
  label: string,
  hint: TextFormat | undefined,
): { value: unknown; format: TextFormat } {
  const startsLikeJson = /^\s*[[{]/.test(text);
  if (hint === 'json' || (hint === undefined && startsLikeJson)) {
    let value: unknown;
    try {
      value = parseJson(text, label);
    } catch (jsonError) {
      // Without an extension, a YAML flow mapping (`{lr: 0.1}`) is YAML; text that opens with a
      // double-quoted key or string is JSON, and gets JSON's error.
      if (hint === 'json' || /^\s*[[{]\s*"/.test(text)) throw jsonError;
      try {
        return { value: parseYaml(text, label), format: 'yaml' };
      } catch {
        throw jsonError;
      }
    }
    const tooDeep = locateJsonError(text);
    if (tooDeep) {
      throw inputError(
        `${label}:${tooDeep.line}:${tooDeep.column}: ${tooDeep.reason}; anneal reads JSON nested at most ${MAX_JSON_DEPTH} levels deep`,
      );
    }
    return { value, format: 'json' };
  }
  const value = parseYaml(text, label);
  if (depthOf(value) > MAX_JSON_DEPTH) {
    throw inputError(
      `${label}: YAML nested deeper than ${MAX_JSON_DEPTH} levels; anneal reads at most ${MAX_JSON_DEPTH}`,
    );
  }
  return { value, format: 'yaml' };
}
