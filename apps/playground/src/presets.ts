import { findFamily, type OptionSpec, unitOf } from './specs';

type Json = Record<string, unknown>;

const cosine = (initialValue: number, decaySteps: number): Json => ({
  type: 'cosineDecay',
  initialValue,
  decaySteps,
});

/**
 * Hand-picked starting points for the families core registers today: a curve that shows what
 * the family does over about 1,000 steps. Families not listed get a config derived from their
 * option specs (see `starterConfig`), so a family added to core appears without a change here.
 */
const starters: Readonly<Record<string, Json>> = {
  constant: { value: 1e-3 },
  cosineDecay: { initialValue: 1e-3, decaySteps: 1000, finalValue: 1e-5 },
  cosineRestarts: { peakValue: 1e-3, firstCycleSteps: 150, cycleLengthFactor: 2, finalValue: 1e-5 },
  cyclic: { minValue: 1e-4, maxValue: 1e-3, stepUpSteps: 100, mode: 'triangular2' },
  exponentialDecay: { initialValue: 1e-3, decaySteps: 100, decayFactor: 0.7 },
  inverseSqrt: { peakValue: 1e-3, warmupSteps: 100 },
  inverseTimeDecay: { initialValue: 1e-3, decaySteps: 100, decayRate: 0.5 },
  linear: { initialValue: 1e-3, finalValue: 1e-5, transitionSteps: 1000 },
  multiStepDecay: { initialValue: 1e-3, milestones: [300, 600, 900], decayFactor: 0.3 },
  oneCycle: { maxValue: 1e-3, totalSteps: 1000 },
  piecewiseConstant: { boundaries: [300, 600], values: [1e-3, 5e-4, 1e-4] },
  piecewiseInterpolate: { boundaries: [0, 100, 1000], values: [0, 1e-3, 1e-5] },
  polynomial: { initialValue: 1e-3, decaySteps: 1000, power: 2, finalValue: 1e-5 },
  stepDecay: { initialValue: 1e-3, intervalSteps: 250, decayFactor: 0.5 },
  tanhDecay: { initialValue: 1e-3, decaySteps: 1000, finalValue: 1e-5 },
  warmupCosineDecay: {
    peakValue: 1e-3,
    totalSteps: 1000,
    warmupSteps: 100,
    holdSteps: 100,
    finalValue: 1e-5,
  },
  warmupStableDecay: {
    peakValue: 1e-3,
    totalSteps: 1000,
    warmupSteps: 100,
    decaySteps: 200,
    finalValue: 1e-5,
  },
  cycleRestarts: { peakValue: 1e-3, firstCycleSteps: 150, cycleLengthFactor: 1.5, peakDecayFactor: 0.8 },
  float32WarmupCosineDecay: { peakValue: 1e-3, totalSteps: 1000, warmupSteps: 100 },
  clamp: { schedule: cosine(1e-3, 1000), minValue: 1e-4 },
  epochSchedule: {
    schedule: { type: 'stepDecay', initialValue: 1e-3, intervalSteps: 3, decayFactor: 0.5 },
    stepsPerEpoch: 100,
  },
  join: {
    segments: [
      { schedule: { type: 'linear', initialValue: 0, finalValue: 1e-3, transitionSteps: 100 }, steps: 100 },
      { schedule: cosine(1e-3, 900) },
    ],
  },
  noise: { schedule: cosine(1e-3, 1000), rangeFraction: 0.2 },
  scale: { schedule: cosine(1e-3, 1000), factor: 0.5 },
  warmup: { schedule: cosine(1e-3, 900), warmupSteps: 100 },
  offset: { schedule: cosine(1e-3, 1000), offsetSteps: 200 },
  float32: { schedule: cosine(1e-3, 1000) },
};

