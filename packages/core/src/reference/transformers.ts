/**
 * transformers `optimization.py` schedule functions. Each returns a torch `LambdaLR`, so the
 * value at step k is base_lr · lr_lambda(k), k = 0 right after construction; `base_lr` is the
 * optimizer's learning rate (`optimizer.defaults["lr"]` where the function reads it).
 */
import type { ScheduleConfig } from '../schedule';
import {
  type BuildContext,
  base,
  constantConfig,
  cosineWaveConfig,
  lastEpochParam,
  type ParamSpecs,
  type ParamValues,
  type ReferenceApi,
  requireFreshScheduler,
} from './registry';

const prefix = 'transformers.optimization.';

function checkCommon(p: ParamValues, context: BuildContext): void {
  requireFreshScheduler(p, context);
  for (const field of ['num_warmup_steps', 'num_training_steps', 'num_decay_steps', 'num_stable_steps']) {
    const value = p[field];
    if (typeof value === 'number' && !(value >= 0))
      context.issues.add(field, '>= 0 (a number of steps)', value);
  }
}

/** Linear warm-up from 0 (float(k) / max(1, w)) to the first value of `schedule`, which then runs on a local step. */
function withWarmup(warmupSteps: number, schedule: ScheduleConfig): ScheduleConfig {
  if (!(warmupSteps > 0)) return schedule;
  return { type: 'warmup', schedule, warmupSteps, initialValue: 0, shape: 'linear' };
}

/** The decay length transformers divides by: max(1, num_training_steps - num_warmup_steps). */
function decayLength(p: ParamValues): number {
  return Math.max(1, (p.num_training_steps as number) - (p.num_warmup_steps as number));
}

/** 0.5 · (1 + cos(π · num_cycles · 2 · progress)) scaled between base·rate and base: a periodic cosine. */
function cosineCycles(context: BuildContext, p: ParamValues, minRate: number): ScheduleConfig {
  const cycles = Math.abs(p.num_cycles as number);
  const b = base(context);
  if (cycles === 0) return constantConfig(b);
  return cosineWaveConfig(b, b * minRate, decayLength(p) / (2 * cycles));
}

function minLrRate(p: ParamValues, context: BuildContext): number {
  return p.min_lr !== undefined ? (p.min_lr as number) / base(context) : (p.min_lr_rate as number);
}

function checkMinLr(p: ParamValues, context: BuildContext): void {
  if (p.min_lr !== undefined && p.min_lr_rate !== undefined) {
    context.issues.addRule(
      'min_lr',
      'Only one of min_lr or min_lr_rate should be set',
      'min_lr or min_lr_rate',
      p.min_lr,
    );
  } else if (p.min_lr === undefined && p.min_lr_rate === undefined) {
    context.issues.addRule(
      'min_lr_rate',
      'One of min_lr or min_lr_rate should be set through the `lr_scheduler_kwargs`',
      'min_lr or min_lr_rate',
      undefined,
    );
  } else if (p.min_lr !== undefined && !((context.baseLr as number) > 0)) {
    context.issues.add('base_lr', '> 0 (min_lr is divided by the optimizer lr)', context.baseLr);
  }
}

const warmupSteps = { num_warmup_steps: { kind: 'number', integer: true } } as const;
const trainingSteps = { num_training_steps: { kind: 'number', integer: true } } as const;

const getConstantScheduleApi: ReferenceApi = {
  api: `${prefix}get_constant_schedule`,
  library: 'transformers',
  baseLr: 'required',
  summary: 'constant',
  params: { ...lastEpochParam },
  check: checkCommon,
  build: (_p, context) => constantConfig(base(context)),
};

const getConstantScheduleWithWarmupApi: ReferenceApi = {
  api: `${prefix}get_constant_schedule_with_warmup`,
  library: 'transformers',
  baseLr: 'required',
  summary: 'warmup of constant',
  params: { ...warmupSteps, ...lastEpochParam },
  check: checkCommon,
  build: (p, context) => withWarmup(p.num_warmup_steps as number, constantConfig(base(context))),
};

