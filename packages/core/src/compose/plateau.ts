import { toSchedule } from '../config';
import { AnnealError, formatValue, ScheduleConfigError } from '../errors';
import { custom, evaluatorOf, type Schedule, type ScheduleLike } from '../schedule';
import {
  IssueCollector,
  isPlainObject,
  type OptionSpecs,
  rejectUnknownKeys,
  validateOptions,
} from '../validate';

export interface PlateauOptions {
  /** Learning rate before any reduction (standalone mode). Default 1, so `value === multiplier`. */
  readonly initialValue?: number;
  /** `'min'`: lower metrics are better (a loss); `'max'`: higher are better (an accuracy). Default `'min'`. */
  readonly mode?: 'min' | 'max';
  /** Multiplier applied at each reduction, in (0, 1). Default 0.1. */
  readonly factor?: number;
  /** Reports without improvement tolerated before a reduction: an integer >= 0. Default 10. */
  readonly patience?: number;
  /** Minimum improvement that counts, relative or absolute (see `thresholdMode`): >= 0. Default 1e-4. */
  readonly threshold?: number;
  /** `'relative'`: better than best · (1 ∓ threshold); `'absolute'`: better than best ∓ threshold. Default `'relative'`. */
  readonly thresholdMode?: 'relative' | 'absolute';
  /** Reports after a reduction during which bad reports are not counted: an integer >= 0. Default 0. */
  readonly cooldown?: number;
  /** Floor of the learning rate (absolute value). Default 0. */
  readonly minValue?: number;
  /** A reduction that would lower the value by this much or less is not applied (torch `eps`). Default 1e-8. */
  readonly minDelta?: number;
}

/** The normalized options, every default applied. */
export interface PlateauConfig {
  readonly type: 'reduceOnPlateau';
  readonly initialValue: number;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'relative' | 'absolute';
  readonly cooldown: number;
  readonly minValue: number;
  readonly minDelta: number;
}

/** Everything a controller needs to resume; plain JSON (no Infinity, no NaN). */
export interface PlateauState {
  readonly version: 1;
  /** The options the state was recorded with; `restore` refuses a state recorded with other options. */
  readonly config: PlateauConfig;
  /** Current learning rate (standalone mode). */
  readonly value: number;
  /** Best metric so far, or `null` before the first report. */
  readonly best: number | null;
  /** Reports without improvement since the last improvement or reduction (torch `num_bad_epochs`). */
  readonly badReports: number;
  /** Reports left in the cooldown (torch `cooldown_counter`). */
  readonly cooldownRemaining: number;
  /** Metrics reported so far. */
  readonly reports: number;
  /** Reductions applied so far. */
  readonly reductions: number;
}

export interface PlateauController {
  /** Records one metric (typically at the end of an epoch) and returns the learning rate after it. */
  report(metric: number): number;
  /** Current learning rate in standalone mode (`initialValue · multiplier`). */
  readonly value: number;
  /** Cumulative multiplier so far (`value / initialValue`; 1 before any reduction). */
  readonly multiplier: number;
  /** Number of reductions applied. */
  readonly reductions: number;
  /**
   * A schedule whose value at step t is max(schedule(t) · multiplier, minValue), reading the live
   * multiplier on every call. It has no JSON form: save the schedule's config and `state()` instead.
   */
  applyTo(schedule: ScheduleLike): Schedule;
  /** A JSON-serializable snapshot; `restore(JSON.parse(JSON.stringify(state())))` resumes exactly. */
  state(): PlateauState;
  /** Resumes from a snapshot. Throws `ScheduleConfigError` listing every problem with it. */
  restore(state: PlateauState): void;
  /** The normalized options. */
  readonly config: PlateauConfig;
}

/** Thrown by `PlateauController.report` for a metric that is not a finite number. */
export class InvalidMetricError extends AnnealError {
  override readonly code = 'InvalidMetricError';
  readonly metric: unknown;

  constructor(message: string, metric: unknown) {
    super(message);
    this.name = 'InvalidMetricError';
    this.metric = metric;
  }