/** A value for one required option of a family without a hand-picked starter, from its name and spec. */
function guess(name: string, spec: OptionSpec): unknown {
  switch (spec.kind) {
    case 'boolean':
      return false;
    case 'enum':
      return spec.values[0];
    case 'schedule':
      return cosine(1e-3, 1000);
    case 'objectArray': {
      const item: Json = {};
      for (const [key, child] of Object.entries(spec.items ?? {})) {
        if (!child.optional && !('default' in child && child.default !== undefined))
          item[key] = guess(key, child);
      }
      return Array.from({ length: spec.minLength ?? 1 }, () => ({ ...item }));
    }
    case 'numberArray': {
      const unit = unitOf(name);
      const base = unit === 'steps' ? [250, 500, 750] : [1e-3, 5e-4, 1e-4];
      return base.slice(0, Math.max(spec.minLength ?? 1, 3));
    }
    case 'number': {
      const unit = unitOf(name);
      // Learning rates: floors low, everything else (peaks, starts) at 1e-3.
      const floor = /^(min|final|end|lower|floor)/.test(name);
      let value =
        unit === 'steps' ? 1000 : unit === 'lr' ? (floor ? 1e-5 : 1e-3) : unit === 'fraction' ? 0.3 : 0.5;
      const max = spec.max;
      if (spec.min !== undefined && (value < spec.min || (spec.minExclusive && value === spec.min))) {
        value = max !== undefined ? (spec.min + max) / 2 : spec.min + 1;
      }
      if (max !== undefined && (value > max || (spec.maxExclusive && value === max))) {
        value = spec.min !== undefined ? (spec.min + max) / 2 : max - 1;
      }
      return spec.integer ? Math.round(value) : value;
    }
  }
}

/**
 * The config a family starts with when picked: the hand-picked starter, or one built from the
 * option specs. Number options the previous config shares with the new family keep their values
 * (one name has one meaning across families, so `peakValue` or `totalSteps` carry over).
 */
export function starterConfig(type: string, previous?: Json): Json {
  const family = findFamily(type);
  if (!family) return { type };
  const starter = starters[type];
  const config: Json = { type };
  for (const [name, spec] of Object.entries(family.options)) {
    if (starter && name in starter) config[name] = structuredClone(starter[name]);
    else if (!starter && !spec.optional && !('default' in spec && spec.default !== undefined))
      config[name] = guess(name, spec);
  }
  if (previous) {
    for (const [name, spec] of Object.entries(family.options)) {
      if (name in previous && spec.kind === 'number') {
        const value = previous[name];
        if (typeof value === 'number') config[name] = value;
      }
    }
  }
  return config;
}

/** Reference configs offered as examples (shaped like the cases in the golden files). */
export const referenceExamples: readonly { readonly label: string; readonly config: Json }[] = [
  {
    label: 'PyTorch CosineAnnealingLR',
    config: {
      api: 'torch.optim.lr_scheduler.CosineAnnealingLR',
      params: { T_max: 1000, eta_min: 1e-5 },
      base_lr: 1e-3,
    },
  },
  {
    label: 'PyTorch OneCycleLR',
    config: {
      api: 'torch.optim.lr_scheduler.OneCycleLR',
      params: { max_lr: 1e-3, total_steps: 1000 },
      base_lr: 1e-3,
    },
  },
  {
    label: 'PyTorch SequentialLR (LinearLR → CosineAnnealingLR)',
    config: {
      api: 'torch.optim.lr_scheduler.SequentialLR',
      params: {
        schedulers: [
          { api: 'LinearLR', start_factor: 0.01, end_factor: 1, total_iters: 100 },
          { api: 'CosineAnnealingLR', T_max: 900, eta_min: 1e-5 },
        ],
        milestones: [100],
      },
      base_lr: 1e-3,
    },
  },
  {
    label: 'Keras CosineDecay with warm-up',
    config: {
      api: 'keras.optimizers.schedules.CosineDecay',
      params: {
        initial_learning_rate: 0,
        decay_steps: 900,
        alpha: 0.01,
        warmup_target: 1e-3,
        warmup_steps: 100,
      },
    },
  },
  {
    label: 'optax warmup_cosine_decay_schedule',
    config: {
      api: 'optax.warmup_cosine_decay_schedule',
      params: { init_value: 0, peak_value: 1e-3, warmup_steps: 100, decay_steps: 1000, end_value: 1e-5 },
    },
  },
  {
    label: 'transformers get_cosine_schedule_with_warmup',
    config: {
      api: 'transformers.optimization.get_cosine_schedule_with_warmup',
      params: { num_warmup_steps: 100, num_training_steps: 1000 },
      base_lr: 1e-3,
    },
  },
  {
    label: 'transformers get_wsd_schedule',
    config: {
      api: 'transformers.optimization.get_wsd_schedule',
      params: { num_warmup_steps: 100, num_decay_steps: 200, num_training_steps: 1000 },
      base_lr: 1e-3,
    },
  },
  {
    label: 'timm CosineLRScheduler',
    config: {
      api: 'timm.scheduler.CosineLRScheduler',
      params: {
        t_initial: 300,
        lr_min: 1e-5,
        cycle_mul: 2,
        cycle_limit: 2,
        warmup_t: 50,
        warmup_lr_init: 1e-4,
      },
      base_lr: 1e-3,
    },
  },
];
