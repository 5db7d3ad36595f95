/**
 * PyTorch `torch.optim.lr_scheduler` (1.13 semantics). Values are the optimizer's lr after
 * construction (step 0) and after k calls of `scheduler.step()` (step k), i.e. the lr used by
 * update k. Where torch's recursive ("chainable") form and its closed form disagree, the values
 * follow the recursive form, because that is what `scheduler.step()` produces.
 */
import { reduceOnPlateau } from '../compose/plateau';
import { supremumOfConfig } from '../compose/supremum';
import type { ScheduleConfig } from '../schedule';
import { buildChild } from './apis';
import {
  base,
  constantConfig,
  cosineWaveConfig,
  growthBound,
  lastEpochParam,
  type ParamSpecs,
  type ParamValues,
  type ReferenceApi,
  requireFreshScheduler,
  requireNonNegative,
  requirePositive,
  requireRange,
} from './registry';

const prefix = 'torch.optim.lr_scheduler.';

/** Arguments every torch scheduler takes; only the fresh-scheduler values have a meaning here. */
const common: ParamSpecs = {
  ...lastEpochParam,
  verbose: { kind: 'boolean', default: false, description: 'Printing only; no effect on values.' },
};

// ---------------------------------------------------------------------------------------------

const StepLRApi: ReferenceApi = {
  api: `${prefix}StepLR`,
  library: 'pytorch',
  shortNames: ['StepLR'],
  baseLr: 'required',
  summary: 'stepDecay',
  params: {
    step_size: { kind: 'number', integer: true },
    gamma: { kind: 'number', default: 0.1 },
    ...common,
  },
  check: (p, context) => {
    requireFreshScheduler(p, context);
    requirePositive(p, context, 'step_size', 'torch divides the epoch by it');
    requireNonNegative(p, context, 'gamma', 'a learning rate cannot turn negative');
  },
  build: (p, context) => {
    const gamma = p.gamma as number;
    // stepDecay decays; a growing StepLR (gamma > 1, as in LR range tests) is the staircase exponential.
    if (gamma > 1) {
      return {
        type: 'exponentialDecay',
        initialValue: base(context),
        decaySteps: p.step_size as number,
        decayFactor: gamma,
        staircase: true,
        ...growthBound(gamma),
      };
    }
    return {
      type: 'stepDecay',
      initialValue: base(context),
      intervalSteps: p.step_size as number,
      decayFactor: gamma,
    };
  },
};

const MultiStepLRApi: ReferenceApi = {
  api: `${prefix}MultiStepLR`,
  library: 'pytorch',
  shortNames: ['MultiStepLR'],
  baseLr: 'required',
  summary: 'multiStepDecay',
  params: { milestones: { kind: 'numberArray' }, gamma: { kind: 'number', default: 0.1 }, ...common },
  check: (p, context) => {
    requireFreshScheduler(p, context);
    requireNonNegative(p, context, 'gamma', 'a learning rate cannot turn negative');
  },
  build: (p, context) => {
    // torch counts milestones in a Counter and multiplies when last_epoch hits one: unsorted and
    // repeated milestones are fine; milestones no integer epoch reaches never apply, except that a
    // closed-form start (step(0) inside SequentialLR) counts every milestone <= 0.
    const all = [...(p.milestones as number[])].sort((a, b) => a - b);
    const reached = context.closedFormStart
      ? all.map((m) => Math.max(m, 0)).filter((m) => m <= 0 || Number.isInteger(m))
      : all.filter((m) => m >= 0 && Number.isInteger(m));
    const gamma = p.gamma as number;
    if (gamma > 1) {
      // multiStepDecay decays; a growing MultiStepLR is a piecewiseConstant of the same levels.
      const boundaries: number[] = [];
      const values = [base(context)];
      reached.forEach((milestone, index) => {
        const level = base(context) * gamma ** (index + 1);
        if (milestone <= 0) values[0] = level;
        else if (boundaries[boundaries.length - 1] === milestone) values[values.length - 1] = level;
        else {
          boundaries.push(milestone);
          values.push(level);
        }
      });
      return boundaries.length === 0
        ? constantConfig(values[0] as number)
        : { type: 'piecewiseConstant', boundaries, values };
    }
    return { type: 'multiStepDecay', initialValue: base(context), milestones: reached, decayFactor: gamma };
  },
};

