import { describe, expect, it } from 'vitest';
import { fromConfig } from '../config';
import { ScheduleConfigError } from '../errors';
import { fromAnyConfig, fromReference } from './index';

const T = 'torch.optim.lr_scheduler.';

/** Invalid reference configs: every issue is reported, each naming the library's rule. */
const table: { name: string; config: unknown; messages: string[]; paths: string[] }[] = [
  {
    name: 'unknown api',
    config: { api: 'torch.optim.lr_scheduler.Nope', params: {}, base_lr: 0.1 },
    messages: [
      'fromReference: unknown api "torch.optim.lr_scheduler.Nope": expected a fully qualified name listed by referenceApis(), e.g. "torch.optim.lr_scheduler.OneCycleLR"; received "torch.optim.lr_scheduler.Nope".',
    ],
    paths: ['api'],
  },
  {
    name: 'not an object',
    config: 42,
    messages: [
      'fromReference: config must be a reference config { "api": ..., "params": {...}, "base_lr": ... }; received 42.',
    ],
    paths: ['config'],
  },
  {
    name: 'unknown and missing params, missing base_lr',
    config: { api: 'torch.optim.lr_scheduler.StepLR', params: { gamma: 0.5, bogus: 1 } },
    messages: [
      "torch.optim.lr_scheduler.StepLR: base_lr is required: the schedule multiplies the optimizer's learning rate (a finite number >= 0); received undefined.",
      'torch.optim.lr_scheduler.StepLR: unknown parameter "bogus" (expected one of step_size, gamma, last_epoch, verbose); received 1.',
      'torch.optim.lr_scheduler.StepLR: step_size is required (an integer); received undefined.',
    ],
    paths: ['base_lr', 'params.bogus', 'params.step_size'],
  },
  {
    name: 'LinearLR start_factor 0',
    config: { api: 'torch.optim.lr_scheduler.LinearLR', params: { start_factor: 0 }, base_lr: 0.1 },
    messages: ['torch.optim.lr_scheduler.LinearLR: start_factor must be in (0, 1]; received 0.'],
    paths: ['params.start_factor'],
  },
  {
    name: 'LinearLR end_factor > 1 and negative total_iters',
    config: {
      api: 'torch.optim.lr_scheduler.LinearLR',
      params: { end_factor: 1.5, total_iters: -2 },
      base_lr: 0.1,
    },
    messages: [
      'torch.optim.lr_scheduler.LinearLR: end_factor must be in [0, 1]; received 1.5.',
      'torch.optim.lr_scheduler.LinearLR: total_iters must be >= 0 (a number of steps); received -2.',
    ],
    paths: ['params.end_factor', 'params.total_iters'],
  },
  {
    name: 'ConstantLR factor > 1',
    config: { api: 'torch.optim.lr_scheduler.ConstantLR', params: { factor: 1.5 }, base_lr: 0.1 },
    messages: ['torch.optim.lr_scheduler.ConstantLR: factor must be in [0, 1]; received 1.5.'],
    paths: ['params.factor'],
  },
  {
    name: 'CosineAnnealingWarmRestarts T_0 and T_mult',
    config: {
      api: 'torch.optim.lr_scheduler.CosineAnnealingWarmRestarts',
      params: { T_0: 0, T_mult: 1.5 },
      base_lr: 0.1,
    },
    messages: [
      'torch.optim.lr_scheduler.CosineAnnealingWarmRestarts: T_0 must be a positive integer; received 0.',
      'torch.optim.lr_scheduler.CosineAnnealingWarmRestarts: T_mult must be an integer >= 1; received 1.5.',
    ],
    paths: ['params.T_0', 'params.T_mult'],
  },
  {
    name: 'CyclicLR scale_fn',
    config: {
      api: 'torch.optim.lr_scheduler.CyclicLR',
      params: { base_lr: 0.001, max_lr: 0.01, scale_fn: 'lambda x: 1' },
      base_lr: 0.1,
    },
    messages: [
      'torch.optim.lr_scheduler.CyclicLR: scale_fn is not supported: a Python function has no JSON form; the built-in modes (mode) cover triangular, triangular2 and exp_range; received "lambda x: 1".',
    ],
    paths: ['params.scale_fn'],
  },
  {
    name: 'CyclicLR mode',
    config: {
      api: 'torch.optim.lr_scheduler.CyclicLR',
      params: { base_lr: 0.001, max_lr: 0.01, mode: 'sine' },
      base_lr: 0.1,
    },
    messages: [
      'torch.optim.lr_scheduler.CyclicLR: mode must be one of "triangular", "triangular2", "exp_range"; received "sine".',
    ],
    paths: ['params.mode'],
  },
  {
    name: 'OneCycleLR without total_steps',
    config: { api: 'torch.optim.lr_scheduler.OneCycleLR', params: { max_lr: 0.1 }, base_lr: 0.1 },
    messages: [
      'torch.optim.lr_scheduler.OneCycleLR: You must define either total_steps OR (epochs AND steps_per_epoch); received undefined.',
    ],
    paths: ['params.total_steps'],
  },
  {
    name: 'OneCycleLR pct_start and anneal_strategy',
    config: {
      api: 'torch.optim.lr_scheduler.OneCycleLR',
      params: { max_lr: 0.1, total_steps: 10, pct_start: 1.5, anneal_strategy: 'exp' },
      base_lr: 0.1,
    },
    messages: [
      'torch.optim.lr_scheduler.OneCycleLR: anneal_strategy must be one of "cos", "linear"; received "exp".',
    ],
    paths: ['params.anneal_strategy'],
  },
  {
    name: 'OneCycleLR empty phase',
    config: {
      api: 'torch.optim.lr_scheduler.OneCycleLR',
      params: { max_lr: 0.1, total_steps: 3, pct_start: 0.2 },
      base_lr: 0.1,
    },
    messages: [
      'torch.optim.lr_scheduler.OneCycleLR: pct_start (0.2) with total_steps 3 gives phase 1 the steps [0, -0.3999999999999999], which is empty: torch divides by its length; received 0.2.',
    ],
    paths: ['params.pct_start'],
  },
  {
    name: 'ReduceLROnPlateau factor',
    config: { api: 'torch.optim.lr_scheduler.ReduceLROnPlateau', params: { factor: 1 }, base_lr: 0.1 },
    messages: [
      'torch.optim.lr_scheduler.ReduceLROnPlateau: factor must be < 1.0 (torch: "Factor should be < 1.0."); received 1.',
    ],
    paths: ['params.factor'],
  },
  {
    name: 'last_epoch',
    config: {
      api: 'torch.optim.lr_scheduler.ExponentialLR',
      params: { gamma: 0.9, last_epoch: 5 },
      base_lr: 0.1,
    },
    messages: [
      'torch.optim.lr_scheduler.ExponentialLR: last_epoch must be -1 (a fresh scheduler): anneal schedules are functions of the step, so resuming needs no state; evaluate the schedule at the step you resume from; received 5.',
    ],
    paths: ['params.last_epoch'],
  },
  {
    name: 'ChainedScheduler with a non-chainable child',
    config: {
      api: 'torch.optim.lr_scheduler.ChainedScheduler',
      params: { schedulers: [{ api: 'CyclicLR', base_lr: 0.1, max_lr: 1 }] },
      base_lr: 0.1,
    },
    messages: [
      'torch.optim.lr_scheduler.ChainedScheduler: schedulers[0].api must name a pytorch schedule that torch.optim.lr_scheduler.ChainedScheduler can hold (one of StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR, MultiplicativeLR); received "CyclicLR".',
    ],
    paths: ['params.schedulers[0].api'],
  },
  {
    name: 'no native equivalent',
    config: {
      api: 'torch.optim.lr_scheduler.CyclicLR',
      params: { base_lr: 0.1, max_lr: 0.01 },
      base_lr: 0.1,
    },
    messages: [
      'torch.optim.lr_scheduler.CyclicLR: these arguments have no native anneal equivalent: cyclic: minValue must not exceed maxValue (0.01); received 0.1.',
    ],
    paths: ['native.minValue'],
  },
  {
    name: 'keras decay_steps',
    config: {
      api: 'keras.optimizers.schedules.ExponentialDecay',
      params: { initial_learning_rate: 0.1, decay_steps: 0, decay_rate: 0.5 },
    },
    messages: [
      'keras.optimizers.schedules.ExponentialDecay: Argument `decay_steps` must be > 0; received 0.',
    ],
    paths: ['params.decay_steps'],
  },
  {
    name: 'keras first_decay_steps',
    config: {
      api: 'keras.optimizers.schedules.CosineDecayRestarts',
      params: { initial_learning_rate: 0.1, first_decay_steps: -1 },
    },
    messages: [
      'keras.optimizers.schedules.CosineDecayRestarts: Argument `first_decay_steps` must be > 0; received -1.',
    ],
    paths: ['params.first_decay_steps'],
  },
  {
    name: 'optax non-negative scales',
    config: {
      api: 'optax.piecewise_constant_schedule',
      params: { init_value: 0.1, boundaries_and_scales: { '10': -0.5 } },
    },
    messages: [
      'optax.piecewise_constant_schedule: `piecewise_constant_schedule` expects non-negative scale factors; received -0.5.',
    ],
    paths: ['params.boundaries_and_scales["10"]'],
  },
  {
    name: 'optax interpolate_type',
    config: {
      api: 'optax.piecewise_interpolate_schedule',
      params: { interpolate_type: 'cos', init_value: 0.1 },
    },
    messages: [
      'optax.piecewise_interpolate_schedule: interpolate_type must be one of "linear", "cosine"; received "cos".',
    ],
    paths: ['params.interpolate_type'],
  },
  {
    name: 'optax warmup_cosine decay_steps',
    config: {
      api: 'optax.warmup_cosine_decay_schedule',
      params: { init_value: 0, peak_value: 0.1, warmup_steps: 10, decay_steps: 10 },
    },
    messages: [
      'optax.warmup_cosine_decay_schedule: The cosine_decay_schedule requires positive decay_steps (decay_steps - warmup_steps); received 0.',
    ],
    paths: ['params.decay_steps'],
  },
  {
    name: 'optax join nested child',
    config: {
      api: 'optax.join_schedules',
      params: {
        schedules: [
          { api: 'constant_schedule', value: 0.1 },
          { api: 'cosine_decay_schedule', init_value: 0.1, decay_steps: 0 },
        ],
        boundaries: [5],
      },
    },
    messages: [
      'optax.cosine_decay_schedule (at params.schedules[1]): The cosine_decay_schedule requires positive decay_steps (decay_steps); received 0.',
    ],
    paths: ['params.schedules[1].decay_steps'],
  },
  {
    name: 'optax onecycle transition_steps',
    config: { api: 'optax.cosine_onecycle_schedule', params: { transition_steps: 0, peak_value: 0.1 } },
    messages: [
      'optax.cosine_onecycle_schedule: A cosine onecycle schedule was set with a non-positive `transition_steps`; received 0.',
    ],
    paths: ['params.transition_steps'],
  },
  {
    name: 'transformers lr_end',
    config: {
      api: 'transformers.optimization.get_polynomial_decay_schedule_with_warmup',
      params: { num_warmup_steps: 0, num_training_steps: 10, lr_end: 0.2 },
      base_lr: 0.1,
    },
    messages: [
      'transformers.optimization.get_polynomial_decay_schedule_with_warmup: lr_end (0.2) must be smaller than initial lr (0.1); received 0.2.',
    ],
    paths: ['params.lr_end'],
  },
  {
    name: 'transformers min_lr and min_lr_rate',
    config: {
      api: 'transformers.optimization.get_cosine_with_min_lr_schedule_with_warmup',
      params: { num_warmup_steps: 0, num_training_steps: 10, min_lr: 0.01, min_lr_rate: 0.1 },
      base_lr: 0.1,
    },
    messages: [
      'transformers.optimization.get_cosine_with_min_lr_schedule_with_warmup: Only one of min_lr or min_lr_rate should be set; received 0.01.',
    ],
    paths: ['params.min_lr'],
  },
  {
    name: 'transformers wsd without lengths',
    config: {
      api: 'transformers.optimization.get_wsd_schedule',
      params: { num_warmup_steps: 1, num_decay_steps: 2, decay_type: 'exp' },
      base_lr: 0.1,
    },
    messages: [
      'transformers.optimization.get_wsd_schedule: decay_type must be one of "linear", "cosine", "1-sqrt"; received "exp".',
    ],
    paths: ['params.decay_type'],
  },
  {
    name: 'timm assertions',
    config: {
      api: 'timm.scheduler.TanhLRScheduler',
      params: { t_initial: 0, lr_min: -1, lb: 3, ub: 3 },
      base_lr: 0.1,
    },
    messages: [
      'timm.scheduler.TanhLRScheduler: t_initial must be > 0 (assert t_initial > 0); received 0.',
      'timm.scheduler.TanhLRScheduler: lr_min must be >= 0 (assert lr_min >= 0); received -1.',
      'timm.scheduler.TanhLRScheduler: lb must be < ub (3) (assert lb < ub); received 3.',
    ],
    paths: ['params.t_initial', 'params.lr_min', 'params.lb'],
  },
  {
    name: 'timm plateau decay_rate',
    config: { api: 'timm.scheduler.PlateauLRScheduler', params: { decay_rate: 1.5 }, base_lr: 0.1 },
    messages: [
      'timm.scheduler.PlateauLRScheduler: decay_rate must be in (0, 1) (torch ReduceLROnPlateau: Factor should be < 1.0.); received 1.5.',
    ],
    paths: ['params.decay_rate'],
  },
  {
    name: 'cdw learning_rate_base below warmup_learning_rate',
    config: {
      api: 'cosine_decay_with_warmup',
      params: { learning_rate_base: 0.01, total_steps: 100, warmup_learning_rate: 0.1, warmup_steps: 10 },
    },
    messages: [
      'cosine_decay_with_warmup: learning_rate_base must be larger or equal to warmup_learning_rate; received 0.01.',
    ],
    paths: ['params.learning_rate_base'],
  },
  {
    name: 'cdw zero cosine span',
    config: {
      api: 'WarmUpCosineDecayScheduler',
      params: { learning_rate_base: 0.1, total_steps: 20, warmup_steps: 10, hold_base_rate_steps: 10 },
    },
    messages: [
      'WarmUpCosineDecayScheduler: total_steps - warmup_steps - hold_base_rate_steps must not be 0 (the cosine divides by it: ZeroDivisionError); received 10.',
    ],
    paths: ['params.hold_base_rate_steps'],
  },
  {
    name: 'timm cycle_decay > 1 whose peak overflows before cycle_limit',
    config: {
      api: 'timm.scheduler.CosineLRScheduler',
      params: { t_initial: 100, cycle_decay: 2, cycle_limit: 5000 },
      base_lr: 0.1,
    },
    messages: [
      "timm.scheduler.CosineLRScheduler: cycle_limit must be at most 1024 with cycle_decay 2: timm multiplies the peak base_lr by cycle_decay every cycle, and it exceeds any float64 from cycle 1024 on (timm's learning rate is inf there); received 5000.",
    ],
    paths: ['params.cycle_limit'],
  },
  {
    name: 'keras CosineDecayRestarts m_mul > 1 whose height overflows',
    config: {
      api: 'keras.optimizers.schedules.CosineDecayRestarts',
      params: { initial_learning_rate: 0.1, first_decay_steps: 10, m_mul: 4 },
    },
    messages: [
      "keras.optimizers.schedules.CosineDecayRestarts: m_mul 4 (> 1) multiplies the learning rate's height every restart, and CosineDecayRestarts never stops restarting: the height exceeds any float64 from cycle 512 on (Keras returns inf there), which steps up to 1.7976931348623157e+308 reach (about cycle 1021); received 4.",
    ],
    paths: ['params.m_mul'],
  },
  {
    name: 'ChainedScheduler of growing factors whose product overflows',
    config: {
      api: `${T}ChainedScheduler`,
      params: {
        schedulers: [
          { api: 'ExponentialLR', gamma: 2 },
          { api: 'ExponentialLR', gamma: 3 },
        ],
      },
      base_lr: 0.1,
    },
    messages: [
      `${T}ChainedScheduler: the schedulers' factors multiply past any float64: torch multiplies the learning rate by every scheduler's factor at each step, and with growing factors (gamma > 1) the largest values multiply past Number.MAX_VALUE, where torch's chained learning rate turns to inf (each growing factor alone is bounded at Number.MAX_VALUE, their product is not); received [{"api":"ExponentialLR","gamma":2},{"api":"ExponentialLR","gamma":3}].`,
    ],
    paths: ['params.schedulers'],
  },
  {
    name: 'unknown top-level key and bad stepping',
    config: {
      api: 'torch.optim.lr_scheduler.StepLR',
      params: { step_size: 1 },
      base_lr: 0.1,
      stepping: 'weekly',
      extra: 1,
    },
    messages: [
      'torch.optim.lr_scheduler.StepLR: unknown key "extra" (a reference config has api, params, base_lr, stepping); received 1.',
      'torch.optim.lr_scheduler.StepLR: stepping must be one of "per-step", "per-epoch", "per-batch", "per-update", "fractional", "explicit-epoch"; received "weekly".',
    ],
    paths: ['extra', 'stepping'],
  },
];

