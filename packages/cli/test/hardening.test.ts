import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './helpers';

let dir: string;
const inDir = {
  get cwd() {
    return dir;
  },
};

function write(name: string, text: string): string {
  writeFileSync(path.join(dir, name), text);
  return name;
}

/** `depth` clamps, each holding the next, around a constant: a valid config nested `depth` deep. */
function nestedClamps(depth: number): string {
  let text = '{"type":"constant","value":0.1}';
  for (let level = 0; level < depth; level += 1) text = `{"type":"clamp","schedule":${text},"minValue":0}`;
  return text;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'anneal-hardening-'));
  write('constant.json', JSON.stringify({ type: 'constant', value: 0.1 }));
  write('array-2000.json', `${'['.repeat(2000)}${']'.repeat(2000)}`);
  write('array-100000.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  write('object-2000.json', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`);
  write('object-100000.json', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
  write('clamps-2000.json', nestedClamps(2000));
  write('clamps-900.json', nestedClamps(900));
  write('afile', 'not a folder');
  const segments = Array.from({ length: 10_000 }, (_, index) => ({
    schedule: { type: 'constant', value: 0.1 },
    ...(index < 9_999 ? { steps: 10 } : {}),
  }));
  write('join-10000.json', JSON.stringify({ type: 'join', segments }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectNoInternalError(stderr: string): void {
  expect(stderr).not.toContain('internal error');
  expect(stderr).not.toContain('Maximum call stack size exceeded');
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('deeply nested input', () => {
  it.each([
    ['array-2000.json', 1002],
    ['array-100000.json', 1002],
    ['object-2000.json', 5006],
    ['object-100000.json', 5006],
  ])('%s: values, validate and plot refuse it at line:column, exit code 1', async (file, column) => {
    const message = `${file}:1:${column}: nesting deeper than 1000 levels; anneal reads JSON nested at most 1000 levels deep`;
    for (const args of [
      ['values', file, '--steps', '0:3'],
      ['validate', file],
      ['plot', file],
    ]) {
      const result = await run(args, inDir);
      expect(result).toEqual({ code: 1, stdout: '', stderr: `anneal ${args[0]}: ${message}\n` });
    }
    const cases = await run(['values', '--cases', file], inDir);
    expect(cases).toEqual({ code: 1, stdout: '', stderr: `anneal values: ${message}\n` });
  });

  it('refuses 2,000 clamps nested in each other as too deep JSON', async () => {
    for (const args of [
      ['values', 'clamps-2000.json', '--steps', '0:3'],
      ['validate', 'clamps-2000.json'],
    ]) {
      const result = await run(args, inDir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^anneal \w+: clamps-2000\.json:1:\d+: nesting deeper than 1000 levels; anneal reads JSON nested at most 1000 levels deep\n$/,
      );
    }
  });

  it('reports 900 nested clamps as a config error naming the file, never a stack overflow', async () => {
    // Within the JSON limit: core either refuses the depth (a config error) or its recursion
    // overflows the stack, which the CLI reports as an input error. Both exit with code 1.
    for (const args of [
      ['values', 'clamps-900.json', '--steps', '0:3'],
      ['validate', 'clamps-900.json'],
      ['plot', 'clamps-900.json'],
    ]) {
      const result = await run(args, inDir);
      expectNoInternalError(result.stderr);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.startsWith(`anneal ${args[0]}: clamps-900.json: `)).toBe(true);
    }
  });
});

describe('smaller input problems', () => {
  it('reads -0 as step 0 in lists and ranges', async () => {
    expect(await run(['values', 'constant.json', '--steps', '-0'], inDir)).toEqual({
      code: 0,
      stdout: '[0.1]\n',
      stderr: '',
    });
    const csv = await run(['values', 'constant.json', '--steps', '-0:1', '--format', 'csv'], inDir);
    expect(csv.stdout).toBe('step,lr\n0,0.1\n1,0.1\n');
  });

  it('says a range bound above 2^53 - 1 is too large, not that it is not an integer', async () => {
    const result = await run(
      ['values', 'constant.json', '--steps', '9007199254740992:9007199254740993'],
      inDir,
    );
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(
      'anneal values: bad --steps "9007199254740992:9007199254740993": start "9007199254740992" is above 9007199254740991 (2^53 - 1), the largest step anneal reads (a float64 holds every integer up to it exactly)',
    );
  });

  it('accepts the largest exact step, 2^53 - 1', async () => {
    const result = await run(
      ['values', 'constant.json', '--steps', '9007199254740991', '--format', 'csv'],
      inDir,
    );
    expect(result.stdout).toBe('step,lr\n9007199254740991,0.1\n');
  });

  it('refuses a list step that a float64 cannot hold exactly instead of printing another one', async () => {
    const result = await run(
      ['values', 'constant.json', '--steps', '1,9007199254740993', '--format', 'csv'],
      inDir,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(
      'anneal values: bad --steps "1,9007199254740993": "9007199254740993" is above 9007199254740991 (2^53 - 1), the largest step anneal reads (a float64 holds every integer up to it exactly)',
    );
  });

  it('names an endless input once: /dev/zero', async () => {
    const result = await run(['values', '/dev/zero', '--steps', '0']);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'anneal values: /dev/zero is too large: more than 1 MiB; the limit is 1 MiB (1048576 bytes)\n',
    });
  });

  it('says which part of an --out path is not a folder, exit code 3', async () => {
    for (const out of ['afile/x.svg', 'afile/deeper/x.svg']) {
      const result = await run(['plot', 'constant.json', '--width', '40', '--out', out], inDir);
      expect(result.code).toBe(3);
      expect(result.stderr).toBe(`anneal plot: cannot write to ${out}: afile is not a directory\n`);
    }
  });

  it('summarizes 10,000 phases: the first few, how many more, the last', async () => {
    const result = await run(['validate', 'join-10000.json'], inDir);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'ok join-10000.json: join; 10000 phases (constant 0–10, constant 10–20, constant 20–30, constant 30–40, ... 9995 more ..., constant 99990–∞); total 99990 steps; lr min 0.1, max 0.1 over steps 0–109990\n',
    );
  });
});

describe('--cases', () => {
  it('lists every invalid step of a case, each with its index', async () => {
    const file = write(
      'bad-steps.json',
      JSON.stringify({
        cases: [
          {
            id: 'steplr',
            api: 'torch.optim.lr_scheduler.StepLR',
            params: { step_size: 2, gamma: 0.5 },
            base_lr: 0.1,
            steps: [0, -1, 'x', null, 1.5, true, { a: 1 }],
          },
          {
            id: 'one-bad',
            api: 'torch.optim.lr_scheduler.StepLR',
            params: { step_size: 2, gamma: 0.5 },
            base_lr: 0.1,
            steps: [0, -2],
          },
        ],
      }),
    );
    const result = await run(['values', '--cases', file], inDir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        `anneal values: ${file}: 2 of 2 cases failed`,
        '  - case "steplr": 4 invalid steps:',
        '      - steps[1]: stepDecay: step must be a finite number >= 0; received -1.',
        '      - steps[2]: stepDecay: step must be a finite number >= 0; received "x".',
        '      - steps[5]: stepDecay: step must be a finite number >= 0; received true.',
        '      - steps[6]: stepDecay: step must be a finite number >= 0; received {"a":1}.',
        '  - case "one-bad": steps[1]: stepDecay: step must be a finite number >= 0; received -2.',
        '',
      ].join('\n'),
    );
  });
});