const ConstantLRApi: ReferenceApi = {
  api: `${prefix}ConstantLR`,
  library: 'pytorch',
  shortNames: ['ConstantLR'],
  baseLr: 'required',
  summary: 'piecewiseConstant (constant when total_iters <= 0)',
  params: {
    factor: { kind: 'number', default: 1 / 3 },
    total_iters: { kind: 'number', default: 5 },
    ...common,
  },
  check: (p, context) => {
    requireFreshScheduler(p, context);
    requireRange(context.issues, p, 'factor', 0, 1, false, false);
    if (p.factor === 0 && Number.isInteger(p.total_iters) && (p.total_iters as number) > 0) {
      context.issues.addRule(
        'factor',
        'factor must be > 0 when total_iters > 0 (torch multiplies by 1 / factor at total_iters and divides by zero)',
        '> 0',
        p.factor,
      );
    }
  },
  build: (p, context) => {
    const b = base(context);
    const factor = p.factor as number;
    const total = p.total_iters as number;
    // The recursive form multiplies by factor at epoch 0 and by 1/factor when last_epoch == total_iters,
    // which no epoch reaches when total_iters <= 0 or is fractional: then lr * factor stays forever.
    // A closed-form start (inside SequentialLR) gives base_lr there instead.
    if (!(Number.isInteger(total) && total > 0)) {
      return constantConfig(context.closedFormStart && total <= 0 ? b : b * factor);
    }
    return {
      type: 'piecewiseConstant',
      boundaries: [total],
      values: [b * factor, b * factor * (1 / factor)],
    };
  },
};

const LinearLRApi: ReferenceApi = {
  api: `${prefix}LinearLR`,
  library: 'pytorch',
  shortNames: ['LinearLR'],
  baseLr: 'required',
  summary: 'linear (constant when total_iters = 0)',
  params: {
    start_factor: { kind: 'number', default: 1 / 3 },
    end_factor: { kind: 'number', default: 1 },
    total_iters: { kind: 'number', integer: true, default: 5 },
    ...common,
  },
  check: (p, context) => {
    requireFreshScheduler(p, context);
    requireRange(context.issues, p, 'start_factor', 0, 1, true, false);
    requireRange(context.issues, p, 'end_factor', 0, 1, false, false);
    requireNonNegative(p, context, 'total_iters', 'a number of steps');
  },
  build: (p, context) => {
    const b = base(context);
    const total = p.total_iters as number;
    // total_iters = 0: the recursive form multiplies by start_factor at epoch 0 and never again.
    if (total === 0) return constantConfig(b * (p.start_factor as number));
    return {
      type: 'linear',
      initialValue: b * (p.start_factor as number),
      finalValue: b * (p.end_factor as number),
      transitionSteps: total,
    };
  },
};

/**
 * ExponentialLR and MultiplicativeLR (with a constant lr_lambda): base_lr times the factor in
 * `field` once per step, a growing factor bounded only by float64 overflow as in torch.
 */
function factorPerStep(field: string): Pick<ReferenceApi, 'check' | 'build'> {
  return {
    check: (p, context) => {
      requireFreshScheduler(p, context);
      requirePositive(p, context, field, 'anneal decays by a positive factor');
    },
    build: (p, context) => ({
      type: 'exponentialDecay',
      initialValue: base(context),
      decaySteps: 1,
      decayFactor: p[field] as number,
      ...growthBound(p[field] as number),
    }),
  };
}

const ExponentialLRApi: ReferenceApi = {
  api: `${prefix}ExponentialLR`,
  library: 'pytorch',
  shortNames: ['ExponentialLR'],
  baseLr: 'required',
  summary: 'exponentialDecay (decaySteps 1)',
  params: { gamma: { kind: 'number' }, ...common },
  ...factorPerStep('gamma'),
};

