/**
 * timm `timm/scheduler/*.py` (1.0.x). The value at t is `_get_lr(t)` (plus noise where enabled):
 * t is the epoch (`t_in_epochs=True`, `scheduler.step(epoch)`) or the update count
 * (`t_in_epochs=False`, `scheduler.step_update(num_updates)`); either way the schedule is a function
 * of t. `base_lr` is the optimizer's learning rate (timm's `base_values`).
 */
import {
  isPlateauController,
  type PlateauController,
  type PlateauState,
  reduceOnPlateau,
} from '../compose/plateau';
import { fromConfig } from '../config';
import { AnnealError } from '../errors';
import { peakOverflow } from '../families/cycle-restarts';
import type { Schedule, ScheduleConfig } from '../schedule';
import { type BuildContext, base, type ParamSpecs, type ParamValues, type ReferenceApi } from './registry';

const prefix = 'timm.scheduler.';

const noiseParams: ParamSpecs = {
  noise_range_t: {
    kind: 'numberOrPair',
    optional: true,
    description: 'Epoch (or [start, end)) from which noise is added.',
  },
  noise_pct: { kind: 'number', default: 0.67, description: 'Bound on the relative noise.' },
  noise_std: { kind: 'number', default: 1, description: 'Standard deviation of the normal noise.' },
  noise_seed: {
    kind: 'number',
    integer: true,
    default: 42,
    description: 'Seed; noise at t is drawn from seed + t.',
  },
};

const commonParams: ParamSpecs = {
  warmup_t: { kind: 'number', default: 0 },
  warmup_lr_init: { kind: 'number', default: 0 },
  t_in_epochs: { kind: 'boolean', default: true, description: 'Epochs or updates: the same function of t.' },
  ...noiseParams,
  initialize: {
    kind: 'boolean',
    default: true,
    description: 'Sets initial_lr from the optimizer lr: no effect here.',
  },
};

const cycleParams: ParamSpecs = {
  t_initial: { kind: 'number' },
  lr_min: { kind: 'number', default: 0 },
  cycle_mul: { kind: 'number', default: 1 },
  cycle_decay: { kind: 'number', default: 1 },
  cycle_limit: { kind: 'number', integer: true, default: 1 },
};

function checkCommon(p: ParamValues, context: BuildContext): void {
  const issues = context.issues;
  if (!((p.warmup_t as number) >= 0)) issues.add('warmup_t', '>= 0 (assert warmup_t >= 0)', p.warmup_t);
  if (!((p.warmup_lr_init as number) >= 0))
    issues.add('warmup_lr_init', '>= 0 (assert warmup_lr_init >= 0)', p.warmup_lr_init);
  const range = p.noise_range_t;
  if (range !== undefined) {
    const [start, end] = Array.isArray(range) ? (range as number[]) : [range as number, undefined];
    if (!((start as number) >= 0)) issues.add('noise_range_t', 'steps >= 0', range);
    if (end !== undefined && !(end > (start as number)))
      issues.add('noise_range_t', '[start, end) with end > start', range);
    if (!((p.noise_pct as number) > 0 && (p.noise_pct as number) <= 1)) {
      issues.add(
        'noise_pct',
        'in (0, 1] (noise larger than the lr itself could make it negative)',
        p.noise_pct,
      );
    }
    if (!((p.noise_std as number) > 0)) issues.add('noise_std', '> 0', p.noise_std);
    if (!((p.noise_seed as number) >= 0)) issues.add('noise_seed', 'an integer >= 0', p.noise_seed);
  }
}

function checkCycles(p: ParamValues, context: BuildContext): void {
  const issues = context.issues;
  if (!((p.t_initial as number) > 0)) issues.add('t_initial', '> 0 (assert t_initial > 0)', p.t_initial);
  if (!((p.lr_min as number) >= 0)) issues.add('lr_min', '>= 0 (assert lr_min >= 0)', p.lr_min);
  if (!((p.cycle_mul as number) >= 1)) {
    issues.add(
      'cycle_mul',
      '>= 1 (with shrinking cycles timm takes the log of a negative number)',
      p.cycle_mul,
    );
  }
  if (!((p.cycle_decay as number) > 0)) issues.add('cycle_decay', '> 0', p.cycle_decay);
  if (!((p.cycle_limit as number) >= 1)) {
    issues.add(
      'cycle_limit',
      'an integer >= 1 (with 0 there is no cycle at all: use a constant lr_min)',
      p.cycle_limit,
    );
  }
  if (issues.ok) checkCycleGrowth(p, context);
}

/**
 * cycle_decay > 1 multiplies the peak every cycle (timm: base_lr · cycle_decay^k in cycle k), to inf
 * after enough cycles; cycle_limit bounds the cycles, so it must stop before the peak overflows.
 */