describe('fromReference rejects invalid configs', () => {
  it.each(table)('$name', ({ config, messages, paths }) => {
    let caught: unknown;
    try {
      fromReference(config as never);
    } catch (error) {
      caught = error;
    }
    expect(ScheduleConfigError.isInstance(caught)).toBe(true);
    const error = caught as ScheduleConfigError;
    expect(error.issues.map((issue) => issue.message)).toEqual(messages);
    expect(error.issues.map((issue) => issue.path)).toEqual(paths);
    expect(error.message).toContain(messages[0] as string);
  });

  it('keeps growing peaks that stay finite: a cycle_limit before the overflow, a slow m_mul in lengthening cycles', () => {
    const timm = fromAnyConfig({
      api: 'timm.scheduler.CosineLRScheduler',
      params: { t_initial: 100, cycle_decay: 2, cycle_limit: 1024 },
      base_lr: 0.1,
    });
    // Cycle 1023 starts at step 102300, at its peak 0.1 · 2^1023.
    expect(timm(102_300)).toBe(0.1 * 2 ** 1023);
    const keras = fromAnyConfig({
      api: 'keras.optimizers.schedules.CosineDecayRestarts',
      params: { initial_learning_rate: 0.1, first_decay_steps: 10, m_mul: 1.1 },
    });
    for (const step of [0, 1e6, 2 ** 53, 1e300, Number.MAX_VALUE])
      expect(Number.isFinite(keras(step))).toBe(true);
  });

  it('fromAnyConfig routes reference configs through the same checks', () => {
    expect(() => fromAnyConfig({ api: `${T}LinearLR`, params: { start_factor: 0 }, base_lr: 0.1 })).toThrow(
      'torch.optim.lr_scheduler.LinearLR: start_factor must be in (0, 1]; received 0.',
    );
  });

  it('fromAnyConfig refuses a metric-driven reference api (it is a controller, not a schedule)', () => {
    expect(() => fromAnyConfig({ api: `${T}ReduceLROnPlateau`, params: {}, base_lr: 0.1 })).toThrow(
      'torch.optim.lr_scheduler.ReduceLROnPlateau: is driven by metrics, so it is a controller, not a schedule; call fromReference() and report(metric) on what it returns.',
    );
  });

  it('fromConfig of @anneal/core reads native configs only and names the subpath that reads reference ones', () => {
    expect(() => fromConfig({ api: `${T}LinearLR`, params: {}, base_lr: 0.1 })).toThrow(
      'fromConfig: a reference-library config ({ api, params, base_lr }) is read by fromAnyConfig or fromReference from "@anneal/core/reference"; received "torch.optim.lr_scheduler.LinearLR".',
    );
  });
});
