import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli';
import type { CliIo } from '../src/io';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(packageRoot, '../..');
export const sharedRoot = path.resolve(repoRoot, '../shared');

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly stdin?: string | Uint8Array;
  readonly stdinIsTTY?: boolean;
  readonly tty?: boolean;
  readonly columns?: number;
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
}

/** Runs `main` in-process with captured output. */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const input = options.stdin;
  const io: CliIo = {
    stdout: {
      write: (chunk: string) => {
        stdout += chunk;
        return true;
      },
      isTTY: options.tty ?? false,
      columns: options.columns,
    },
    stderr: {
      write: (chunk: string) => {
        stderr += chunk;
        return true;
      },
      isTTY: options.tty ?? false,
    },
    stdin: Object.assign(
      (async function* () {
        if (input !== undefined) yield input;
      })(),
      { isTTY: options.stdinIsTTY ?? false },
    ),
    env: options.env ?? {},
    cwd: options.cwd ?? repoRoot,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** True when `actual` is within `relative` of `expected` (or `absolute` near zero). */
export function close(actual: number, expected: number, relative = 1e-12, absolute = 1e-15): boolean {
  return Math.abs(actual - expected) <= Math.max(absolute, relative * Math.abs(expected));
}

/**
 * A minimal XML well-formedness check (enough for generated SVG): balanced tags, quoted unique
 * attributes, valid entities, one root element. Returns the problems found (empty when well-formed)
 * and the element names seen.
 */
export function checkXml(xml: string): { problems: string[]; elements: string[] } {
  const problems: string[] = [];
  const elements: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  const text = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const tokens = text.split(/(<[^>]*>)/);
  for (const token of tokens) {
    if (token === '') continue;
    if (!token.startsWith('<')) {
      if (token.includes('<') || token.includes('>'))
        problems.push(`stray angle bracket in ${JSON.stringify(token)}`);
      for (const entity of token.match(/&[^;\s]*;?/g) ?? []) {
        if (!/^&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(entity))
          problems.push(`bad entity ${entity}`);
      }
      if (stack.length === 0 && token.trim() !== '')
        problems.push(`text outside the root: ${JSON.stringify(token)}`);
      continue;
    }
    if (token.startsWith('</')) {
      const name = token.slice(2, -1).trim();
      const open = stack.pop();
      if (open !== name) problems.push(`closing </${name}> does not match <${open}>`);
      continue;
    }
    const selfClosing = token.endsWith('/>');
    const inner = token.slice(1, selfClosing ? -2 : -1);
    const nameMatch = /^([A-Za-z_][\w:.-]*)/.exec(inner);
    if (!nameMatch) {
      problems.push(`bad tag ${token}`);
      continue;
    }
    const name = nameMatch[1]!;
    const attributes = inner.slice(name.length);
    const seen = new Set<string>();
    const attributePattern = /\s+([A-Za-z_][\w:.-]*)="([^"<]*)"/y;
    let position = 0;
    while (position < attributes.trimEnd().length) {
      attributePattern.lastIndex = position;
      const match = attributePattern.exec(attributes);
      if (!match) {
        problems.push(`bad attributes in ${token.slice(0, 80)}`);
        break;
      }
      if (seen.has(match[1]!)) problems.push(`duplicate attribute ${match[1]} in <${name}>`);
      seen.add(match[1]!);
      for (const entity of match[2]!.match(/&[^;\s]*;?/g) ?? []) {
        if (!/^&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(entity))
          problems.push(`bad entity ${entity}`);
      }
      position = attributePattern.lastIndex;
    }
    if (stack.length === 0) roots += 1;
    elements.push(name);
    if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed elements: ${stack.join(', ')}`);
  if (roots !== 1) problems.push(`expected one root element; found ${roots}`);
  return { problems, elements };
}