function checkCycleGrowth(p: ParamValues, context: BuildContext): void {
  const decay = p.cycle_decay as number;
  const overflow = peakOverflow({
    peakValue: base(context),
    minValue: p.lr_min as number,
    peakDecayFactor: decay,
    decayTarget: 'peak',
    firstCycleSteps: p.t_initial as number,
    cycleLengthFactor: p.cycle_mul as number,
    cycleLimit: p.cycle_limit as number,
  });
  if (!overflow) return;
  context.issues.addRule(
    'cycle_limit',
    `cycle_limit must be at most ${overflow.cycle} with cycle_decay ${decay}: timm multiplies the peak base_lr by cycle_decay every cycle, and it exceeds any float64 from cycle ${overflow.cycle} on (timm's learning rate is inf there)`,
    `<= ${overflow.cycle}`,
    p.cycle_limit,
  );
}

/** timm's noise: lr · (1 + n), n a truncated normal drawn per t; anneal's seeded `noise` family. */
function withNoise(
  p: ParamValues,
  schedule: ScheduleConfig,
  kind: 'normal' | 'uniform' = 'normal',
): ScheduleConfig {
  const range = p.noise_range_t;
  if (range === undefined) return schedule;
  const [start, end] = Array.isArray(range) ? (range as number[]) : [range as number, undefined];
  return {
    type: 'noise',
    schedule,
    seed: p.noise_seed as number,
    kind,
    stdFraction: p.noise_std as number,
    rangeFraction: p.noise_pct as number,
    startStep: start as number,
    ...(end !== undefined ? { endStep: end } : {}),
  };
}

/**
 * timm's warm-up: warmup_lr_init + t · (target − warmup_lr_init) / warmup_t for t < warmup_t, then
 * the main curve, on a local t (warmup_prefix) or on the global t (the warm-up overlaps it).
 */
function withWarmup(p: ParamValues, main: ScheduleConfig, target: number, prefixed: boolean): ScheduleConfig {
  const w = p.warmup_t as number;
  if (!(w > 0)) return main;
  const ramp: ScheduleConfig = {
    type: 'linear',
    initialValue: p.warmup_lr_init as number,
    finalValue: target,
    transitionSteps: w,
  };
  const after: ScheduleConfig = prefixed ? main : { type: 'offset', schedule: main, offsetSteps: w };
  return { type: 'join', segments: [{ schedule: ramp, steps: w }, { schedule: after }] };
}

function cycleConfig(
  p: ParamValues,
  context: BuildContext,
  shape: 'cosine' | 'tanh' | 'polynomial',
): ScheduleConfig {
  return {
    type: 'cycleRestarts',
    peakValue: base(context),
    minValue: p.lr_min as number,
    firstCycleSteps: p.t_initial as number,
    cycleLengthFactor: p.cycle_mul as number,
    peakDecayFactor: p.cycle_decay as number,
    decayTarget: 'peak',
    cycleLimit: p.cycle_limit as number,
    shape,
    cycleIndex: 'logarithm',
    ...(shape === 'tanh' ? { tanhLowerBound: p.lb as number, tanhUpperBound: p.ub as number } : {}),
    ...(shape === 'polynomial' ? { power: p.power as number } : {}),
    ...(shape !== 'tanh' ? { positionExponent: p.k_decay as number } : {}),
  };
}

/** The main curve behind the warm-up (towards base_lr, prefixed or overlapping) and the noise. */
function warmedUp(p: ParamValues, context: BuildContext, main: ScheduleConfig): ScheduleConfig {
  return withNoise(p, withWarmup(p, main, base(context), p.warmup_prefix as boolean));
}

/** Arguments of StepLRScheduler and MultiStepLRScheduler after decay_t (warmup_prefix defaults to True there). */
const stepParams: ParamSpecs = {
  decay_rate: { kind: 'number', default: 1 },
  warmup_prefix: { kind: 'boolean', default: true },
  ...commonParams,
};

const CosineLRSchedulerApi: ReferenceApi = {
  api: `${prefix}CosineLRScheduler`,
  library: 'timm',
  baseLr: 'required',
  summary: 'cycleRestarts (cosine); warm-up by join with linear, overlapping the curve unless warmup_prefix',
  params: {
    ...cycleParams,
    warmup_prefix: { kind: 'boolean', default: false },
    k_decay: { kind: 'number', default: 1 },
    ...commonParams,
  },
  check: (p, context) => {
    checkCycles(p, context);
    checkCommon(p, context);
    if (!((p.k_decay as number) > 0)) context.issues.add('k_decay', '> 0', p.k_decay);
  },
  build: (p, context) => warmedUp(p, context, cycleConfig(p, context, 'cosine')),
};

