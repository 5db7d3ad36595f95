/**
 * Keras 3 `keras.optimizers.schedules` (float64 semantics). Values are `schedule(k)`: Keras
 * optimizers call the schedule with the iteration count, 0 for the first update. The schedules do
 * not read the optimizer's learning rate (`base_lr` is ignored).
 */
import { peakOverflow } from '../families/cycle-restarts';
import {
  type BuildContext,
  growthBound,
  nextUp,
  type ParamValues,
  type ReferenceApi,
  requireNonNegative,
} from './registry';

const prefix = 'keras.optimizers.schedules.';

function requireDecaySteps(p: ParamValues, context: BuildContext, field = 'decay_steps'): void {
  const value = p[field];
  if (typeof value === 'number' && !(value > 0)) {
    context.issues.addRule(field, `Argument \`${field}\` must be > 0`, '> 0', value);
  }
}

const ExponentialDecayApi: ReferenceApi = {
  api: `${prefix}ExponentialDecay`,
  library: 'keras',
  shortNames: ['ExponentialDecay'],
  baseLr: 'ignored',
  summary: 'exponentialDecay',
  params: {
    initial_learning_rate: { kind: 'number' },
    decay_steps: { kind: 'number' },
    decay_rate: { kind: 'number' },
    staircase: { kind: 'boolean', default: false },
    name: {
      kind: 'string',
      optional: true,
      default: 'ExponentialDecay',
      description: 'No effect on values (null or absent: the default).',
    },
  },
  check: (p, context) => {
    requireDecaySteps(p, context);
    requireNonNegative(p, context, 'initial_learning_rate', 'a learning rate');
  },
  build: (p) => ({
    type: 'exponentialDecay',
    initialValue: p.initial_learning_rate as number,
    decaySteps: p.decay_steps as number,
    decayFactor: p.decay_rate as number,
    staircase: p.staircase as boolean,
    ...growthBound(p.decay_rate as number),
  }),
};

const PiecewiseConstantDecayApi: ReferenceApi = {
  api: `${prefix}PiecewiseConstantDecay`,
  library: 'keras',
  shortNames: ['PiecewiseConstantDecay'],
  baseLr: 'ignored',
  summary: 'piecewiseConstant (each boundary moved to the next double: Keras switches just after it)',
  params: {
    boundaries: { kind: 'numberArray' },
    values: { kind: 'numberArray' },
    name: {
      kind: 'string',
      optional: true,
      default: 'PiecewiseConstant',
      description: 'No effect on values (null or absent: the default).',
    },
  },
  check: (p, context) => {
    const boundaries = p.boundaries as number[];
    const values = p.values as number[];
    if (boundaries.length !== values.length - 1) {
      context.issues.addRule(
        'values',
        `The length of boundaries should be 1 less than the length of values (boundaries has ${boundaries.length}, values ${values.length})`,
        `${boundaries.length + 1} values`,
        values.length,
      );
    }
    boundaries.forEach((boundary, index) => {
      const previous = index === 0 ? Number.NEGATIVE_INFINITY : (boundaries[index - 1] as number);
      if (!(boundary >= 0 && boundary > previous)) {
        context.issues.add(
          `boundaries[${index}]`,
          index === 0 ? '>= 0 (a step)' : `> ${previous} (Keras documents strictly increasing boundaries)`,
          boundary,
        );
      }
    });
    values.forEach((value, index) => {
      if (!(value >= 0)) context.issues.add(`values[${index}]`, '>= 0 (a learning rate)', value);
    });
  },
  // Keras gives values[i] for boundaries[i-1] < step <= boundaries[i]: the switch happens just
  // after the boundary. piecewiseConstant switches at its boundary, so the boundary becomes the
  // next double above the Keras one; for every double step the two agree.
  build: (p) => ({
    type: 'piecewiseConstant',
    boundaries: (p.boundaries as number[]).map(nextUp),
    values: [...(p.values as number[])],
  }),
};

const PolynomialDecayApi: ReferenceApi = {
  api: `${prefix}PolynomialDecay`,
  library: 'keras',
  shortNames: ['PolynomialDecay'],
  baseLr: 'ignored',
  summary: 'polynomial',
  params: {
    initial_learning_rate: { kind: 'number' },
    decay_steps: { kind: 'number' },
    end_learning_rate: { kind: 'number', default: 0.0001 },
    power: { kind: 'number', default: 1 },
    cycle: { kind: 'boolean', default: false },
    name: {
      kind: 'string',
      optional: true,
      default: 'PolynomialDecay',
      description: 'No effect on values (null or absent: the default).',
    },
  },
  check: (p, context) => requireDecaySteps(p, context),
  build: (p) => ({
    type: 'polynomial',
    initialValue: p.initial_learning_rate as number,
    finalValue: p.end_learning_rate as number,
    decaySteps: p.decay_steps as number,
    power: p.power as number,
    cycle: p.cycle as boolean,
  }),
};

