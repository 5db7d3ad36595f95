import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli';
import type { CliIo } from '../src/io';

// The SVG well-formedness check lives with the chart code in @anneal/plot's tests.
export { checkXml } from '../../plot/test/check-xml';

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
 * The golden Keras case `keras-cosine` (CosineDecay(0.1, decay_steps=50)) as Keras 3's
 * `keras.optimizers.schedules.serialize()` writes it (name null).
 */
export const kerasCosineDecay = {
  module: 'keras.optimizers.schedules',
  class_name: 'CosineDecay',
  config: {
    initial_learning_rate: 0.1,
    decay_steps: 50,
    alpha: 0.0,
    name: null,
    warmup_target: null,
    warmup_steps: 0,
  },
  registered_name: null,
} as const;
