import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, run, sharedRoot } from './helpers';

interface GoldenCase {
  id: string;
  api: string;
  steps: (number | null)[];
  lr: number[];
  metrics?: number[];
  [key: string]: unknown;
}

const goldenFile = path.join(sharedRoot, 'golden/pytorch.json');
const golden = JSON.parse(readFileSync(goldenFile, 'utf8')) as { cases: GoldenCase[] };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'anneal-cases-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('anneal values --cases', () => {
  it('reproduces every case of the PyTorch golden file within 1e-12 relative', async () => {
    const result = await run(['values', '--cases', goldenFile]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as Record<string, number[]>;
    expect(Object.keys(output)).toEqual(golden.cases.map((item) => item.id));
    for (const item of golden.cases) {
      const values = output[item.id]!;
      expect(values, item.id).toHaveLength(item.lr.length);
      values.forEach((value, index) => {
        expect(close(value, item.lr[index]!), `${item.id}[${index}]: ${value} vs ${item.lr[index]}`).toBe(
          true,
        );
      });
    }
    // One case per line, valid JSON.
    expect(result.stdout.split('\n')).toHaveLength(golden.cases.length + 3);
  });

  it('ignores lr fields and accepts a bare array of cases', async () => {
    const edited = golden.cases.slice(0, 3).map((item) => ({ ...item, lr: item.lr.map(() => 123) }));
    const fromObject = await run(['values', '--cases', write('edited.json', { cases: edited })]);
    const fromArray = await run(['values', '--cases', write('array.json', edited)]);
    expect(fromObject.code).toBe(0);
    expect(fromArray.stdout).toBe(fromObject.stdout);
    const output = JSON.parse(fromObject.stdout) as Record<string, number[]>;
    expect(output[edited[0]!.id]).not.toContain(123);
  });

  it('replays the metrics of a plateau case: the initial lr, then one value per metric', async () => {
    const plateau = golden.cases.find((item) => Array.isArray(item.metrics))!;
    const result = await run(['values', '--cases', write('plateau.json', { cases: [plateau] })]);
    const values = (JSON.parse(result.stdout) as Record<string, number[]>)[plateau.id]!;
    expect(values).toHaveLength(plateau.metrics!.length + 1);
    values.forEach((value, index) => {
      expect(close(value, plateau.lr[index]!)).toBe(true);
    });
  });

  it('prints {} for an empty list of cases', async () => {
    expect(await run(['values', '--cases', write('empty.json', { cases: [] })])).toEqual({
      code: 0,
      stdout: '{}\n',
      stderr: '',
    });
  });

  it('shows progress on a TTY only, and clears it', async () => {
    const result = await run(['values', '--cases', goldenFile], { tty: true });
    expect(result.stderr).toContain(
      `\r\u001b[Kevaluating case 1/${golden.cases.length}: ${golden.cases[0]!.id}`,
    );
    expect(result.stderr.endsWith('\r\u001b[K')).toBe(true);
  });

  it.each([
    [
      { tests: [] },
      'shape.json: expected an object with a "cases" array (shaped like the golden files) or an array of cases',
    ],
    [
      { cases: [1, { id: '' }, { id: 'a' }, { id: 'a' }] },
      'bad.json: 3 invalid cases\n  - cases[0] must be an object; received 1\n  - cases[1].id must be a non-empty string; received ""\n  - cases[3].id "a" appears more than once',
    ],
  ])('rejects a malformed cases file with exit code 1 (%#)', async (content, message) => {
    const name = message.split(':')[0]!;
    write(name, content);
    const result = await run(['values', '--cases', name], { cwd: dir });
    expect(result).toEqual({ code: 1, stdout: '', stderr: `anneal values: ${message}\n` });
  });

  it('reports every failing case and prints nothing on stdout', async () => {
    const file = write('failing.json', {
      cases: [
        golden.cases[0],
        { id: 'unknown-api', api: 'torch.optim.lr_scheduler.NopeLR', params: {}, base_lr: 0.1, steps: [0] },
        {
          id: 'bad-param',
          api: 'torch.optim.lr_scheduler.LinearLR',
          params: { start_factor: 0 },
          base_lr: 0.1,
          steps: [0],
        },
      ],
    });
    const result = await run(['values', '--cases', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe(`anneal values: ${file}: 2 of 3 cases failed`);
    expect(lines[1]).toMatch(/^ {2}- case "unknown-api": .*NopeLR/);
    expect(result.stderr).toContain(
      '- case "bad-param": torch.optim.lr_scheduler.LinearLR: start_factor must be in (0, 1]; received 0.',
    );
  });
});

describe('reference configs in values, plot and validate', () => {
  const stepLR = {
    api: 'torch.optim.lr_scheduler.StepLR',
    params: { step_size: 3, gamma: 0.5 },
    base_lr: 0.1,
  };

  it('values takes a reference config like any other', async () => {
    const result = await run(['values', '-', '--steps', '0:6'], { stdin: JSON.stringify(stepLR) });
    expect(result.stdout).toBe('[0.1,0.1,0.1,0.05,0.05,0.05,0.025]\n');
  });

  it('values takes a golden case object directly (data keys ignored)', async () => {
    const item = golden.cases[0]!;
    const steps = item.steps.filter((step): step is number => step !== null);
    const result = await run(['values', '-', '--steps', steps.join(',')], { stdin: JSON.stringify(item) });
    const values = JSON.parse(result.stdout) as number[];
    values.forEach((value, index) => {
      expect(close(value, item.lr[index]!)).toBe(true);
    });
  });

  it('validate names the api and the native family it maps to', async () => {
    const result = await run(['validate', '-'], { stdin: JSON.stringify(stepLR) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok <stdin>: torch\.optim\.lr_scheduler\.StepLR \(as \w+\); /);
  });

  it('validate summarizes a plateau reference config; values refuses it', async () => {
    const plateau = {
      api: 'torch.optim.lr_scheduler.ReduceLROnPlateau',
      params: { mode: 'max' },
      base_lr: 0.1,
    };
    const summary = await run(['validate', '-'], { stdin: JSON.stringify(plateau) });
    expect(summary.stdout).toMatch(
      /^ok <stdin>: torch\.optim\.lr_scheduler\.ReduceLROnPlateau: metric-driven plateau controller \(mode max, .*\); initial lr 0\.1\n$/,
    );
    const values = await run(['values', '-', '--steps', '0:1'], { stdin: JSON.stringify(plateau) });
    expect(values.code).toBe(1);
    expect(values.stderr).toContain('is metric-driven (a plateau controller)');
  });

  it('validate lists the library rule that an invalid reference config breaks', async () => {
    const result = await run(['validate', '-'], {
      stdin: JSON.stringify({
        api: 'torch.optim.lr_scheduler.LinearLR',
        params: { start_factor: 0 },
        base_lr: 0.1,
      }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'anneal validate: <stdin>: invalid config (1 issue)\n  - torch.optim.lr_scheduler.LinearLR: start_factor must be in (0, 1]; received 0. [at params.start_factor]\n',
    );
  });

  it('plot draws a step schedule as steps', async () => {
    const result = await run(['plot', '-', '--steps', '0:20', '--width', '60', '--height', '8'], {
      stdin: JSON.stringify(stepLR),
    });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(
      /^torch\.optim\.lr_scheduler\.StepLR \(as \w+\) · steps 0–20$/,
    );
    expect(result.stdout).toContain('⡇');
  });
});
