import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, run } from './helpers';

// The files libraries write, as core's import tests hold them (see their README for each writer).
const imports = path.join(repoRoot, 'packages/core/test/fixtures/import');
const scratch = mkdtempSync(path.join(tmpdir(), 'anneal-convert-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const STEPS = '0:400';

async function values(argv: readonly string[]): Promise<number[]> {
  const result = await run(['values', ...argv, '--steps', STEPS]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as number[];
}

describe('anneal convert', () => {
  it.each([
    ['timm-args.yaml', ['--steps-per-epoch', '3']],
    ['timm-args-lr-base.yaml', ['--steps-per-epoch', '5']],
    ['hf-training-args.json', ['--steps-per-epoch', '40']],
    ['hf-sft-recipe.yaml', ['--steps-per-epoch', '40']],
    ['lightning-config.yaml', ['--steps-per-epoch', '4']],
    ['keras-model-config.json', []],
    ['keras-schedule.json', []],
  ])('%s converts to a native config that loads back to the same values', async (name, flags) => {
    const source = path.join(imports, name);
    for (const format of ['json', 'yaml'] as const) {
      const converted = await run(['convert', source, ...flags, '--format', format]);
      expect(converted.stderr).toBe('');
      expect(converted.code).toBe(0);
      const native = format === 'json' ? JSON.parse(converted.stdout) : parse(converted.stdout);
      expect(typeof native.type).toBe('string');
      const file = path.join(scratch, `${name}.${format}`);
      writeFileSync(file, converted.stdout);
      // The native file needs no flag: what the flags said is now in the file.
      expect(await values([file])).toEqual(await values([source, ...flags]));
    }
  });

  it('a metric-driven scheduler converts to the reference config that reads back to the same controller', async () => {
    const source = path.join(imports, 'lightning-config-plateau.yaml');
    const converted = await run(['convert', source, '--steps-per-epoch', '10']);
    expect(converted.code).toBe(0);
    expect(JSON.parse(converted.stdout).api).toBe('torch.optim.lr_scheduler.ReduceLROnPlateau');
    const file = path.join(scratch, 'plateau.json');
    writeFileSync(file, converted.stdout);
    const summary = (text: string) => text.split('\n')[0]!.replace(/^ok \S+: [^:]+: /, '');
    const before = await run(['validate', source, '--steps-per-epoch', '10']);
    const after = await run(['validate', file]);
    expect(after.code).toBe(0);
    expect(summary(after.stdout)).toBe(summary(before.stdout));
    expect(summary(after.stdout)).toMatch(
      /^metric-driven plateau controller \(mode min, factor 0\.5, patience 2/,
    );
  });

  it('--report lists what was read, assumed and ignored on stderr, stdout stays the config', async () => {
    const result = await run([
      'convert',
      path.join(imports, 'timm-args.yaml'),
      '--steps-per-epoch',
      '3',
      '--report',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).type).toBeTypeOf('string');
    expect(result.stderr).toMatch(/^read sched = "cosine"$/m);
    expect(result.stderr).toMatch(/^ignored model$/m);
  });

  it('a missing --steps-per-epoch is a usage error naming the flag', async () => {
    const result = await run(['convert', path.join(imports, 'lightning-config.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^anneal convert: .*lightning-config\.yaml: missing --steps-per-epoch N: /);
  });

  it.each([
    [
      { lr_scheduler_type: 'cosine_with_warm_restarts', learning_rate: 0.1, max_steps: 10 },
      'lr_scheduler_type',
    ],
    [{ sched: 'cosine_annealing', epochs: 10, lr: 0.1 }, 'sched'],
    [{ class_name: 'CosineDecayy', config: { initial_learning_rate: 0.1, decay_steps: 10 } }, 'class_name'],
  ])('an unknown scheduler name lists the supported ones: %j', async (input, key) => {
    const file = path.join(scratch, `unknown-${key}.json`);
    writeFileSync(file, JSON.stringify(input));
    const result = await run(['convert', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`invalid config (1 issue)`);
    expect(result.stderr).toMatch(/cosine|CosineDecay/);
  });

  it('values and plot take the epoch flags too, and name a missing one', async () => {
    const source = path.join(imports, 'lightning-config.yaml');
    const updates = await run(['values', source, '--steps-per-epoch', '4', '--steps', '0,1,2']);
    // 4 batches, 2 accumulated: 2 updates per epoch; CosineAnnealingLR(T_max=10) steps per epoch.
    expect(JSON.parse(updates.stdout)).toEqual([0.1, 0.1, 0.09755282581475769]);
    const plotted = await run(['plot', source, '--steps-per-epoch', '4', '--width', '40', '--height', '6']);
    expect(plotted.code).toBe(0);
    const hf = path.join(scratch, 'hf.yaml');
    writeFileSync(hf, 'learning_rate: 0.01\nnum_train_epochs: 20\n');
    for (const command of ['values', 'plot']) {
      const missing = await run([command, hf, ...(command === 'values' ? ['--steps', '0'] : [])]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(
        new RegExp(`^anneal ${command}: .*hf\\.yaml: missing --steps-per-epoch N: `),
      );
    }
  });

  it('refuses --format other than json or yaml', async () => {
    const result = await run(['convert', path.join(imports, 'keras-schedule.json'), '--format', 'toml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format must be json or yaml; received "toml"');
  });

  it('validate summarizes the import: the assumptions and how many keys were ignored', async () => {
    const source = path.join(imports, 'timm-args.yaml');
    const result = await run(['validate', source, '--steps-per-epoch', '3']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok .*timm-args\.yaml: timm args \(sched cosine\) \(as /);
    expect(result.stdout).toMatch(
      /\n {2}ignored \d+ keys that do not change the schedule \(--report lists them\)\n$/,
    );
    const perEpoch = await run(['validate', source]);
    expect(perEpoch.stdout).toContain(
      'its steps count epochs (give --steps-per-epoch N to run it on optimizer updates)',
    );
    expect(readFileSync(source, 'utf8')).toContain('sched: cosine');
  });
});