const getLinearScheduleWithWarmupApi: ReferenceApi = {
  api: `${prefix}get_linear_schedule_with_warmup`,
  library: 'transformers',
  baseLr: 'required',
  summary: 'warmup of linear (to 0 over max(1, num_training_steps - num_warmup_steps))',
  params: { ...warmupSteps, ...trainingSteps, ...lastEpochParam },
  check: checkCommon,
  build: (p, context) => {
    const w = p.num_warmup_steps as number;
    const t = p.num_training_steps as number;
    const b = base(context);
    // max(0, (T - k) / max(1, T - w)): with T <= w the value is 0 as soon as the warm-up ends.
    if (t <= w) {
      const ramp: ScheduleConfig = { type: 'linear', initialValue: 0, finalValue: b, transitionSteps: w };
      return w > 0
        ? { type: 'join', segments: [{ schedule: ramp, steps: w }, { schedule: constantConfig(0) }] }
        : constantConfig(0);
    }
    return withWarmup(w, { type: 'linear', initialValue: b, finalValue: 0, transitionSteps: decayLength(p) });
  },
};

const getCosineScheduleWithWarmupApi: ReferenceApi = {
  api: `${prefix}get_cosine_schedule_with_warmup`,
  library: 'transformers',
  baseLr: 'required',
  summary: 'warmup of periodic cosineDecay (not clamped after num_training_steps)',
  params: {
    ...warmupSteps,
    ...trainingSteps,
    num_cycles: { kind: 'number', default: 0.5 },
    ...lastEpochParam,
  },
  check: checkCommon,
  build: (p, context) => withWarmup(p.num_warmup_steps as number, cosineCycles(context, p, 0)),
};

const getCosineWithHardRestartsScheduleWithWarmupApi: ReferenceApi = {
  api: `${prefix}get_cosine_with_hard_restarts_schedule_with_warmup`,
  library: 'transformers',
  baseLr: 'required',
  summary: 'warmup of join(cosineRestarts, constant 0 after num_training_steps)',
  params: { ...warmupSteps, ...trainingSteps, num_cycles: { kind: 'number', default: 1 }, ...lastEpochParam },
  check: (p, context) => {
    checkCommon(p, context);
    if (typeof p.num_cycles === 'number' && !(p.num_cycles > 0)) {
      context.issues.add('num_cycles', '> 0 (the number of restarts)', p.num_cycles);
    }
  },
  build: (p, context) => {
    const length = decayLength(p);
    const restarts: ScheduleConfig = {
      type: 'cosineRestarts',
      peakValue: base(context),
      firstCycleSteps: length / (p.num_cycles as number),
    };
    return withWarmup(p.num_warmup_steps as number, {
      type: 'join',
      segments: [{ schedule: restarts, steps: length }, { schedule: constantConfig(0) }],
    });
  },
};

const getPolynomialDecayScheduleWithWarmupApi: ReferenceApi = {
  api: `${prefix}get_polynomial_decay_schedule_with_warmup`,
  library: 'transformers',
  baseLr: 'required',
  summary: 'warmup of polynomial (to lr_end)',
  params: {
    ...warmupSteps,
    ...trainingSteps,
    lr_end: { kind: 'number', default: 1e-7 },
    power: { kind: 'number', default: 1 },
    ...lastEpochParam,
  },
  check: (p, context) => {
    checkCommon(p, context);
    const lrInit = context.baseLr as number;
    if (!(lrInit > (p.lr_end as number))) {
      context.issues.addRule(
        'lr_end',
        `lr_end (${p.lr_end}) must be smaller than initial lr (${lrInit})`,
        `< ${lrInit}`,
        p.lr_end,
      );
    }
    if (p.num_training_steps === p.num_warmup_steps) {
      context.issues.addRule(
        'num_training_steps',
        'num_training_steps must differ from num_warmup_steps (transformers divides by their difference at the end of the warm-up)',
        `!= ${p.num_warmup_steps}`,
        p.num_training_steps,
      );
    }
  },
  build: (p, context) => {
    const w = p.num_warmup_steps as number;
    const t = p.num_training_steps as number;
    const lrEnd = p.lr_end as number;
    const b = base(context);
    if (t < w) {
      const ramp: ScheduleConfig = { type: 'linear', initialValue: 0, finalValue: b, transitionSteps: w };
      const end = constantConfig((lrEnd / b) * b);
      return w > 0 ? { type: 'join', segments: [{ schedule: ramp, steps: w }, { schedule: end }] } : end;
    }
    return withWarmup(w, {
      type: 'polynomial',
      initialValue: b,
      finalValue: lrEnd,
      decaySteps: t - w,
      power: p.power as number,
    });
  },
};