  static override isInstance(error: unknown): error is InvalidMetricError {
    return AnnealError.isInstance(error) && error.code === 'InvalidMetricError';
  }
}

const controllerMarker = Symbol.for('anneal.plateauController');

/** The options of `reduceOnPlateau` (and of the adapters' plateau callbacks), one description each. */
export const plateauOptionSpecs = {
  initialValue: {
    kind: 'number',
    min: 0,
    minExclusive: true,
    default: 1,
    description: 'Learning rate before any reduction (standalone mode); 1 makes value === multiplier.',
  },
  mode: {
    kind: 'enum',
    values: ['min', 'max'],
    default: 'min',
    description: "'min': lower metrics are better (a loss); 'max': higher are better (an accuracy).",
  },
  factor: {
    kind: 'number',
    min: 0,
    minExclusive: true,
    max: 1,
    maxExclusive: true,
    default: 0.1,
    description: 'Multiplier applied at each reduction.',
  },
  patience: {
    kind: 'number',
    integer: true,
    min: 0,
    default: 10,
    description: 'Reports without improvement tolerated before a reduction.',
  },
  threshold: {
    kind: 'number',
    min: 0,
    default: 1e-4,
    description: 'Minimum improvement that counts, relative or absolute (see thresholdMode).',
  },
  thresholdMode: {
    kind: 'enum',
    values: ['relative', 'absolute'],
    default: 'relative',
    description: "'relative': better than best · (1 ∓ threshold); 'absolute': better than best ∓ threshold.",
  },
  cooldown: {
    kind: 'number',
    integer: true,
    min: 0,
    default: 0,
    description: 'Reports after a reduction during which bad reports are not counted.',
  },
  minValue: {
    kind: 'number',
    min: 0,
    default: 0,
    description: 'Floor of the learning rate (absolute value).',
  },
  minDelta: {
    kind: 'number',
    min: 0,
    default: 1e-8,
    description: 'A reduction that would lower the value by this much or less is not applied (torch eps).',
  },
} as const satisfies OptionSpecs;

function normalizeOptions(input: unknown): PlateauConfig {
  const issues = new IssueCollector('reduceOnPlateau');
  if (input !== undefined && !isPlainObject(input)) {
    issues.add('', 'an options object', input);
    throw new ScheduleConfigError('reduceOnPlateau', issues.issues);
  }
  const { options } = validateOptions(plateauOptionSpecs, input ?? {}, issues);
  const { initialValue, mode, factor, patience, threshold, thresholdMode, cooldown, minValue, minDelta } =
    options;
  if (issues.ok && (minValue as number) > (initialValue as number)) {
    issues.addRule(
      'minValue',
      `minValue must not exceed initialValue (${initialValue})`,
      `<= ${initialValue}`,
      minValue,
    );
  }
  if (!issues.ok) throw new ScheduleConfigError('reduceOnPlateau', issues.issues);
  return Object.freeze({
    type: 'reduceOnPlateau',
    initialValue,
    mode,
    factor,
    patience,
    threshold,
    thresholdMode,
    cooldown,
    minValue,
    minDelta,
  } as PlateauConfig);
}

/**
 * Metric-driven reduction, with the semantics of PyTorch `ReduceLROnPlateau`:
 *
 * - A report is an improvement when (mode min, relative) metric < best · (1 − threshold),
 *   (min, absolute) metric < best − threshold, (max, relative) metric > best · (1 + threshold),
 *   (max, absolute) metric > best + threshold. The first report always improves.
 * - An improvement sets best and resets the bad-report count; otherwise the count grows by one.
 * - While in cooldown, the cooldown counter goes down by one and bad reports are not counted.
 * - When the bad-report count exceeds `patience`: new = max(value · factor, minValue), applied only
 *   if value − new > minDelta; then the cooldown starts (`cooldown` reports) and the count resets.
 *
 * Standalone, `report(metric)` returns the learning rate; as a multiplier, `applyTo(schedule)` gives
 * max(schedule(t) · multiplier, minValue) with multiplier = value / initialValue (set `initialValue`
 * to the schedule's scale so that `minValue` and `minDelta` act on the same scale).
 *
 * @example
 * const plateau = reduceOnPlateau({ initialValue: 0.1, factor: 0.5, patience: 2 });
 * for (const loss of epochLosses) optimizer.setLearningRate(plateau.report(loss));
 */
