/**
 * optax schedules (`optax/schedules/_schedule.py`, `_join.py`), float64 semantics. Values are
 * `schedule(count)`; optax optimizers call it with the update count, 0 for the first update.
 * The schedules do not read an optimizer learning rate (`base_lr` is ignored).
 *
 * optax logs and carries on where it gets a degenerate argument (`transition_steps <= 0` gives a
 * constant schedule, a negative `transition_begin` counts as 0); these builders reproduce those
 * values rather than reject the arguments, since that is what optax computes.
 */
import type { ScheduleConfig } from '../schedule';
import { buildChild } from './apis';
import {
  type BuildContext,
  constantConfig,
  growthBound,
  type ParamSpecs,
  type ParamValues,
  type ReferenceApi,
} from './registry';

/** The steps of a join: native `join` segments from optax boundaries (sorted, later wins at equal). */
function joinConfig(children: readonly ScheduleConfig[], boundaries: readonly number[]): ScheduleConfig {
  const segments: { schedule: ScheduleConfig; steps?: number }[] = [];
  let start = 0;
  children.forEach((child, index) => {
    const end = index < boundaries.length ? (boundaries[index] as number) : Number.POSITIVE_INFINITY;
    // optax: output = where(step < boundary, output, next(step - boundary)); a segment whose
    // boundary does not move past the previous one is never visible.
    if (end <= start) return;
    segments.push(
      end === Number.POSITIVE_INFINITY ? { schedule: child } : { schedule: child, steps: end - start },
    );
    start = end;
  });
  if (segments.length === 1) return (segments[0] as { schedule: ScheduleConfig }).schedule;
  return { type: 'join', segments };
}

function polynomialConfig(
  init: number,
  end: number,
  power: number,
  steps: number,
  begin: number,
): ScheduleConfig {
  if (steps <= 0) return constantConfig(init);
  const transitionBeginSteps = Math.max(begin, 0);
  if (power === 1)
    return {
      type: 'linear',
      initialValue: init,
      finalValue: end,
      transitionSteps: steps,
      transitionBeginSteps,
    };
  return {
    type: 'polynomial',
    initialValue: init,
    finalValue: end,
    decaySteps: steps,
    power,
    transitionBeginSteps,
  };
}

function exponentialConfig(p: ParamValues, init: number): ScheduleConfig {
  const steps = p.transition_steps as number;
  const rate = p.decay_rate as number;
  const end = p.end_value as number | undefined;
  if (steps <= 0 || rate === 0) return constantConfig(init);
  const begin = Math.max(p.transition_begin as number, 0);
  // end_value is a lower bound (max) when decay_rate < 1, an upper bound (min) otherwise; a bound
  // on the wrong side of init_value holds the schedule at end_value from the start.
  if (end !== undefined) {
    if (rate === 1) return constantConfig(Math.min(init, end));
    if (rate < 1 && end >= init) return constantConfig(end);
    if (rate > 1 && end <= init) return constantConfig(end);
  }
  if (rate === 1) return constantConfig(init);
  return {
    type: 'exponentialDecay',
    initialValue: init,
    decaySteps: steps,
    decayFactor: rate,
    staircase: p.staircase as boolean,
    transitionBeginSteps: begin,
    ...(end !== undefined ? { endValue: end } : growthBound(rate)),
  };
}

function cosineConfig(init: number, decaySteps: number, alpha: number, exponent: number): ScheduleConfig {
  return { type: 'cosineDecay', initialValue: init, decaySteps, finalValue: init * alpha, exponent };
}

function warmupCosineConfig(p: ParamValues): ScheduleConfig {
  const init = p.init_value as number;
  const peak = p.peak_value as number;
  const warmup = p.warmup_steps as number;
  const decaySteps = p.decay_steps as number;
  const exponent = p.exponent as number;
  // alpha = end_value / peak_value, or 0 when peak_value is 0 (end_value is then ignored).
  const alpha = peak === 0 ? 0 : (p.end_value as number) / peak;
  if (exponent === 1) {
    // warmup_steps = 0: optax's linear part is never visible (the join switches at step 0).
    return {
      type: 'warmupCosineDecay',
      initialValue: warmup > 0 ? init : 0,
      peakValue: peak,
      warmupSteps: warmup,
      totalSteps: decaySteps,
      finalValue: peak * alpha,
    };
  }
  return joinConfig(
    [polynomialConfig(init, peak, 1, warmup, 0), cosineConfig(peak, decaySteps - warmup, alpha, exponent)],
    [warmup],
  );
}

function requireCosineSteps(context: BuildContext, field: string, steps: number, what = 'decay_steps'): void {
  if (!(steps > 0)) {
    context.issues.addRule(
      field,
      `The cosine_decay_schedule requires positive decay_steps (${what})`,
      '> 0',
      steps,
    );
  }
}