const InverseTimeDecayApi: ReferenceApi = {
  api: `${prefix}InverseTimeDecay`,
  library: 'keras',
  shortNames: ['InverseTimeDecay'],
  baseLr: 'ignored',
  summary: 'inverseTimeDecay',
  params: {
    initial_learning_rate: { kind: 'number' },
    decay_steps: { kind: 'number' },
    decay_rate: { kind: 'number' },
    staircase: { kind: 'boolean', default: false },
    name: {
      kind: 'string',
      optional: true,
      default: 'InverseTimeDecay',
      description: 'No effect on values (null or absent: the default).',
    },
  },
  check: (p, context) => requireDecaySteps(p, context),
  build: (p) => ({
    type: 'inverseTimeDecay',
    initialValue: p.initial_learning_rate as number,
    decaySteps: p.decay_steps as number,
    decayRate: p.decay_rate as number,
    staircase: p.staircase as boolean,
  }),
};

const CosineDecayApi: ReferenceApi = {
  api: `${prefix}CosineDecay`,
  library: 'keras',
  shortNames: ['CosineDecay'],
  baseLr: 'ignored',
  summary: 'cosineDecay; warmupCosineDecay when warmup_target is set (decay_steps excludes the warm-up)',
  params: {
    initial_learning_rate: { kind: 'number' },
    decay_steps: { kind: 'number' },
    alpha: { kind: 'number', default: 0 },
    name: {
      kind: 'string',
      optional: true,
      default: 'CosineDecay',
      description: 'No effect on values (null or absent: the default).',
    },
    warmup_target: { kind: 'number', optional: true },
    warmup_steps: { kind: 'number', default: 0 },
  },
  check: (p, context) => {
    requireDecaySteps(p, context);
    requireNonNegative(p, context, 'warmup_steps', 'a number of steps');
  },
  build: (p) => {
    const decaySteps = p.decay_steps as number;
    const alpha = p.alpha as number;
    // Without warmup_target, warmup_steps is ignored and the decay starts from initial_learning_rate.
    if (p.warmup_target === undefined) {
      const initial = p.initial_learning_rate as number;
      return { type: 'cosineDecay', initialValue: initial, decaySteps, finalValue: initial * alpha };
    }
    const target = p.warmup_target as number;
    const warmupSteps = p.warmup_steps as number;
    return {
      type: 'warmupCosineDecay',
      initialValue: p.initial_learning_rate as number,
      peakValue: target,
      warmupSteps,
      totalSteps: warmupSteps + decaySteps,
      finalValue: target * alpha,
    };
  },
};

const CosineDecayRestartsApi: ReferenceApi = {
  api: `${prefix}CosineDecayRestarts`,
  library: 'keras',
  shortNames: ['CosineDecayRestarts'],
  baseLr: 'ignored',
  summary:
    'cycleRestarts (decayTarget "height": m_mul does not scale the alpha floor; cycleIndex "logarithm")',
  params: {
    initial_learning_rate: { kind: 'number' },
    first_decay_steps: { kind: 'number' },
    t_mul: { kind: 'number', default: 2 },
    m_mul: { kind: 'number', default: 1 },
    alpha: { kind: 'number', default: 0 },
    name: {
      kind: 'string',
      optional: true,
      default: 'SGDRDecay',
      description: 'No effect on values (null or absent: the default).',
    },
  },
  check: (p, context) => {
    requireDecaySteps(p, context, 'first_decay_steps');
    if (context.issues.ok) checkRestartGrowth(p, context);
  },
  build: (p) => {
    const initial = p.initial_learning_rate as number;
    return {
      type: 'cycleRestarts',
      peakValue: initial,
      minValue: initial * (p.alpha as number),
      firstCycleSteps: p.first_decay_steps as number,
      cycleLengthFactor: p.t_mul as number,
      peakDecayFactor: p.m_mul as number,
      decayTarget: 'height',
      cycleIndex: 'logarithm',
    };
  },
};

/**
 * m_mul > 1 multiplies the height of every restart, and CosineDecayRestarts never stops restarting:
 * refused where the height overflows (Keras returns inf) at a cycle some finite step reaches. With
 * t_mul > 1 the cycles lengthen fast enough that a slow growth (m_mul 1.1, t_mul 2) stays finite.
 */
function checkRestartGrowth(p: ParamValues, context: BuildContext): void {
  const initial = p.initial_learning_rate as number;
  const mMul = p.m_mul as number;
  const tMul = p.t_mul as number;
  const alpha = p.alpha as number;
  // Other values are refused by cycleRestarts itself, in its own words.
  if (!(initial >= 0 && alpha >= 0 && alpha <= 1 && tMul >= 1 && mMul > 1)) return;
  const overflow = peakOverflow({
    peakValue: initial,
    minValue: initial * alpha,
    peakDecayFactor: mMul,
    decayTarget: 'height',
    firstCycleSteps: p.first_decay_steps as number,
    cycleLengthFactor: tMul,
    cycleLimit: undefined,
  });
  if (!overflow) return;
  context.issues.addRule(
    'm_mul',
    `m_mul ${mMul} (> 1) multiplies the learning rate's height every restart, and CosineDecayRestarts never stops restarting: the height exceeds any float64 from cycle ${overflow.cycle} on (Keras returns inf there), which steps up to ${Number.MAX_VALUE} reach (about cycle ${overflow.lastReached})`,
    `an m_mul whose growth stays finite over ${overflow.lastReached} cycles (any m_mul <= 1)`,
    mMul,
  );
}

/** The keras APIs, in the order `referenceApis()` lists them. */
export const kerasApis: readonly ReferenceApi[] = [
  ExponentialDecayApi,
  PiecewiseConstantDecayApi,
  PolynomialDecayApi,
  InverseTimeDecayApi,
  CosineDecayApi,
  CosineDecayRestartsApi,
];