const getInverseSqrtScheduleApi: ReferenceApi = {
  api: `${prefix}get_inverse_sqrt_schedule`,
  library: 'transformers',
  baseLr: 'required',
  summary: 'inverseSqrt (timescale defaults to num_warmup_steps, or 10000)',
  params: { ...warmupSteps, timescale: { kind: 'number', optional: true }, ...lastEpochParam },
  check: (p, context) => {
    checkCommon(p, context);
    if (p.timescale !== undefined && !((p.timescale as number) > 0)) {
      context.issues.add('timescale', '> 0 (transformers divides by it)', p.timescale);
    }
  },
  build: (p, context) => {
    const w = p.num_warmup_steps as number;
    const timescale = (p.timescale as number | undefined) ?? (w || 10_000);
    return {
      type: 'inverseSqrt',
      peakValue: base(context),
      warmupSteps: w,
      timescaleSteps: timescale,
      initialValue: 0,
    };
  },
};

const minLrParams: ParamSpecs = {
  ...warmupSteps,
  ...trainingSteps,
  num_cycles: { kind: 'number', default: 0.5 },
  ...lastEpochParam,
  min_lr: { kind: 'number', optional: true },
  min_lr_rate: { kind: 'number', optional: true },
};

const getCosineWithMinLrScheduleWithWarmupApi: ReferenceApi = {
  api: `${prefix}get_cosine_with_min_lr_schedule_with_warmup`,
  library: 'transformers',
  baseLr: 'required',
  summary: 'warmup of periodic cosineDecay (between min_lr and base_lr, not clamped)',
  params: minLrParams,
  check: (p, context) => {
    checkCommon(p, context);
    checkMinLr(p, context);
  },
  build: (p, context) =>
    withWarmup(p.num_warmup_steps as number, cosineCycles(context, p, minLrRate(p, context))),
};

const getCosineWithMinLrScheduleWithWarmupLrRateApi: ReferenceApi = {
  api: `${prefix}get_cosine_with_min_lr_schedule_with_warmup_lr_rate`,
  library: 'transformers',
  baseLr: 'required',
  summary:
    'join of linear (warm-up shifted by one step) and offset periodic cosineDecay (progress shifted by one step)',
  params: { ...minLrParams, warmup_lr_rate: { kind: 'number', optional: true } },
  check: (p, context) => {
    checkCommon(p, context);
    checkMinLr(p, context);
  },
  build: (p, context) => {
    const w = p.num_warmup_steps as number;
    const b = base(context);
    // Decay: progress = (k - w + 1) / max(1, T - w): the cosine read one step ahead.
    const decay: ScheduleConfig = {
      type: 'offset',
      offsetSteps: 1,
      schedule: cosineCycles(context, p, minLrRate(p, context)),
    };
    if (!(w > 0)) return decay;
    // Warm-up: (k + 1) / max(1, w), or warmup_lr_rate + (1 - warmup_lr_rate) · k / max(1, w - 1).
    const rate = p.warmup_lr_rate as number | undefined;
    const first = rate === undefined ? b * (1 / Math.max(1, w)) : b * rate;
    const last =
      rate === undefined
        ? b * (w / Math.max(1, w))
        : b * (rate + ((1 - rate) * (w - 1)) / Math.max(1, w - 1));
    const ramp: ScheduleConfig =
      w > 1
        ? { type: 'linear', initialValue: first, finalValue: last, transitionSteps: w - 1 }
        : constantConfig(first);
    return { type: 'join', segments: [{ schedule: ramp, steps: w }, { schedule: decay }] };
  },
};

const shapes = ['linear', 'cosine', '1-sqrt'];

