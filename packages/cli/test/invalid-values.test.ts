// Valid configs cannot give a NaN, infinite or negative learning rate (core validates them), so
// these tests stand in for a core bug: the CLI must still refuse to print such values.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Schedule } from '@anneal/core';
import { describe, expect, it, vi } from 'vitest';
import { run } from './helpers';

/** NaN from step 2 on, Infinity at 5, -1 at 6: what an overflowing or broken schedule could give. */
function broken(step: number): number {
  if (step === 5) return Number.POSITIVE_INFINITY;
  if (step === 6) return -1;
  return step >= 2 ? Number.NaN : 0.1;
}

/** A schedule whose values are all Infinity (an overflow: `max null` before). */
function overflowing(): number {
  return Number.POSITIVE_INFINITY;
}

/** Recurses without end, as evaluating a schedule nested too deeply for the stack would. */
function recursing(step: number): number {
  return step < 0 ? 0 : recursing(step + 1) + 0;
}

const phases = [{ name: 'all', start: 0, end: 10 }];
const testSchedules: Readonly<Record<string, (step: number) => number>> = {
  'test:broken': broken,
  'test:overflow': overflowing,
  'test:recursing': recursing,
};

vi.mock('../src/load', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/load')>();
  return {
    ...actual,
    loadConfig(json: unknown, label: string) {
      const type = String((json as { type?: unknown }).type);
      const fn = Object.hasOwn(testSchedules, type) ? testSchedules[type] : undefined;
      if (fn !== undefined) {
        const schedule = Object.assign((step: number) => fn(step), { config: undefined, phases });
        return { kind: 'schedule', schedule: schedule as unknown as Schedule, name: type };
      }
      return actual.loadConfig(json, label);
    },
  };
});

vi.mock('@anneal/core/reference', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@anneal/core/reference')>();
  return {
    ...actual,
    evaluateReferenceCase(item: { id?: unknown }) {
      if (item.id === 'overflow') return [0.1, Number.POSITIVE_INFINITY, Number.NaN];
      return actual.evaluateReferenceCase(item as Parameters<typeof actual.evaluateReferenceCase>[0]);
    },
  };
});

const brokenConfig = { stdin: JSON.stringify({ type: 'test:broken' }) };
const overflowConfig = { stdin: JSON.stringify({ type: 'test:overflow' }) };

describe('values that are not a learning rate', () => {
  it.each([
    ['json', []],
    ['csv', ['--format', 'csv']],
  ])('values (%s) prints nothing and names the first steps, exit code 1', async (_format, extra) => {
    const result = await run(['values', '-', '--steps', '0:9', ...extra], brokenConfig);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'anneal values: <stdin>: test:broken: the learning rate must be a finite number >= 0 at every step; received NaN at step 2, NaN at step 3, NaN at step 4, ... (8 of 10 steps)\n',
    });
  });

  it('values checks listed steps in their order', async () => {
    const result = await run(['values', '-', '--steps', '6,1,5'], brokenConfig);
    expect(result.stderr).toBe(
      'anneal values: <stdin>: test:broken: the learning rate must be a finite number >= 0 at every step; received -1 at step 6, Infinity at step 5 (2 of 3 steps)\n',
    );
  });

  it('validate never prints null for an overflow (a long range is sampled with a stride)', async () => {
    const result = await run(['validate', '-', '--steps', '0:1000000'], overflowConfig);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'anneal validate: <stdin>: test:overflow: the learning rate must be a finite number >= 0 at every step; received Infinity at step 0, Infinity at step 2, Infinity at step 4, ... (500001 of 500001 steps)\n',
    );
  });

  it.each([
    ['validate does not hide NaN behind min and max', ['validate', '-']],
    ['plot reports them instead of an internal error, and writes no SVG', ['plot', '-', '--out', 'none.svg']],
  ])('%s', async (_name, args) => {
    const result = await run(args, { ...brokenConfig, cwd: tmpdir() });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `anneal ${args[0]}: <stdin>: test:broken: the learning rate must be a finite number >= 0 at every step; received NaN at step 2, NaN at step 3, NaN at step 4, ... (10 of 12 steps)\n`,
    });
    expect(existsSync(path.join(tmpdir(), 'none.svg'))).toBe(false);
  });

  it('--cases names the case and the steps', async () => {
    const cases = {
      cases: [
        {
          id: 'overflow',
          api: 'torch.optim.lr_scheduler.StepLR',
          params: { step_size: 1 },
          base_lr: 0.1,
          steps: [0, 1, 7],
        },
      ],
    };
    const result = await run(['values', '--cases', '-'], { stdin: JSON.stringify(cases) });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'anneal values: <stdin>: 1 of 1 case failed\n  - case "overflow": torch.optim.lr_scheduler.StepLR: the learning rate must be a finite number >= 0 at every step; received Infinity at step 1, NaN at step 7 (2 of 3 steps)\n',
    });
  });
});

describe('a stack overflow while evaluating', () => {
  it('is an input error (exit code 1), never an internal error', async () => {
    for (const args of [
      ['values', '-', '--steps', '0:3'],
      ['validate', '-'],
      ['plot', '-'],
    ]) {
      const result = await run(args, { stdin: JSON.stringify({ type: 'test:recursing' }) });
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `anneal ${args[0]}: the input is nested too deeply to evaluate (the call stack overflowed); nest fewer schedules inside each other\n`,
      });
    }
  });
});

describe("core's depth limit", () => {
  it('prints it as any config error: every issue, exit code 1', async () => {
    let json = '{"type":"constant","value":1}';
    for (let level = 2; level <= 65; level++) json = `{"type":"clamp","maxValue":2,"schedule":${json}}`;
    const path = Array(64).fill('schedule').join('.');
    for (const command of ['validate', 'plot']) {
      const result = await run([command, '-'], { stdin: json });
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `anneal ${command}: <stdin>: invalid config (1 issue)\n  - importSchedule: ${path} nests schedules 65 deep; at most 64 levels are allowed; received 65.\n`,
      });
    }
  });
});