const TanhLRSchedulerApi: ReferenceApi = {
  api: `${prefix}TanhLRScheduler`,
  library: 'timm',
  baseLr: 'required',
  summary: "cycleRestarts (tanh); without warmup_prefix the warm-up aims at the curve's value at warmup_t",
  params: {
    ...cycleParams,
    lb: { kind: 'number', default: -7 },
    ub: { kind: 'number', default: 3 },
    warmup_prefix: { kind: 'boolean', default: false },
    ...commonParams,
  },
  check: (p, context) => {
    checkCycles(p, context);
    checkCommon(p, context);
    if (!((p.lb as number) < (p.ub as number)))
      context.issues.add('lb', `< ub (${p.ub}) (assert lb < ub)`, p.lb);
  },
  build: (p, context) => {
    const main = cycleConfig(p, context, 'tanh');
    const prefixed = p.warmup_prefix as boolean;
    // TanhLRScheduler's warm-up slope targets _get_lr(warmup_t) when the warm-up overlaps the curve.
    const target = prefixed ? base(context) : evaluate(main, p.warmup_t as number);
    return withNoise(p, withWarmup(p, main, target, prefixed));
  },
};

const PolyLRSchedulerApi: ReferenceApi = {
  api: `${prefix}PolyLRScheduler`,
  library: 'timm',
  baseLr: 'required',
  summary:
    'cycleRestarts (polynomial); warm-up by join with linear, overlapping the curve unless warmup_prefix',
  params: {
    ...cycleParams,
    power: { kind: 'number', default: 0.5 },
    warmup_prefix: { kind: 'boolean', default: false },
    k_decay: { kind: 'number', default: 1 },
    ...commonParams,
  },
  check: (p, context) => {
    checkCycles(p, context);
    checkCommon(p, context);
    if (!((p.k_decay as number) > 0)) context.issues.add('k_decay', '> 0', p.k_decay);
    if (!((p.power as number) > 0)) context.issues.add('power', '> 0', p.power);
  },
  build: (p, context) => warmedUp(p, context, cycleConfig(p, context, 'polynomial')),
};

const StepLRSchedulerApi: ReferenceApi = {
  api: `${prefix}StepLRScheduler`,
  library: 'timm',
  baseLr: 'required',
  summary: 'stepDecay after a linear warm-up (warmup_prefix defaults to True)',
  params: {
    decay_t: { kind: 'number' },
    ...stepParams,
  },
  check: (p, context) => {
    checkCommon(p, context);
    if (!((p.decay_t as number) > 0))
      context.issues.add('decay_t', '> 0 (timm floor-divides by it)', p.decay_t);
  },
  build: (p, context) => {
    const main: ScheduleConfig = {
      type: 'stepDecay',
      initialValue: base(context),
      intervalSteps: p.decay_t as number,
      decayFactor: p.decay_rate as number,
    };
    return warmedUp(p, context, main);
  },
};

const MultiStepLRSchedulerApi: ReferenceApi = {
  api: `${prefix}MultiStepLRScheduler`,
  library: 'timm',
  baseLr: 'required',
  summary: 'multiStepDecay with every milestone one step earlier (timm bisects t + 1)',
  params: {
    decay_t: { kind: 'numberArray' },
    ...stepParams,
  },
  check: (p, context) => {
    checkCommon(p, context);
    (p.decay_t as number[]).forEach((milestone, index, all) => {
      if (index > 0 && !(milestone >= (all[index - 1] as number))) {
        context.issues.add(
          `decay_t[${index}]`,
          `>= ${all[index - 1]} (timm bisects decay_t, which must be sorted)`,
          milestone,
        );
      }
    });
  },
  build: (p, context) => {
    // bisect_right(decay_t, t + 1): a milestone m counts from t = m - 1 on; milestones <= 1 from the start.
    const shifted = (p.decay_t as number[]).map((m) => Math.max(m - 1, 0));
    const main: ScheduleConfig = {
      type: 'multiStepDecay',
      initialValue: base(context),
      milestones: shifted,
      decayFactor: p.decay_rate as number,
    };
    return warmedUp(p, context, main);
  },
};

function evaluate(config: ScheduleConfig, step: number): number {
  return (fromConfig(config) as Schedule)(step);
}

// ---------------------------------------------------------------------------------------------
// PlateauLRScheduler

/** The extra state a timm plateau controller keeps: reports seen (the epoch) and the last noise-free value. */
interface TimmPlateauState extends PlateauState {
  readonly epochs: number;
}

const controllerMarker = Symbol.for('anneal.plateauController');

/**
 * timm's `PlateauLRScheduler`, driven as timm's train.py does (`step(epoch + 1, metric)`): report k
 * is epoch k. Epochs <= warmup_t follow the warm-up line and their metrics are not seen by the
 * plateau logic; from then on torch `ReduceLROnPlateau` semantics apply to the lr the warm-up left,
 * with noise added on top (and removed before the next reduction) where enabled.
 */