/** Sorted (boundary, scale) pairs of a `boundaries_and_scales` dict. */
function sortedScales(map: Record<string, number> | undefined): [number, number][] {
  if (!map) return [];
  return Object.entries(map)
    .map(([key, scale]) => [Number(key), scale] as [number, number])
    .sort((a, b) => a[0] - b[0]);
}

function checkScales(p: ParamValues, context: BuildContext, name: string, interpolate: boolean): void {
  for (const [boundary, scale] of sortedScales(
    p.boundaries_and_scales as Record<string, number> | undefined,
  )) {
    if (!(scale >= 0)) {
      context.issues.addRule(
        `boundaries_and_scales["${boundary}"]`,
        `\`${name}\` expects non-negative scale factors`,
        '>= 0',
        scale,
      );
    }
    if (interpolate && !(Number.isInteger(boundary) && boundary >= 0)) {
      context.issues.add(
        `boundaries_and_scales key ${boundary}`,
        'a step: an integer >= 0 (optax takes dict[int, float])',
        boundary,
      );
    }
  }
}

function interpolateConfig(kind: string, init: number, pairs: [number, number][]): ScheduleConfig {
  if (pairs.length === 0) return constantConfig(init);
  const boundaries = [0];
  const values = [init];
  let value = init;
  for (const [boundary, scale] of pairs) {
    value *= scale;
    boundaries.push(boundary);
    values.push(value);
  }
  return { type: 'piecewiseInterpolate', boundaries, values, interpolation: kind };
}

/** optax's own check on both onecycle schedules, in its words. */
function requireOnecycleSteps(kind: 'cosine' | 'linear'): (p: ParamValues, context: BuildContext) => void {
  return (p, context) => {
    if (!((p.transition_steps as number) > 0)) {
      context.issues.addRule(
        'transition_steps',
        `A ${kind} onecycle schedule was set with a non-positive \`transition_steps\``,
        '> 0',
        p.transition_steps,
      );
    }
  };
}

const cosineKwargs: ParamSpecs = {
  init_value: { kind: 'number' },
  peak_value: { kind: 'number' },
  warmup_steps: { kind: 'number', integer: true },
  decay_steps: { kind: 'number', integer: true },
  end_value: { kind: 'number', default: 0 },
  exponent: { kind: 'number', default: 1 },
};