const MultiplicativeLRApi: ReferenceApi = {
  api: `${prefix}MultiplicativeLR`,
  library: 'pytorch',
  shortNames: ['MultiplicativeLR'],
  baseLr: 'required',
  summary: 'exponentialDecay (decaySteps 1); lr_lambda as a constant factor',
  params: {
    lr_lambda: {
      kind: 'number',
      description:
        'The constant factor the lambda returns for every epoch (a Python function has no JSON form).',
    },
    ...common,
  },
  ...factorPerStep('lr_lambda'),
};

const PolynomialLRApi: ReferenceApi = {
  api: `${prefix}PolynomialLR`,
  library: 'pytorch',
  shortNames: ['PolynomialLR'],
  baseLr: 'required',
  summary: 'polynomial (finalValue 0)',
  params: {
    total_iters: { kind: 'number', integer: true, default: 5 },
    power: { kind: 'number', default: 1 },
    ...common,
  },
  check: (p, context) => {
    requireFreshScheduler(p, context);
    requirePositive(p, context, 'power', 'anneal needs a positive exponent');
  },
  build: (p, context) => {
    const total = p.total_iters as number;
    // total_iters <= 0: the recursive form never changes the lr.
    if (!(total > 0)) return constantConfig(base(context));
    return {
      type: 'polynomial',
      initialValue: base(context),
      finalValue: 0,
      decaySteps: total,
      power: p.power as number,
    };
  },
};

const CosineAnnealingLRApi: ReferenceApi = {
  api: `${prefix}CosineAnnealingLR`,
  library: 'pytorch',
  shortNames: ['CosineAnnealingLR'],
  baseLr: 'required',
  summary: 'cosineDecay with periodic (torch keeps going past T_max: period 2 · T_max)',
  params: { T_max: { kind: 'number' }, eta_min: { kind: 'number', default: 0 }, ...common },
  check: (p, context) => {
    requireFreshScheduler(p, context);
    requirePositive(p, context, 'T_max', 'torch divides by it');
    requireNonNegative(p, context, 'eta_min', 'a learning rate');
  },
  build: (p, context) => cosineWaveConfig(base(context), p.eta_min as number, p.T_max as number),
};

const CosineAnnealingWarmRestartsApi: ReferenceApi = {
  api: `${prefix}CosineAnnealingWarmRestarts`,
  library: 'pytorch',
  shortNames: ['CosineAnnealingWarmRestarts'],
  baseLr: 'required',
  summary:
    'cosineRestarts (scheduler.step()); cycleRestarts with cycleIndex "logarithm" (scheduler.step(epoch))',
  params: {
    T_0: { kind: 'number' },
    T_mult: { kind: 'number', default: 1 },
    eta_min: { kind: 'number', default: 0 },
    ...common,
  },
  check: (p, context) => {
    requireFreshScheduler(p, context);
    const t0 = p.T_0 as number;
    if (!(Number.isInteger(t0) && t0 > 0)) context.issues.add('T_0', 'a positive integer', t0);
    const mult = p.T_mult as number;
    if (!(Number.isInteger(mult) && mult >= 1)) context.issues.add('T_mult', 'an integer >= 1', mult);
    requireNonNegative(p, context, 'eta_min', 'a learning rate');
  },
  build: (p, context) => {
    const options = {
      peakValue: base(context),
      firstCycleSteps: p.T_0 as number,
      cycleLengthFactor: p.T_mult as number,
    };
    // step(epoch) finds the cycle with int(math.log(epoch / T_0 * (T_mult - 1) + 1, T_mult)), which
    // rounds down at some restarts (log(243, 3) = 4.999...); step() counts and never does.
    if (context.stepping === 'explicit-epoch' || context.stepping === 'fractional') {
      return { type: 'cycleRestarts', ...options, minValue: p.eta_min as number, cycleIndex: 'logarithm' };
    }
    return { type: 'cosineRestarts', ...options, finalValue: p.eta_min as number };
  },
};