function timmPlateau(p: ParamValues, context: BuildContext): PlateauController {
  const b = base(context);
  const w = p.warmup_t as number;
  const init = p.warmup_lr_init as number;
  const slope = w > 0 ? (b - init) / w : 1;
  const startValue = w > 0 ? init + w * slope : b;
  const inner = reduceOnPlateau({
    initialValue: startValue,
    mode: p.mode as 'min' | 'max',
    factor: p.decay_rate as number,
    patience: p.patience_t as number,
    threshold: p.threshold as number,
    thresholdMode: 'relative',
    cooldown: p.cooldown_t as number,
    minValue: p.lr_min as number,
  });
  const noise =
    p.noise_range_t === undefined
      ? undefined
      : fromConfig(withNoise(p, { type: 'constant', value: 1 }, p.noise_type as 'normal' | 'uniform'));
  let epochs = 0;
  let value = w > 0 ? init : b;
  const controller = {
    report(metric: number): number {
      const epoch = epochs + 1;
      if (epoch <= w) {
        value = init + epoch * slope;
      } else {
        const clean = inner.report(metric);
        value = noise ? clean * noise(epoch) : clean;
      }
      epochs = epoch;
      return value;
    },
    get value() {
      return value;
    },
    get multiplier() {
      return inner.multiplier;
    },
    get reductions() {
      return inner.reductions;
    },
    applyTo: inner.applyTo,
    state(): TimmPlateauState {
      return { ...inner.state(), epochs };
    },
    restore(state: PlateauState): void {
      const saved = (state as Partial<TimmPlateauState>).epochs;
      if (!(typeof saved === 'number' && Number.isSafeInteger(saved) && saved >= 0)) {
        throw new AnnealError(
          `${context.api}: restore needs the state() of this controller, with epochs an integer >= 0; received ${JSON.stringify(saved)}.`,
        );
      }
      const { epochs: _epochs, ...rest } = state as TimmPlateauState;
      inner.restore(rest);
      epochs = saved;
      value = saved <= w ? (saved === 0 ? (w > 0 ? init : b) : init + saved * slope) : inner.value;
      if (saved > w && noise) value = inner.value * noise(saved);
    },
    config: inner.config,
    /** timm's warm-up, which the plateau options (config) do not describe. */
    warmup: Object.freeze({ epochs: w, initialValue: init }),
  };
  Object.defineProperty(controller, controllerMarker, { value: true });
  const frozen = Object.freeze(controller);
  if (!isPlateauController(frozen)) throw new AnnealError('timm plateau controller: marker missing');
  return frozen;
}

const PlateauLRSchedulerApi: ReferenceApi = {
  api: `${prefix}PlateauLRScheduler`,
  library: 'timm',
  baseLr: 'required',
  summary: 'reduceOnPlateau after a warm-up (a controller driven by report(metric), one report per epoch)',
  params: {
    decay_rate: { kind: 'number', default: 0.1 },
    patience_t: { kind: 'number', integer: true, default: 10 },
    verbose: { kind: 'boolean', default: true, description: 'Printing only; no effect on values.' },
    threshold: { kind: 'number', default: 1e-4 },
    cooldown_t: { kind: 'number', integer: true, default: 0 },
    warmup_t: { kind: 'number', integer: true, default: 0 },
    warmup_lr_init: { kind: 'number', default: 0 },
    lr_min: { kind: 'number', default: 0 },
    mode: { kind: 'enum', values: ['min', 'max'], default: 'max' },
    ...noiseParams,
    noise_type: { kind: 'enum', values: ['normal', 'uniform'], default: 'normal' },
    initialize: {
      kind: 'boolean',
      default: true,
      description: 'Sets initial_lr from the optimizer lr: no effect here.',
    },
  },
  check: (p, context) => {
    checkCommon(p, context);
    if (!((p.decay_rate as number) > 0 && (p.decay_rate as number) < 1)) {
      context.issues.add(
        'decay_rate',
        'in (0, 1) (torch ReduceLROnPlateau: Factor should be < 1.0.)',
        p.decay_rate,
      );
    }
    for (const field of ['patience_t', 'cooldown_t', 'threshold', 'lr_min']) {
      if (!((p[field] as number) >= 0)) context.issues.add(field, '>= 0', p[field]);
    }
    if (!((context.baseLr as number) > 0))
      context.issues.add('base_lr', '> 0 for a plateau scheduler', context.baseLr);
  },
  build: (p, context) => timmPlateau(p, context),
};

/** The timm APIs, in the order `referenceApis()` lists them. */
export const timmApis: readonly ReferenceApi[] = [
  CosineLRSchedulerApi,
  TanhLRSchedulerApi,
  PolyLRSchedulerApi,
  StepLRSchedulerApi,
  MultiStepLRSchedulerApi,
  PlateauLRSchedulerApi,
];
