import { describe, expect, it } from 'vitest';
import { fromConfig } from '../../config';
import { fromReference } from '../from-reference';
import {
  expectGolden,
  expectValues,
  fixture,
  golden,
  importFailure,
  plateauValues,
  scheduleOf,
} from './import.test-utils';
import { importSchedule } from './index';

/** lightning-config.yaml with another lr_scheduler section. */
function withScheduler(classPath: string, initArgs: Record<string, unknown>): Record<string, unknown> {
  return {
    ...fixture('lightning-config.yaml'),
    lr_scheduler: { class_path: classPath, init_args: initArgs },
  };
}

/** Golden torch cases (per-step there; Lightning steps once per epoch, so step t is epoch t) and their class paths. */
const cases: readonly [string, string, Record<string, unknown>][] = [
  [
    'torch-steplr-s3-g0.5',
    'torch.optim.lr_scheduler.StepLR',
    { step_size: 3, gamma: 0.5, last_epoch: -1, verbose: 'deprecated' },
  ],
  ['torch-multisteplr-3-7-15', 'MultiStepLR', { milestones: [3, 7, 15], gamma: 0.5 }],
  ['torch-exponentiallr-0.9', 'ExponentialLR', { gamma: 0.9 }],
  ['torch-onecycle-cos', 'torch.optim.lr_scheduler.OneCycleLR', { max_lr: 0.1, total_steps: 30 }],
  ['torch-cawr-t3-m3', 'CosineAnnealingWarmRestarts', { T_0: 3, T_mult: 3, eta_min: 0.0 }],
  ['torch-polynomiallr-t10-p1', 'PolynomialLR', { total_iters: 10, power: 1.0 }],
];

describe('importSchedule: LightningCLI config.yaml', () => {
  it('reads the saved config: CosineAnnealingLR stepped per epoch (golden torch-cosine-tmax10)', () => {
    const result = scheduleOf(importSchedule(fixture('lightning-config.yaml')));
    expect(result.format).toBe('lightning-config');
    const expected = golden('pytorch', 'torch-cosine-tmax10');
    expectGolden(result.schedule, expected, 'torch-cosine-tmax10');
    const { report } = result;
    expect(report.stepUnit).toBe('epoch');
    expect(report.read).toContainEqual({ key: 'optimizer.init_args.lr', value: 0.1 });
    expect(report.read).toContainEqual({ key: 'lr_scheduler.init_args.T_max', value: 10 });
    expect(report.ignored).toContainEqual({ key: 'lr_scheduler.init_args.verbose', reason: 'printing only' });
    expect(report.ignored).toContainEqual({
      key: 'optimizer.init_args.momentum',
      reason: 'the optimizer, not the schedule',
    });
    expect(report.ignored).toContainEqual(expect.objectContaining({ key: 'trainer' }));
    expect(report.ignored).toContainEqual(expect.objectContaining({ key: 'model' }));
    expect(report.notes.some((note) => note.includes('once per epoch'))).toBe(true);
  });

  it('with the batches per epoch, runs per optimizer update: ceil(batches / accumulate_grad_batches)', () => {
    const perEpoch = scheduleOf(importSchedule(fixture('lightning-config.yaml')));
    const result = scheduleOf(importSchedule(fixture('lightning-config.yaml'), { stepsPerEpoch: 101 }));
    // accumulate_grad_batches 2: ceil(101 / 2) = 51 updates per epoch
    expect(result.report.assumed).toContainEqual(
      expect.objectContaining({ key: 'updates_per_epoch', value: 51 }),
    );
    expect(result.report.stepUnit).toBe('update');
    for (const update of [0, 50, 51, 152, 509]) {
      expect(result.schedule(update)).toBe(perEpoch.schedule(Math.floor(update / 51)));
    }
    const again = fromConfig(JSON.parse(JSON.stringify(result.config)));
    expect(again(152)).toBe(result.schedule(152));
  });

  it.each(cases)('%s: %s, epoch by epoch', (id, classPath, initArgs) => {
    const expected = golden('pytorch', id);
    const input = withScheduler(classPath, initArgs);
    const result = scheduleOf(
      importSchedule({
        ...input,
        optimizer: { class_path: 'torch.optim.SGD', init_args: { lr: 0.1 } },
      }),
    );
    expectGolden(result.schedule, expected, id);
    const again = fromConfig(JSON.parse(JSON.stringify(result.config)));
    for (const t of expected.steps) expect(again(t as number)).toBe(result.schedule(t as number));
  });

  it("LightningCLI's ReduceLROnPlateau: a controller fed the monitored metric (golden torch-plateau-min-rel)", () => {
    const expected = golden('pytorch', 'torch-plateau-min-rel');
    const result = importSchedule(fixture('lightning-config-plateau.yaml'), { stepsPerEpoch: 100 });
    const values = plateauValues(result, expected.metrics);
    expectValues(values, expected.lr, 'torch-plateau-min-rel');
    expect(result.report.ignored).toContainEqual({
      key: 'lr_scheduler.init_args.monitor',
      reason: 'the metric Lightning reports: report(metric) takes it',
    });
    expect(result.config.api).toBe('torch.optim.lr_scheduler.ReduceLROnPlateau');
    expect('report' in fromReference(JSON.parse(JSON.stringify(result.config)))).toBe(true);
  });

  it('no lr_scheduler: the optimizer lr, constant', () => {
    const { lr_scheduler: _dropped, ...input } = fixture('lightning-config.yaml');
    const result = scheduleOf(importSchedule(input));
    expect([0, 10, 1000].map((t) => result.schedule(t))).toEqual([0.1, 0.1, 0.1]);
  });

  it('a config with a "fit" section (subcommands in one file)', () => {
    const result = importSchedule({ fit: fixture('lightning-config.yaml') });
    expect(result.format).toBe('lightning-config');
    expect(result.report.read).toContainEqual({ key: 'fit.optimizer.init_args.lr', value: 0.1 });
  });
});