const CyclicLRApi: ReferenceApi = {
  api: `${prefix}CyclicLR`,
  library: 'pytorch',
  shortNames: ['CyclicLR'],
  baseLr: 'ignored',
  summary: 'cyclic (the optimizer lr is replaced by the base_lr argument)',
  params: {
    base_lr: { kind: 'number' },
    max_lr: { kind: 'number' },
    step_size_up: { kind: 'number', default: 2000 },
    step_size_down: { kind: 'number', optional: true },
    mode: { kind: 'enum', values: ['triangular', 'triangular2', 'exp_range'], default: 'triangular' },
    gamma: { kind: 'number', default: 1 },
    scale_fn: {
      kind: 'unsupported',
      reason:
        'a Python function has no JSON form; the built-in modes (mode) cover triangular, triangular2 and exp_range',
    },
    scale_mode: { kind: 'enum', values: ['cycle', 'iterations'], default: 'cycle' },
    cycle_momentum: { kind: 'boolean', default: true, description: 'Momentum only; no effect on the lr.' },
    base_momentum: { kind: 'number', default: 0.8, description: 'Momentum only.' },
    max_momentum: { kind: 'number', default: 0.9, description: 'Momentum only.' },
    ...common,
  },
  check: (p, context) => {
    requireFreshScheduler(p, context);
    requireNonNegative(p, context, 'base_lr', 'a learning rate');
    requireNonNegative(p, context, 'max_lr', 'a learning rate');
    const up = p.step_size_up as number;
    const down = (p.step_size_down as number | undefined) ?? up;
    requireNonNegative(p, context, 'step_size_up', 'a number of steps');
    requireNonNegative(p, context, 'step_size_down', 'a number of steps');
    if (up >= 0 && down >= 0 && !(up + down > 0)) {
      context.issues.addRule(
        'step_size_up',
        'step_size_up + step_size_down must be > 0 (torch divides by the cycle length)',
        '> 0',
        up + down,
      );
    }
    if (p.mode === 'exp_range')
      requirePositive(p, context, 'gamma', 'exp_range scales by gamma ** iteration');
  },
  build: (p) => {
    const mode = p.mode as string;
    return {
      type: 'cyclic',
      minValue: p.base_lr as number,
      maxValue: p.max_lr as number,
      stepUpSteps: p.step_size_up as number,
      stepDownSteps: (p.step_size_down as number | undefined) ?? (p.step_size_up as number),
      mode: mode === 'exp_range' ? 'expRange' : mode,
      // With scale_fn None, torch takes the scale mode from the mode (iterations for exp_range).
      scaleMode: mode === 'exp_range' ? 'iterations' : 'cycle',
      ...(mode === 'exp_range' ? { decayFactor: p.gamma as number } : {}),
    };
  },
};