const apis: {
  name: string;
  summary: string;
  params: ParamSpecs;
  check?: (p: ParamValues, context: BuildContext) => void;
  build: (p: ParamValues, context: BuildContext) => ScheduleConfig;
}[] = [
  {
    name: 'constant_schedule',
    summary: 'constant',
    params: { value: { kind: 'number' } },
    build: (p) => constantConfig(p.value as number),
  },
  {
    name: 'linear_schedule',
    summary: 'linear (constant when transition_steps <= 0)',
    params: {
      init_value: { kind: 'number' },
      end_value: { kind: 'number' },
      transition_steps: { kind: 'number' },
      transition_begin: { kind: 'number', default: 0 },
    },
    build: (p) =>
      polynomialConfig(
        p.init_value as number,
        p.end_value as number,
        1,
        p.transition_steps as number,
        p.transition_begin as number,
      ),
  },
  {
    name: 'polynomial_schedule',
    summary: 'polynomial (constant when transition_steps <= 0)',
    params: {
      init_value: { kind: 'number' },
      end_value: { kind: 'number' },
      power: { kind: 'number' },
      transition_steps: { kind: 'number' },
      transition_begin: { kind: 'number', default: 0 },
    },
    build: (p) =>
      polynomialConfig(
        p.init_value as number,
        p.end_value as number,
        p.power as number,
        p.transition_steps as number,
        p.transition_begin as number,
      ),
  },
  {
    name: 'exponential_decay',
    summary: 'exponentialDecay (staircase, transitionBeginSteps, endValue)',
    params: {
      init_value: { kind: 'number' },
      transition_steps: { kind: 'number' },
      decay_rate: { kind: 'number' },
      transition_begin: { kind: 'number', default: 0 },
      staircase: { kind: 'boolean', default: false },
      end_value: { kind: 'number', optional: true },
    },
    build: (p) => exponentialConfig(p, p.init_value as number),
  },
  {
    name: 'cosine_decay_schedule',
    summary: 'cosineDecay (finalValue = alpha · init_value)',
    params: {
      init_value: { kind: 'number' },
      decay_steps: { kind: 'number' },
      alpha: { kind: 'number', default: 0 },
      exponent: { kind: 'number', default: 1 },
    },
    check: (p, context) => requireCosineSteps(context, 'decay_steps', p.decay_steps as number),
    build: (p) =>
      cosineConfig(p.init_value as number, p.decay_steps as number, p.alpha as number, p.exponent as number),
  },
  {
    name: 'warmup_cosine_decay_schedule',
    summary:
      'warmupCosineDecay (decay_steps includes the warm-up); join of linear and cosineDecay when exponent != 1',
    params: cosineKwargs,
    check: (p, context) => {
      if (!((p.warmup_steps as number) >= 0)) {
        context.issues.add('warmup_steps', '>= 0 (a number of steps)', p.warmup_steps);
      }
      requireCosineSteps(
        context,
        'decay_steps',
        (p.decay_steps as number) - (p.warmup_steps as number),
        'decay_steps - warmup_steps',
      );
    },
    build: (p) => warmupCosineConfig(p),
  },
  {
    name: 'warmup_exponential_decay_schedule',
    summary: 'join of linear (warm-up) and exponentialDecay',
    params: {
      init_value: { kind: 'number' },
      peak_value: { kind: 'number' },
      warmup_steps: { kind: 'number' },
      transition_steps: { kind: 'number' },
      decay_rate: { kind: 'number' },
      transition_begin: { kind: 'number', default: 0 },
      staircase: { kind: 'boolean', default: false },
      end_value: { kind: 'number', optional: true },
    },
    build: (p) =>
      joinConfig(
        [
          polynomialConfig(p.init_value as number, p.peak_value as number, 1, p.warmup_steps as number, 0),
          exponentialConfig(p, p.peak_value as number),
        ],
        [p.warmup_steps as number],
      ),
  },
  {
    name: 'warmup_constant_schedule',
    summary: 'linear (warm-up to peak_value, then flat)',
    params: {
      init_value: { kind: 'number' },
      peak_value: { kind: 'number' },
      warmup_steps: { kind: 'number' },
    },
    build: (p) =>
      polynomialConfig(p.init_value as number, p.peak_value as number, 1, p.warmup_steps as number, 0),
  },
  {
    name: 'piecewise_constant_schedule',
    summary: 'piecewiseConstant (values = cumulative products of the scales)',
    params: { init_value: { kind: 'number' }, boundaries_and_scales: { kind: 'numberMap', optional: true } },
    check: (p, context) => checkScales(p, context, 'piecewise_constant_schedule', false),
    build: (p) => {
      let value = p.init_value as number;
      const boundaries: number[] = [];
      const values: number[] = [value];
      for (const [boundary, scale] of sortedScales(
        p.boundaries_and_scales as Record<string, number> | undefined,
      )) {
        value = value * scale;
        // A boundary at or below 0 applies from step 0 on.
        if (boundary <= 0) values[values.length - 1] = value;
        else {
          boundaries.push(boundary);
          values.push(value);
        }
      }
      if (boundaries.length === 0) return constantConfig(values[0] as number);
      return { type: 'piecewiseConstant', boundaries, values };
    },
  },
  {
    name: 'piecewise_interpolate_schedule',
    summary: 'piecewiseInterpolate (values = cumulative products of the scales)',
    params: {
      interpolate_type: { kind: 'enum', values: ['linear', 'cosine'] },
      init_value: { kind: 'number' },
      boundaries_and_scales: { kind: 'numberMap', optional: true },
    },
    check: (p, context) => checkScales(p, context, 'piecewise_interpolate_schedule', true),
    build: (p) =>
      interpolateConfig(
        p.interpolate_type as string,
        p.init_value as number,
        sortedScales(p.boundaries_and_scales as Record<string, number> | undefined),
      ),
  },
  {
    name: 'cosine_onecycle_schedule',
    summary: 'piecewiseInterpolate (cosine; boundaries int(pct_start · transition_steps), transition_steps)',
    params: {
      transition_steps: { kind: 'number', integer: true },
      peak_value: { kind: 'number' },
      pct_start: { kind: 'number', default: 0.3 },
      div_factor: { kind: 'number', default: 25 },
      final_div_factor: { kind: 'number', default: 1e4 },
    },
    check: requireOnecycleSteps('cosine'),
    build: (p) => {
      const steps = p.transition_steps as number;
      const div = p.div_factor as number;
      return interpolateConfig(
        'cosine',
        (p.peak_value as number) / div,
        sortedUnique([
          [Math.trunc((p.pct_start as number) * steps), div],
          [steps, 1 / (div * (p.final_div_factor as number))],
        ]),
      );
    },
  },
  {
    name: 'linear_onecycle_schedule',
    summary: 'piecewiseInterpolate (linear; three phases at int(pct_start · T), int(pct_final · T), T)',
    params: {
      transition_steps: { kind: 'number', integer: true },
      peak_value: { kind: 'number' },
      pct_start: { kind: 'number', default: 0.3 },
      pct_final: { kind: 'number', default: 0.85 },
      div_factor: { kind: 'number', default: 25 },
      final_div_factor: { kind: 'number', default: 1e4 },
    },
    check: requireOnecycleSteps('linear'),
    build: (p) => {
      const steps = p.transition_steps as number;
      const div = p.div_factor as number;
      return interpolateConfig(
        'linear',
        (p.peak_value as number) / div,
        sortedUnique([
          [Math.trunc((p.pct_start as number) * steps), div],
          [Math.trunc((p.pct_final as number) * steps), 1 / div],
          [steps, 1 / (p.final_div_factor as number)],
        ]),
      );
    },
  },
];