describe('importSchedule: bad LightningCLI configs', () => {
  it('an unknown class_path, with the supported list', () => {
    const error = importFailure(withScheduler('torch.optim.lr_scheduler.LambdaLR', { lr_lambda: 'f' }));
    expect(error.issues[0]?.path).toBe('lr_scheduler.class_path');
    expect(error.message).toMatch(
      /^importSchedule \(LightningCLI config\): unknown lr_scheduler\.class_path "torch\.optim\.lr_scheduler\.LambdaLR": expected one of torch\.optim\.lr_scheduler\.StepLR, .*torch\.optim\.lr_scheduler\.ReduceLROnPlateau, lightning\.pytorch\.cli\.ReduceLROnPlateau, pytorch_lightning\.cli\.ReduceLROnPlateau \(or a short name such as CosineAnnealingLR\); received "torch\.optim\.lr_scheduler\.LambdaLR"\.$/,
    );
    expect(error.message).not.toContain('SequentialLR');
  });

  it.each([
    [
      'an optimizer without lr',
      { optimizer: { class_path: 'torch.optim.SGD', init_args: { momentum: 0.9 } } },
      "importSchedule (LightningCLI config): optimizer.init_args.lr must be a finite number >= 0 (the optimizer's learning rate); received undefined.",
    ],
    [
      "an argument torch's scheduler refuses, named by its config path",
      { lr_scheduler: { class_path: 'StepLR', init_args: { step_size: 0 } } },
      'importSchedule (LightningCLI config): lr_scheduler.init_args.step_size: torch.optim.lr_scheduler.StepLR: step_size must be > 0 (torch divides the epoch by it); received 0.',
    ],
    [
      'a model that builds its own optimizer and scheduler',
      {
        optimizer: undefined,
        lr_scheduler: undefined,
        model: { class_path: 'm.Lit', init_args: { optimizer: { class_path: 'torch.optim.Adam' } } },
      },
      'importSchedule (LightningCLI config): 2 invalid options:\n- importSchedule (LightningCLI config): model.init_args.optimizer is not supported: the model builds its own optimizer and scheduler from it in configure_optimizers, which the config does not describe; move them to the top-level optimizer and lr_scheduler sections; received {"class_path":"torch.optim.Adam"}.\n- importSchedule (LightningCLI config): optimizer must be an optimizer { class_path, init_args: { lr, ... } } (its lr is the base learning rate); received undefined.',
    ],
  ])('%s', (_label, overrides, message) => {
    const input = JSON.parse(JSON.stringify({ ...fixture('lightning-config.yaml'), ...overrides }));
    expect(importFailure(input).message).toBe(message);
  });
});
