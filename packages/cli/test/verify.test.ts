import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { close, kerasCosineDecay, packageRoot, run } from './helpers';

// Fixtures (test/fixtures/verify; sources in test/fixtures/SOURCES.md): two real trainer_state.json files, one
// written before transformers PR #36973 and one after; TensorBoard logs and CSVs written by
// scripts/verify-fixtures.ts from the golden values of the reference libraries; test/fixtures/tfevents:
// real event files of Keras, tensorboardX and torch writers.
const fixtures = path.join(packageRoot, 'test/fixtures/verify');
const cwd = { cwd: fixtures };
const tfevents = path.join(packageRoot, 'test/fixtures/tfevents');

const scratch = mkdtempSync(path.join(tmpdir(), 'anneal-verify-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function config(name: string, value: unknown): string {
  const file = path.join(scratch, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

const linear40 = config('linear40.json', {
  api: 'transformers.optimization.get_linear_schedule_with_warmup',
  params: { num_warmup_steps: 0, num_training_steps: 40 },
  base_lr: 0.01,
});
// The TrainingArguments of that run, as HfArgumentParser reads them from YAML.
const trainingArguments = config(
  'args.yaml',
  'output_dir: model_attempt_2\nlearning_rate: 0.01\nnum_train_epochs: 20\ngradient_accumulation_steps: 4\nper_device_train_batch_size: 12\nlogging_steps: 1\nseed: 42\n',
);
// The run of the older file: linear decay, 316 warm-up steps, 3140 updates, peak 5e-5.
const linear3140 = config('linear3140.json', {
  api: 'transformers.optimization.get_linear_schedule_with_warmup',
  params: { num_warmup_steps: 316, num_training_steps: 3140 },
  base_lr: 5e-5,
});

describe('anneal verify: Hugging Face trainer_state.json', () => {
  it('matches a log written after PR #36973: logged step s is schedule step s - 1', async () => {
    const result = await run(['verify', linear40, '--against', 'trainer_state-after-36973.json'], cwd);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[2]).toBe(
      'alignment: logged step s = schedule step s - 1 (the rate of update s, as transformers logs it since PR #36973)',
    );
    expect(lines[3]).toBe('compared 40 steps (schedule steps 0–39)');
    expect(result.stdout).toContain(
      "the schedule's phases end at step 40; 40 logged steps overlap it (steps 0–39)",
    );
    expect(result.stdout).not.toContain('shift');
    expect(lines.at(-2)).toBe('ok: every compared step is within relative tolerance 1e-6');
  });

  it('reads the TrainingArguments of that run, given the dataloader length', async () => {
    const result = await run(
      ['verify', trainingArguments, '--steps-per-epoch', '5', '--against', 'trainer_state-after-36973.json'],
      cwd,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('compared 40 steps (schedule steps 0–39)');
    const missing = await run(
      ['verify', trainingArguments, '--against', 'trainer_state-after-36973.json'],
      cwd,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^anneal verify: .*args\.yaml: missing --steps-per-epoch N: /);
  });

  it('detects the one-step shift of a log written before PR #36973 and says so', async () => {
    const result = await run(['verify', linear3140, '--against', 'trainer_state-before-36973.json'], cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'alignment: logged step s = schedule step s (the rate of the next update)',
    );
    expect(result.stdout).toContain('compared 62 steps (schedule steps 50–3100)');
    expect(result.stdout).toContain(
      "note: one-step shift detected: this log holds the NEXT update's learning rate at each step, as transformers logged it before PR #36973",
    );
  });

  it('a different schedule: exit 1, the first mismatch with both values, the largest difference', async () => {
    const warmup300 = config('warmup300.json', {
      api: 'transformers.optimization.get_linear_schedule_with_warmup',
      params: { num_warmup_steps: 300, num_training_steps: 3140 },
      base_lr: 5e-5,
    });
    const result = await run(['verify', warmup300, '--against', 'trainer_state-before-36973.json'], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    // Logged step 50 against the warm-up's step 49: 5e-5 · 49/300 (transformers' lr_lambda).
    const first =
      /first mismatch at logged step 50 \(schedule step 49\): logged 0\.000007911392405063292, schedule ([0-9.e-]+) \(relative difference 3\.1e-2\)/.exec(
        result.stdout,
      );
    expect(first).not.toBeNull();
    expect(close(Number(first![1]), 5e-5 * (49 / 300))).toBe(true);
    expect(result.stdout).toMatch(/mismatch: \d+ of 62 steps differ by more than relative tolerance 1e-6\n$/);
  });

  it('a looser --tolerance accepts what a tight one refuses', async () => {
    const nearly = config('nearly.json', {
      api: 'transformers.optimization.get_linear_schedule_with_warmup',
      params: { num_warmup_steps: 0, num_training_steps: 40 },
      base_lr: 0.01 * (1 + 1e-5),
    });
    const tight = await run(['verify', nearly, '--against', 'trainer_state-after-36973.json'], cwd);
    expect(tight.code).toBe(1);
    const loose = await run(
      ['verify', nearly, '--against', 'trainer_state-after-36973.json', '--tolerance', '1e-4'],
      cwd,
    );
    expect(loose.code).toBe(0);
    expect(loose.stdout).toContain('largest relative difference 1.0e-5');
  });

  it('says how many steps overlap when the log runs past the schedule', async () => {
    const short = config('short.json', {
      api: 'transformers.optimization.get_linear_schedule_with_warmup',
      params: { num_warmup_steps: 0, num_training_steps: 30 },
      base_lr: 0.01,
    });
    const result = await run(['verify', short, '--against', 'trainer_state-after-36973.json'], cwd);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "the schedule's phases end at step 30; 30 logged steps overlap it (steps 0–29), 10 past its end",
    );
  });
});

describe('anneal verify: step conventions that cannot be told apart', () => {
  it('says so when the schedule is constant over the logged steps', async () => {
    const state = {
      global_step: 20,
      log_history: [10, 20].map((step) => ({ epoch: step / 10, learning_rate: 0.001, loss: 1.0, step })),
    };
    const log = config('constant-state.json', JSON.stringify(state, null, 2));
    const constant = config('constant-0.001.json', { type: 'constant', value: 0.001 });
    const result = await run(['verify', constant, '--against', log]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'note: the logged steps cannot tell the step conventions apart (the schedule has the same value at both)',
    );
  });
});

describe('anneal verify: TensorBoard logs', () => {
  it('finds train/learning_rate (Hugging Face) in a log folder', async () => {
    const hf = config('hf-cosine.json', {
      api: 'transformers.optimization.get_cosine_schedule_with_warmup',
      params: { num_warmup_steps: 10, num_training_steps: 50, num_cycles: 0.5 },
      base_lr: 0.1,
    });
    const result = await run(['verify', hf, '--against', 'tensorboard/huggingface'], cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'log: tensorboard/huggingface: TensorBoard tag train/learning_rate (Hugging Face Trainer), 50 values',
    );
    // TensorBoard stores float32: the float64 schedule differs by at most 2^-24 relative.
    const largest = Number(/largest relative difference ([0-9.e+-]+)/.exec(result.stdout)![1]);
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThanOrEqual(2 ** -24);
  });

  it('finds epoch_learning_rate (Keras, train run) and compares epoch e with step (e + 1) · N', async () => {
    const keras = config('keras-cosine.json', kerasCosineDecay);
    const result = await run(
      ['verify', keras, '--against', 'tensorboard/keras', '--steps-per-epoch', '5'],
      cwd,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'TensorBoard tag epoch_learning_rate (run train) (Keras TensorBoard callback), 12 values',
    );
    expect(result.stdout).toContain('compared 12 steps (schedule steps 5–60)');
    const wrongEpoch = await run(
      ['verify', keras, '--against', 'tensorboard/keras', '--steps-per-epoch', '4'],
      cwd,
    );
    expect(wrongEpoch.code).toBe(1);
    const missing = await run(['verify', keras, '--against', 'tensorboard/keras'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'anneal verify: missing --steps-per-epoch: the log (tensorboard/keras: TensorBoard tag epoch_learning_rate (run train)) holds one learning rate per epoch',
    );
  });

  it('finds lr-SGD (Lightning) in a single event file', async () => {
    const oneCycle = config('onecycle.json', {
      api: 'torch.optim.lr_scheduler.OneCycleLR',
      params: { max_lr: 0.1, total_steps: 30 },
      base_lr: 0.1,
    });
    const file = 'tensorboard/lightning/version_0/events.out.tfevents.1765000000.fixture.1.0';
    const result = await run(['verify', oneCycle, '--against', file], cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('TensorBoard tag lr-SGD (Lightning LearningRateMonitor), 30 values');
    expect(result.stdout).toContain('alignment: logged step s = schedule step s\n');
  });

  it('reads a real Keras log (TF2 tensor scalars): epoch_lr of ReduceLROnPlateau, 0.001 stored as float32', async () => {
    const constant = config('constant.json', { type: 'constant', value: 0.001 });
    const run1 = path.join(tfevents, 'tf2-keras-callback/run-pid3200');
    const result = await run(['verify', constant, '--against', run1, '--steps-per-epoch', '600']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'TensorBoard tag epoch_lr (run train) (Keras TensorBoard callback (lr)), 1 values',
    );
    expect(result.stdout).toContain('largest relative difference 4.7e-8');
  });

  it('any tag with --tag; a log without a learning-rate tag lists the tags it has', async () => {
    const tensorboardX = path.join(tfevents, 'tensorboardx-summarywriter');
    // tensorboardX wrote tag = step for steps 0..9: a linear ramp from 0 with slope 1.
    const ramp = config('ramp.json', { type: 'linear', initialValue: 0, finalValue: 9, transitionSteps: 9 });
    const tagged = await run(['verify', ramp, '--against', tensorboardX, '--tag', 'tag']);
    expect(tagged.code).toBe(0);
    expect(tagged.stdout).toContain('compared 10 steps (schedule steps 0–9)');
    const none = await run(['verify', ramp, '--against', path.join(tfevents, 'torch-summarywriter')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'no learning-rate tag (looked for train/learning_rate, epoch_learning_rate, epoch_lr, lr-<Optimizer>, learning_rate); the log holds dup_steps/foo (run duplicate_steps-run_1), dup_steps/bar (run duplicate_steps-run_1), strict/foo (run strict-run_1); name one with --tag',
    );
    const unknownTag = await run(['verify', ramp, '--against', tensorboardX, '--tag', 'lr']);
    expect(unknownTag.code).toBe(2);
    expect(unknownTag.stderr).toContain('no scalar tag "lr"; the log holds tag');
  });
});

describe('anneal verify: CSV', () => {
  const cosine = config('cosine.json', {
    api: 'torch.optim.lr_scheduler.CosineAnnealingLR',
    params: { T_max: 10, eta_min: 0 },
    base_lr: 0.1,
  });

  it.each([
    ['cosine-step-lr.csv', 'CSV columns step, lr'],
    ['cosine-tensorboard-export.csv', 'CSV columns Step, Value'],
  ])('%s', async (file, columns) => {
    const result = await run(['verify', cosine, '--against', file], cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`log: ${file}: ${columns}, 21 values`);
    expect(result.stdout).toContain('compared 21 steps (schedule steps 0–20)');
  });

  it('hints at a one-step shift when the log is off by one', async () => {
    const shifted = config(
      'shifted.csv',
      'step,lr\n1,0.1\n2,0.09755282581475769\n3,0.09045084971874738\n4,0.07938926261462367\n',
    );
    const result = await run(['verify', cosine, '--against', shifted]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "hint: the log matches with logged step s = schedule step s - 1: it logs the previous update's rate at each step",
    );
  });
});

describe('anneal verify: bad input exits 2', () => {
  const schedule = config('constant2.json', { type: 'constant', value: 0.1 });

  it.each([
    [['verify', schedule], 'missing --against <log>'],
    [
      ['verify', schedule, '--against', 'cosine-step-lr.csv', '--tolerance', '-1'],
      '--tolerance must be a finite number >= 0',
    ],
    [['verify', schedule, '--against', 'nope.json'], 'cannot read nope.json: no such file'],
    [['verify', schedule, '--against', 'cosine-step-lr.csv', '--tag', 'x'], '--tag picks a TensorBoard tag'],
    [
      ['verify', schedule, '--against', '/dev/zero'],
      '/dev/zero is too large: more than 64 MiB; the limit for a text log is 64 MiB',
    ],
  ])('%j', async (argv, message) => {
    const result = await run(argv, cwd);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });

  it.each([
    [
      'bad-header.csv',
      'when,what\n1,2\n',
      'expected a CSV header with a step column (step or Step) and a learning-rate column (lr, learning_rate or Value); received "when,what"',
    ],
    [
      'bad-row.csv',
      'step,lr\n0,0.1\n1,abc\n',
      'bad-row.csv:3: expected an integer step >= 0 and a finite learning rate; received "1,abc"',
    ],
    [
      'no-lr.json',
      '{"log_history": [{"epoch": 1.0, "eval_loss": 0.5, "step": 10}]}',
      'no learning_rate in log_history (its entries hold epoch, eval_loss, step)',
    ],
    [
      'not-state.json',
      '{"hello": 1}',
      'expected a Hugging Face trainer_state.json with a log_history array; found hello',
    ],
  ])('%s', async (name, content, message) => {
    const result = await run(['verify', schedule, '--against', config(name, content)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('--help');
  });

  it('an invalid schedule is bad input too (exit 2, every issue)', async () => {
    const result = await run(
      [
        'verify',
        config('bad-schedule.json', { type: 'constant', value: -1 }),
        '--against',
        'cosine-step-lr.csv',
      ],
      cwd,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid config (1 issue)');
  });
});