/** A Python dict literal: a repeated key keeps its position but takes the last value. */
function sortedUnique(pairs: [number, number][]): [number, number][] {
  const map = new Map<number, number>();
  for (const [key, value] of pairs) map.set(key, value);
  return [...map.entries()].sort((a, b) => a[0] - b[0]);
}

const scheduleApis: readonly ReferenceApi[] = apis.map((entry) => ({
  api: `optax.${entry.name}`,
  library: 'optax',
  shortNames: [entry.name],
  baseLr: 'ignored',
  summary: entry.summary,
  params: entry.params,
  ...(entry.check ? { check: entry.check } : {}),
  build: entry.build,
}));

const joinable = [...apis.map((entry) => entry.name), 'join_schedules', 'sgdr_schedule'];

const joinSchedulesApi: ReferenceApi = {
  api: 'optax.join_schedules',
  library: 'optax',
  shortNames: ['join_schedules'],
  baseLr: 'ignored',
  summary: 'join (each schedule sees step - boundary)',
  params: { schedules: { kind: 'objectArray' }, boundaries: { kind: 'numberArray' } },
  check: (p, context) => {
    const schedules = p.schedules as unknown[];
    const boundaries = p.boundaries as number[];
    if (schedules.length === 0) context.issues.add('schedules', 'a non-empty array', schedules);
    if (boundaries.length !== schedules.length - 1) {
      context.issues.addRule(
        'boundaries',
        `boundaries must have one entry fewer than schedules (${Math.max(schedules.length - 1, 0)}): optax silently drops the extra ones`,
        `${Math.max(schedules.length - 1, 0)} boundaries`,
        boundaries.length,
      );
    }
    boundaries.forEach((boundary, index) => {
      const previous = index === 0 ? 0 : (boundaries[index - 1] as number);
      if (!(boundary >= previous)) {
        context.issues.add(
          `boundaries[${index}]`,
          `>= ${previous} (boundaries in increasing order, from 0)`,
          boundary,
        );
      }
    });
    schedules.forEach((child, index) => {
      buildChild('optax', child, `schedules[${index}]`, context, { baseLr: undefined, allowed: joinable });
    });
  },
  build: (p, context) => {
    const children: ScheduleConfig[] = [];
    (p.schedules as unknown[]).forEach((child, index) => {
      const built = buildChild('optax', child, `schedules[${index}]`, context, {
        baseLr: undefined,
        allowed: joinable,
      });
      if (built?.config) children.push(built.config);
    });
    return joinConfig(children, p.boundaries as number[]);
  },
};

const sgdrScheduleApi: ReferenceApi = {
  api: 'optax.sgdr_schedule',
  library: 'optax',
  shortNames: ['sgdr_schedule'],
  baseLr: 'ignored',
  summary: 'join of warmupCosineDecay cycles (each decay_steps long)',
  params: { cosine_kwargs: { kind: 'objectArray' } },
  check: (p, context) => {
    if ((p.cosine_kwargs as unknown[]).length === 0)
      context.issues.add('cosine_kwargs', 'a non-empty array', p.cosine_kwargs);
    (p.cosine_kwargs as unknown[]).forEach((kwargs, index) => {
      const child = { ...(kwargs as Record<string, unknown>), api: 'warmup_cosine_decay_schedule' };
      buildChild('optax', child, `cosine_kwargs[${index}]`, context, { baseLr: undefined });
    });
  },
  build: (p, context) => {
    const children: ScheduleConfig[] = [];
    const boundaries: number[] = [];
    let step = 0;
    (p.cosine_kwargs as unknown[]).forEach((kwargs, index) => {
      const built = buildChild(
        'optax',
        { ...(kwargs as Record<string, unknown>), api: 'warmup_cosine_decay_schedule' },
        `cosine_kwargs[${index}]`,
        context,
        { baseLr: undefined },
      );
      if (!built?.config) return;
      children.push(built.config);
      step += built.params.decay_steps as number;
      boundaries.push(step);
    });
    return joinConfig(children, boundaries.slice(0, -1));
  },
};

/** The optax APIs, in the order `referenceApis()` lists them. */
export const optaxApis: readonly ReferenceApi[] = [...scheduleApis, joinSchedulesApi, sgdrScheduleApi];
