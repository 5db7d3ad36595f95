import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot, repoRoot } from './helpers';

const bin = path.join(packageRoot, 'src/bin.ts');
const { NO_COLOR: _noColor, FORCE_COLOR: _forceColor, ...childEnv } = process.env;

/** `node [nodeOptions] --import tsx/esm bin.ts ...args`: the bin as a child process, from the sources. */
function annealArguments(args: readonly string[], nodeOptions: readonly string[] = []): string[] {
  return [...nodeOptions, '--import', 'tsx/esm', '--conditions=@anneal/source', bin, ...args];
}

let dir: string;
let config: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'anneal-streams-'));
  config = path.join(dir, 'constant.json');
  writeFileSync(config, JSON.stringify({ type: 'constant', value: 0.125 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the bin with stdout on /dev/full, where every write fails with ENOSPC. */
function toDevFull(args: readonly string[]) {
  const full = openSync('/dev/full', 'w');
  try {
    const result = spawnSync(process.execPath, annealArguments(args), {
      cwd: repoRoot,
      stdio: ['ignore', full, 'pipe'],
      encoding: 'utf8',
      env: childEnv,
    });
    return { code: result.status, stderr: result.stderr };
  } finally {
    closeSync(full);
  }
}

describe('a failing standard output', () => {
  const expected = {
    code: 3,
    stderr: 'anneal: cannot write to standard output: no space left on device (ENOSPC)\n',
  };

  it.each([
    ['values, a few rows', ['values', 'CONFIG', '--steps', '0:3']],
    ['values, many chunks', ['values', 'CONFIG', '--steps', '0:300000', '--format', 'csv']],
    ['validate', ['validate', 'CONFIG']],
    ['plot', ['plot', 'CONFIG']],
    ['--help', ['--help']],
  ])('%s: one line naming what failed, exit code 3, no stack trace', (_name, args) => {
    const result = toDevFull(args.map((arg) => (arg === 'CONFIG' ? config : arg)));
    expect(result).toEqual(expected);
  });
});

interface SlowReadResult {
  readonly code: number | null;
  readonly stderr: string;
  readonly lines: number;
  readonly tail: string;
}

/**
 * Runs the bin under a small V8 heap and reads its stdout slowly at the start (no reads for
 * `pauseMs`, so the pipe and the stream's buffer fill and stay full), then as fast as possible.
 * Without back-pressure the CLI would queue the whole output in memory during the pause.
 */
function readSlowlyAtFirst(
  args: readonly string[],
  heapMiB: number,
  pauseMs: number,
): Promise<SlowReadResult> {
  const child = spawn(process.execPath, annealArguments(args, [`--max-old-space-size=${heapMiB}`]), {
    cwd: repoRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let lines = 0;
  let tail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout.pause();
  setTimeout(() => {
    child.stdout.on('data', (chunk: Buffer) => {
      for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines += 1;
      tail = (tail + chunk.toString('latin1')).slice(-64);
    });
    child.stdout.resume();
  }, pauseMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr: stderr.slice(0, 2000), lines, tail }));
  });
}

describe('back-pressure: bounded memory however slow the reader', () => {
  // 2,000,000 rows: the CLI before back-pressure ran out of a 32 MiB heap from 1,000,000 rows on.
  const rows = 2_000_000;

  it('streams 2,000,000 CSV rows through a slow reader within a 32 MiB heap', async () => {
    const result = await readSlowlyAtFirst(
      ['values', config, '--steps', `0:${rows - 1}`, '--format', 'csv'],
      32,
      400,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.lines).toBe(rows + 1);
    expect(result.tail.endsWith(`\n${rows - 1},0.125\n`)).toBe(true);
  });

  it('streams a 2,000,000-value JSON array the same way', async () => {
    const result = await readSlowlyAtFirst(['values', config, '--steps', `0:${rows - 1}`], 32, 400);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.lines).toBe(1);
    expect(result.tail.endsWith(',0.125,0.125]\n')).toBe(true);
  });
});