export function reduceOnPlateau(options?: PlateauOptions): PlateauController {
  const config = normalizeOptions(options);
  const { initialValue, mode, factor, patience, threshold, thresholdMode, cooldown, minValue, minDelta } =
    config;
  const minimize = mode === 'min';
  const relative = thresholdMode === 'relative';
  let value = initialValue;
  let multiplier = 1;
  let best: number | null = null;
  let badReports = 0;
  let cooldownRemaining = 0;
  let reports = 0;
  let reductions = 0;

  const isBetter = (metric: number, current: number): boolean => {
    if (minimize) return relative ? metric < current * (1 - threshold) : metric < current - threshold;
    return relative ? metric > current * (1 + threshold) : metric > current + threshold;
  };

  const controller: PlateauController = {
    report(metric: number): number {
      if (typeof metric !== 'number' || !Number.isFinite(metric)) {
        throw new InvalidMetricError(
          `reduceOnPlateau: metric must be a finite number; received ${formatValue(metric)} (report ${reports + 1}).`,
          metric,
        );
      }
      reports += 1;
      if (best === null || isBetter(metric, best)) {
        best = metric;
        badReports = 0;
      } else {
        badReports += 1;
      }
      if (cooldownRemaining > 0) {
        cooldownRemaining -= 1;
        badReports = 0;
      }
      if (badReports > patience) {
        const reduced = Math.max(value * factor, minValue);
        if (value - reduced > minDelta) {
          value = reduced;
          multiplier = value / initialValue;
          reductions += 1;
        }
        cooldownRemaining = cooldown;
        badReports = 0;
      }
      return value;
    },
    get value() {
      return value;
    },
    get multiplier() {
      return multiplier;
    },
    get reductions() {
      return reductions;
    },
    applyTo(schedule: ScheduleLike): Schedule {
      const inner = evaluatorOf(toSchedule(schedule));
      const scaled = (t: number) => {
        const product = inner(t) * multiplier;
        return Math.max(product, minValue);
      };
      return custom(scaled, 'reduceOnPlateau');
    },
    state(): PlateauState {
      return { version: 1, config, value, best, badReports, cooldownRemaining, reports, reductions };
    },
    restore(state: PlateauState): void {
      const next = validateState(state, config);
      value = next.value;
      multiplier = value / initialValue;
      best = next.best;
      badReports = next.badReports;
      cooldownRemaining = next.cooldownRemaining;
      reports = next.reports;
      reductions = next.reductions;
    },
    config,
  };
  Object.defineProperty(controller, controllerMarker, { value: true });
  return Object.freeze(controller);
}