const getWsdScheduleApi: ReferenceApi = {
  api: `${prefix}get_wsd_schedule`,
  library: 'transformers',
  baseLr: 'required',
  summary:
    'warmupStableDecay (min_lr_ratio · base_lr at both ends); join with periodic cosineDecay when num_cycles != 0.5',
  params: {
    ...warmupSteps,
    num_decay_steps: { kind: 'number', integer: true },
    num_training_steps: { kind: 'number', integer: true, optional: true },
    num_stable_steps: { kind: 'number', integer: true, optional: true },
    warmup_type: { kind: 'enum', values: shapes, default: 'linear' },
    decay_type: { kind: 'enum', values: shapes, default: 'cosine' },
    min_lr_ratio: { kind: 'number', default: 0 },
    num_cycles: { kind: 'number', default: 0.5 },
    ...lastEpochParam,
  },
  check: (p, context) => {
    checkCommon(p, context);
    if (p.num_training_steps === undefined && p.num_stable_steps === undefined) {
      context.issues.addRule(
        'num_training_steps',
        'Either num_training_steps or num_stable_steps must be specified.',
        'num_training_steps or num_stable_steps',
        undefined,
      );
      return;
    }
    const stable = stableSteps(p);
    if (!(stable >= 0)) {
      context.issues.addRule(
        'num_training_steps',
        `num_training_steps must be at least num_warmup_steps + num_decay_steps (${(p.num_warmup_steps as number) + (p.num_decay_steps as number)}): the stable phase cannot be negative`,
        `>= ${(p.num_warmup_steps as number) + (p.num_decay_steps as number)}`,
        p.num_training_steps,
      );
    }
  },
  build: (p, context) => {
    const b = base(context);
    const w = p.num_warmup_steps as number;
    const d = p.num_decay_steps as number;
    const total = w + stableSteps(p) + d;
    const floor = b * (p.min_lr_ratio as number);
    const shape = (type: unknown) => type as string;
    if (p.decay_type !== 'cosine' || p.num_cycles === 0.5 || d === 0) {
      return {
        type: 'warmupStableDecay',
        peakValue: b,
        totalSteps: total,
        decaySteps: d,
        warmupSteps: w,
        initialValue: floor,
        finalValue: floor,
        warmupShape: shape(p.warmup_type),
        decayShape: shape(p.decay_type),
      };
    }
    // Cosine decay with num_cycles != 0.5: 0.5 · (1 + cos(2π · num_cycles · progress)) over the decay.
    const head: ScheduleConfig = {
      type: 'warmupStableDecay',
      peakValue: b,
      totalSteps: total,
      decaySteps: 0,
      warmupSteps: w,
      initialValue: floor,
      finalValue: b,
      warmupShape: shape(p.warmup_type),
    };
    const segments: { schedule: ScheduleConfig; steps?: number }[] = [];
    if (total - d > 0) segments.push({ schedule: head, steps: total - d });
    segments.push({
      schedule: cosineCycles(
        context,
        { ...p, num_training_steps: d, num_warmup_steps: 0 },
        p.min_lr_ratio as number,
      ),
      steps: d,
    });
    segments.push({ schedule: constantConfig(floor) });
    return { type: 'join', segments };
  },
};

function stableSteps(p: ParamValues): number {
  if (p.num_stable_steps !== undefined) return p.num_stable_steps as number;
  return (p.num_training_steps as number) - (p.num_warmup_steps as number) - (p.num_decay_steps as number);
}

/** The transformers APIs, in the order `referenceApis()` lists them. */
export const transformersApis: readonly ReferenceApi[] = [
  getConstantScheduleApi,
  getConstantScheduleWithWarmupApi,
  getLinearScheduleWithWarmupApi,
  getCosineScheduleWithWarmupApi,
  getCosineWithHardRestartsScheduleWithWarmupApi,
  getPolynomialDecayScheduleWithWarmupApi,
  getInverseSqrtScheduleApi,
  getCosineWithMinLrScheduleWithWarmupApi,
  getCosineWithMinLrScheduleWithWarmupLrRateApi,
  getWsdScheduleApi,
];