const OneCycleLRApi: ReferenceApi = {
  api: `${prefix}OneCycleLR`,
  library: 'pytorch',
  shortNames: ['OneCycleLR'],
  baseLr: 'ignored',
  summary: 'join of piecewiseInterpolate (the phases), the one extra step torch allows, then constant',
  params: {
    max_lr: { kind: 'number' },
    total_steps: { kind: 'number', optional: true },
    epochs: { kind: 'number', optional: true },
    steps_per_epoch: { kind: 'number', optional: true },
    pct_start: { kind: 'number', default: 0.3 },
    anneal_strategy: { kind: 'enum', values: ['cos', 'linear'], default: 'cos' },
    cycle_momentum: { kind: 'boolean', default: true, description: 'Momentum only; no effect on the lr.' },
    base_momentum: { kind: 'number', default: 0.85, description: 'Momentum only.' },
    max_momentum: { kind: 'number', default: 0.95, description: 'Momentum only.' },
    div_factor: { kind: 'number', default: 25 },
    final_div_factor: { kind: 'number', default: 1e4 },
    three_phase: { kind: 'boolean', default: false },
    ...common,
  },
  check: (p, context) => {
    requireFreshScheduler(p, context);
    const issues = context.issues;
    const positiveInteger = (value: unknown) =>
      typeof value === 'number' && Number.isInteger(value) && value > 0;
    if (p.total_steps === undefined && (p.epochs === undefined || p.steps_per_epoch === undefined)) {
      issues.addRule(
        'total_steps',
        'You must define either total_steps OR (epochs AND steps_per_epoch)',
        'total_steps, or epochs and steps_per_epoch',
        undefined,
      );
      return;
    }
    if (p.total_steps !== undefined) {
      if (!positiveInteger(p.total_steps)) issues.add('total_steps', 'a positive integer', p.total_steps);
    } else {
      if (!positiveInteger(p.epochs)) issues.add('epochs', 'a positive integer', p.epochs);
      if (!positiveInteger(p.steps_per_epoch))
        issues.add('steps_per_epoch', 'a positive integer', p.steps_per_epoch);
    }
    requireRange(issues, p, 'pct_start', 0, 1, false, false);
    requirePositive(p, context, 'max_lr', 'a learning rate');
    requirePositive(p, context, 'div_factor', 'torch divides max_lr by it');
    requirePositive(p, context, 'final_div_factor', 'torch divides by it');
    if (issues.issues.length > 0) return;
    const total =
      (p.total_steps as number | undefined) ?? (p.epochs as number) * (p.steps_per_epoch as number);
    const firstEnd = (p.pct_start as number) * total - 1;
    const ends = p.three_phase
      ? [firstEnd, 2 * (p.pct_start as number) * total - 2, total - 1]
      : [firstEnd, total - 1];
    for (let index = 0; index < ends.length; index++) {
      const start = index === 0 ? 0 : (ends[index - 1] as number);
      if (!((ends[index] as number) > start)) {
        issues.addRule(
          'pct_start',
          `pct_start (${p.pct_start}) with total_steps ${total} gives phase ${index + 1} the steps [${start}, ${ends[index]}], which is empty: torch divides by its length`,
          'phases of positive length',
          p.pct_start,
        );
        return;
      }
    }
  },
  build: (p) => {
    const total =
      (p.total_steps as number | undefined) ?? (p.epochs as number) * (p.steps_per_epoch as number);
    const maxLr = p.max_lr as number;
    const initial = maxLr / (p.div_factor as number);
    const min = initial / (p.final_div_factor as number);
    const pct = p.pct_start as number;
    // torch's phase ends: float(pct_start * total_steps) - 1, float(2 * pct_start * total_steps) - 2, total_steps - 1.
    const points = p.three_phase
      ? [
          [0, initial],
          [pct * total - 1, maxLr],
          [2 * pct * total - 2, initial],
          [total - 1, min],
        ]
      : [
          [0, initial],
          [pct * total - 1, maxLr],
          [total - 1, min],
        ];
    const cosine = p.anneal_strategy === 'cos';
    const [lastStart, lastFrom] = points[points.length - 2] as [number, number];
    const lastLength = total - 1 - lastStart;
    // torch allows one step() past the end: at step total_steps the last phase runs on to
    // pct = (total_steps - start) / (end - start) > 1.
    const overshootPct = (total - lastStart) / lastLength;
    const overshoot = cosine
      ? min + ((lastFrom - min) / 2) * (Math.cos(Math.PI * overshootPct) + 1)
      : (min - lastFrom) * overshootPct + lastFrom;
    // The linear variant goes below zero there when (from - min) / length > min; a learning rate
    // cannot be negative, so that one step is 0 (documented in docs/migration/pytorch.md).
    const atTotal = Math.max(overshoot, 0);
    const extra: ScheduleConfig = cosine
      ? { type: 'offset', offsetSteps: lastLength, schedule: cosineWaveConfig(lastFrom, min, lastLength) }
      : { type: 'linear', initialValue: min, finalValue: atTotal, transitionSteps: 1 };
    return {
      type: 'join',
      segments: [
        {
          schedule: {
            type: 'piecewiseInterpolate',
            boundaries: points.map((point) => point[0] as number),
            values: points.map((point) => point[1] as number),
            interpolation: cosine ? 'cosine' : 'linear',
          },
          steps: total - 1,
        },
        { schedule: extra, steps: 1 },
        { schedule: constantConfig(atTotal) },
      ],
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Composites

const chainable = [
  'StepLR',
  'MultiStepLR',
  'ConstantLR',
  'LinearLR',
  'ExponentialLR',
  'PolynomialLR',
  'MultiplicativeLR',
];
const sequentialChildren = [
  ...chainable,
  'CosineAnnealingLR',
  'CosineAnnealingWarmRestarts',
  'CyclicLR',
  'OneCycleLR',
];

/**
 * The optimizer's `initial_lr` after constructing a child: `OneCycleLR` overwrites it with
 * max_lr / div_factor; `CyclicLR`, when it is the first scheduler, sets it to its base_lr.
 */
function initialLrAfter(name: string, child: ParamValues, current: number, first: boolean): number {
  if (name === 'OneCycleLR') return (child.max_lr as number) / (child.div_factor as number);
  if (name === 'CyclicLR' && first) return child.base_lr as number;
  return current;
}

const SequentialLRApi: ReferenceApi = {
  api: `${prefix}SequentialLR`,
  library: 'pytorch',
  shortNames: ['SequentialLR'],
  baseLr: 'required',
  summary:
    'join (each child on a local step; the children after the first start from their closed form, as step(0))',
  params: { schedulers: { kind: 'objectArray' }, milestones: { kind: 'numberArray' }, ...common },
  check: (p, context) => {
    requireFreshScheduler(p, context);
    const schedulers = p.schedulers as unknown[];
    const milestones = p.milestones as number[];
    if (schedulers.length === 0) context.issues.add('schedulers', 'a non-empty array', schedulers);
    if (milestones.length !== schedulers.length - 1) {
      context.issues.addRule(
        'milestones',
        `Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`,
        `${Math.max(schedulers.length - 1, 0)} milestones`,
        milestones,
      );
    }
    milestones.forEach((milestone, index) => {
      const previous = index === 0 ? 0 : (milestones[index - 1] as number);
      if (!(Number.isInteger(milestone) && milestone > previous)) {
        context.issues.add(
          `milestones[${index}]`,
          `an integer > ${previous} (torch bisects sorted milestones; anneal needs them strictly increasing and positive)`,
          milestone,
        );
      }
    });
    // Report the children's issues together with the composite's own.
    schedulers.forEach((child, index) => {
      buildChild('pytorch', child, `schedulers[${index}]`, context, {
        baseLr: base(context),
        allowed: sequentialChildren,
        extra: { closedFormStart: index > 0 },
      });
    });
  },
  build: (p, context) => {
    const schedulers = p.schedulers as unknown[];
    const milestones = p.milestones as number[];
    let initialLr = base(context);
    const segments: { schedule: ScheduleConfig; steps?: number }[] = [];
    schedulers.forEach((child, index) => {
      const built = buildChild('pytorch', child, `schedulers[${index}]`, context, {
        baseLr: initialLr,
        allowed: sequentialChildren,
        extra: { closedFormStart: index > 0 },
      });
      if (built) {
        initialLr = initialLrAfter(
          built.definition.shortNames?.[0] ?? '',
          built.params,
          initialLr,
          index === 0,
        );
      }
      if (built?.config) {
        const steps =
          index < milestones.length
            ? (milestones[index] as number) - (index === 0 ? 0 : (milestones[index - 1] as number))
            : undefined;
        segments.push(steps === undefined ? { schedule: built.config } : { schedule: built.config, steps });
      }
    });
    if (segments.length === 1) return (segments[0] as { schedule: ScheduleConfig }).schedule;
    return { type: 'join', segments };
  },
};

const ChainedSchedulerApi: ReferenceApi = {
  api: `${prefix}ChainedScheduler`,
  library: 'pytorch',
  shortNames: ['ChainedScheduler'],
  baseLr: 'required',
  summary: "scale (the product of the children's factors: torch chains their recursive forms)",
  params: { schedulers: { kind: 'objectArray' } },
  check: (p, context) => {
    if ((p.schedulers as unknown[]).length === 0)
      context.issues.add('schedulers', 'a non-empty array', p.schedulers);
    (p.schedulers as unknown[]).forEach((child, index) => {
      buildChild('pytorch', child, `schedulers[${index}]`, context, {
        baseLr: base(context),
        allowed: chainable,
      });
    });
  },
  build: (p, context) => {
    const schedulers = p.schedulers as unknown[];
    // Each chainable child multiplies the lr by its own factor at every step, so the chain is
    // base_lr times the product of the children's factors; the first child carries base_lr.
    let product: ScheduleConfig | undefined;
    schedulers.forEach((child, index) => {
      const built = buildChild('pytorch', child, `schedulers[${index}]`, context, {
        baseLr: index === 0 ? base(context) : 1,
        allowed: chainable,
      });
      if (!built?.config) return;
      product =
        product === undefined ? built.config : { type: 'scale', schedule: product, factor: built.config };
    });
    // Growing children (gamma > 1) are each bounded at Number.MAX_VALUE; their product is not.
    const bound = product === undefined ? 0 : supremumOfConfig(product);
    if (bound !== undefined && !(bound <= Number.MAX_VALUE)) {
      context.issues.addRule(
        'schedulers',
        "the schedulers' factors multiply past any float64: torch multiplies the learning rate by every scheduler's factor at each step, and with growing factors (gamma > 1) the largest values multiply past Number.MAX_VALUE, where torch's chained learning rate turns to inf (each growing factor alone is bounded at Number.MAX_VALUE, their product is not)",
        'schedulers whose largest factors multiply to at most Number.MAX_VALUE',
        schedulers,
      );
    }
    return product ?? constantConfig(base(context));
  },
};

const ReduceLROnPlateauApi: ReferenceApi = {
  api: `${prefix}ReduceLROnPlateau`,
  library: 'pytorch',
  shortNames: ['ReduceLROnPlateau'],
  baseLr: 'required',
  summary: 'reduceOnPlateau (a controller driven by report(metric))',
  params: {
    mode: { kind: 'enum', values: ['min', 'max'], default: 'min' },
    factor: { kind: 'number', default: 0.1 },
    patience: { kind: 'number', integer: true, default: 10 },
    threshold: { kind: 'number', default: 1e-4 },
    threshold_mode: { kind: 'enum', values: ['rel', 'abs'], default: 'rel' },
    cooldown: { kind: 'number', integer: true, default: 0 },
    min_lr: { kind: 'number', default: 0 },
    eps: { kind: 'number', default: 1e-8 },
    verbose: { kind: 'boolean', default: false, description: 'Printing only; no effect on values.' },
  },
  check: (p, context) => {
    if (typeof p.factor === 'number' && p.factor >= 1)
      context.issues.add('factor', '< 1.0 (torch: "Factor should be < 1.0.")', p.factor);
    requirePositive(p, context, 'factor', 'anneal reduces by a positive factor');
    requireNonNegative(p, context, 'patience', 'a count of epochs');
    requireNonNegative(p, context, 'cooldown', 'a count of epochs');
    requireNonNegative(p, context, 'threshold', 'a tolerance');
    requireNonNegative(p, context, 'min_lr', 'a learning rate');
    requireNonNegative(p, context, 'eps', 'a tolerance');
    if (!((context.baseLr as number) > 0))
      context.issues.add('base_lr', '> 0 for a plateau scheduler', context.baseLr);
  },
  build: (p, context) =>
    reduceOnPlateau({
      initialValue: base(context),
      mode: p.mode as 'min' | 'max',
      factor: p.factor as number,
      patience: p.patience as number,
      threshold: p.threshold as number,
      thresholdMode: p.threshold_mode === 'rel' ? 'relative' : 'absolute',
      cooldown: p.cooldown as number,
      minValue: p.min_lr as number,
      minDelta: p.eps as number,
    }),
};

/** The torch APIs, in the order `referenceApis()` lists them. */
export const torchApis: readonly ReferenceApi[] = [
  StepLRApi,
  MultiStepLRApi,
  ConstantLRApi,
  LinearLRApi,
  ExponentialLRApi,
  MultiplicativeLRApi,
  PolynomialLRApi,
  CosineAnnealingLRApi,
  CosineAnnealingWarmRestartsApi,
  CyclicLRApi,
  OneCycleLRApi,
  SequentialLRApi,
  ChainedSchedulerApi,
  ReduceLROnPlateauApi,
];