function isFiniteAtLeast(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

const stateFields = [
  'version',
  'config',
  'value',
  'best',
  'badReports',
  'cooldownRemaining',
  'reports',
  'reductions',
];

function validateState(input: unknown, config: PlateauConfig): PlateauState {
  const issues = new IssueCollector('reduceOnPlateau.restore');
  if (!isPlainObject(input)) {
    issues.add('state', 'a state object from state()', input);
    throw new ScheduleConfigError('reduceOnPlateau.restore', issues.issues);
  }
  const state = input;
  rejectUnknownKeys(state, stateFields, issues, {
    sentence: (key) => `unknown state field ${JSON.stringify(key)}`,
  });
  if (state.version !== 1) issues.add('version', '1', state.version);
  const saved = state.config;
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) {
    issues.add('config', 'the options object the state was recorded with', saved);
  } else {
    for (const key of ['type', ...Object.keys(plateauOptionSpecs)] as (keyof PlateauConfig)[]) {
      const was = (saved as Record<string, unknown>)[key];
      if (was !== config[key]) {
        issues.addRule(
          `config.${key}`,
          `the state was recorded with ${key} ${formatValue(was)} but this controller has ${formatValue(config[key])} (restore into reduceOnPlateau(state.config) to resume it)`,
          formatValue(config[key]),
          was,
        );
      }
    }
  }
  const { value, best, badReports, cooldownRemaining, reports, reductions } = state;
  if (!(isFiniteAtLeast(value, config.minValue) && value > 0 && value <= config.initialValue)) {
    const range =
      config.minValue > 0 ? `[${config.minValue}, ${config.initialValue}]` : `(0, ${config.initialValue}]`;
    issues.add('value', `a finite number in ${range}`, value);
  }
  if (!(best === null || (typeof best === 'number' && Number.isFinite(best))))
    issues.add('best', 'a finite number or null', best);
  if (!isCount(badReports)) issues.add('badReports', 'an integer >= 0', badReports);
  if (!(isCount(cooldownRemaining) && cooldownRemaining <= config.cooldown)) {
    issues.add('cooldownRemaining', `an integer in [0, ${config.cooldown}]`, cooldownRemaining);
  }
  if (!isCount(reports)) issues.add('reports', 'an integer >= 0', reports);
  if (!(isCount(reductions) && (!isCount(reports) || reductions <= reports))) {
    issues.add('reductions', 'an integer >= 0, at most reports', reductions);
  }
  if (issues.ok && (best === null) !== (reports === 0)) {
    issues.addRule(
      'best',
      'best must be null exactly when no metric was reported (reports = 0)',
      'consistent with reports',
      best,
    );
  }
  if (issues.ok) checkReachable(state as unknown as PlateauState, config, issues);
  if (!issues.ok) throw new ScheduleConfigError('reduceOnPlateau.restore', issues.issues);
  return state as unknown as PlateauState;
}

/** True for a controller made by `reduceOnPlateau` (works across copies of @anneal/core). */
/** Reductions up to this count are replayed exactly when a state is restored; past it, checked against a power. */
const EXACT_REPLAY_LIMIT = 1_000_000;

/**
 * Rules that hold for every state a controller with this config can reach: a report past
 * `patience` reduces and resets the count, so badReports <= patience (and <= reports); a cooldown
 * zeroes it; and the value after r reductions is the r-th of max(v · factor, minValue) from
 * initialValue, each step larger than minDelta (replayed bit for bit, as the controller computes it).
 */
function checkReachable(state: PlateauState, config: PlateauConfig, issues: IssueCollector): void {
  const { value, badReports, cooldownRemaining, reports, reductions } = state;
  const { patience, initialValue, factor, minValue, minDelta } = config;
  if (badReports > Math.min(patience, reports)) {
    issues.addRule(
      'badReports',
      `badReports must not exceed patience (${patience}) or reports (${reports}): a report past patience reduces the value and resets the count`,
      `<= ${Math.min(patience, reports)}`,
      badReports,
    );
  } else if (cooldownRemaining > 0 && badReports !== 0) {
    issues.addRule(
      'badReports',
      `badReports must be 0 during a cooldown (cooldownRemaining ${cooldownRemaining}): the cooldown does not count bad reports`,
      '0',
      badReports,
    );
  }
  let expected = initialValue;
  const replayed = Math.min(reductions, EXACT_REPLAY_LIMIT);
  for (let k = 0; k < replayed; k++) {
    const reduced = Math.max(expected * factor, minValue);
    if (!(expected - reduced > minDelta)) {
      issues.addRule(
        'reductions',
        `reductions must be at most ${k}: after ${k} reductions the value (${expected}) cannot be reduced by more than minDelta (${minDelta})`,
        `<= ${k}`,
        reductions,
      );
      return;
    }
    expected = reduced;
  }
  const exact = reductions <= EXACT_REPLAY_LIMIT;
  if (!exact) expected = Math.max(expected * factor ** (reductions - replayed), minValue);
  const consistent = exact
    ? value === expected
    : Math.abs(value - expected) <= expected * reductions * 2 ** -52;
  if (!consistent) {
    issues.addRule(
      'value',
      `value must be the learning rate after ${reductions} reductions (${expected}), as this config computes it`,
      String(expected),
      value,
    );
  }
}

export function isPlateauController(value: unknown): value is PlateauController {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[controllerMarker] === true
  );
}
