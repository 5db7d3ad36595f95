import { fromConfig } from '../config';
import { ScheduleConfigError } from '../errors';
import { defineFamily } from '../family';
import { evaluatorOf, type Schedule, type ScheduleLike } from '../schedule';
import { IssueCollector } from '../validate';
import { scalePhases } from './phases';

/** `{ warmupEpochs: number, peakValue: number }` → `{ warmupSteps: number, peakValue: number }`. */
export type EpochsToSteps<Options> = {
  [Key in keyof Options as Key extends `${infer Stem}Epochs` ? `${Stem}Steps` : Key]: Options[Key];
};

export interface EpochsToStepsSettings {
  /** Optimizer updates per epoch (batches per epoch): an integer >= 1. */
  readonly stepsPerEpoch: number;
  /**
   * How a fractional step count is rounded: `'round'` (nearest integer, the default), `'floor'`,
   * `'ceil'`, or `'none'` to keep the exact product.
   */
  readonly rounding?: 'round' | 'floor' | 'ceil' | 'none';
}

const roundings = {
  round: Math.round,
  floor: Math.floor,
  ceil: Math.ceil,
  none: (value: number) => value,
} as const;

/**
 * Converts epoch-denominated options to steps: every key ending in `Epochs` (a number or an array
 * of numbers, fractional epochs allowed) is renamed to end in `Steps` and multiplied by
 * `stepsPerEpoch`; other keys are copied unchanged. Throws `ScheduleConfigError` listing every issue
 * (negative or non-finite epochs, a bad `stepsPerEpoch`, a key given both as `…Epochs` and `…Steps`).
 *
 * @example epochsToSteps({ warmupEpochs: 2, totalEpochs: 10 }, { stepsPerEpoch: 391 })
 *   // → { warmupSteps: 782, totalSteps: 3910 }
 */
export function epochsToSteps<Options extends Record<string, unknown>>(
  options: Options,
  settings: EpochsToStepsSettings,
): EpochsToSteps<Options> {
  const issues = new IssueCollector('epochsToSteps');
  const settingsOk = typeof settings === 'object' && settings !== null;
  const stepsPerEpoch = settingsOk ? settings.stepsPerEpoch : undefined;
  const rounding = settingsOk ? (settings.rounding ?? 'round') : 'round';
  if (!settingsOk) issues.add('settings', 'an object { stepsPerEpoch, rounding? }', settings);
  else if (
    !(typeof stepsPerEpoch === 'number' && Number.isSafeInteger(stepsPerEpoch) && stepsPerEpoch >= 1)
  ) {
    issues.add('stepsPerEpoch', 'an integer >= 1', stepsPerEpoch);
  }
  if (settingsOk && !(typeof rounding === 'string' && Object.hasOwn(roundings, rounding))) {
    issues.add('rounding', 'one of "round", "floor", "ceil", "none"', rounding);
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    issues.add('options', 'an options object', options);
    throw new ScheduleConfigError('epochsToSteps', issues.issues);
  }
  const round = roundings[rounding as keyof typeof roundings] ?? Math.round;
  const perEpoch = typeof stepsPerEpoch === 'number' ? stepsPerEpoch : 1;
  const epochOk = (value: unknown): value is number =>
    typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const match = /^(.+)Epochs$/.exec(key);
    if (!match) {
      result[key] = value;
      continue;
    }
    const stepsKey = `${match[1]}Steps`;
    if (stepsKey in options) {
      issues.addRule(
        key,
        `${key} and ${stepsKey} must not both be given`,
        `only one of ${key}, ${stepsKey}`,
        value,
      );
      continue;
    }
    // An epoch count whose steps overflow (epochs × stepsPerEpoch > Number.MAX_VALUE) is refused.
    const toSteps = (epochs: number, path: string): number => {
      const steps = round(epochs * perEpoch);
      if (!(steps < Number.POSITIVE_INFINITY)) {
        issues.addRule(
          path,
          `${path} × stepsPerEpoch (${perEpoch}) must not exceed Number.MAX_VALUE (${Number.MAX_VALUE}): the steps would overflow to Infinity`,
          `<= ${Number.MAX_VALUE / perEpoch}`,
          epochs,
        );
      }
      return steps;
    };
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (!epochOk(item)) issues.add(`${key}[${index}]`, 'a finite number >= 0 (epochs)', item);
      });
      result[stepsKey] = value.map((item, index) =>
        epochOk(item) ? toSteps(item, `${key}[${index}]`) : round((item as number) * perEpoch),
      );
    } else if (epochOk(value)) {
      result[stepsKey] = toSteps(value, key);
    } else {
      issues.add(key, 'a finite number >= 0 (epochs) or an array of them', value);
    }
  }
  if (!issues.ok) throw new ScheduleConfigError('epochsToSteps', issues.issues);
  return result as EpochsToSteps<Options>;
}

export interface EpochScheduleOptions {
  /** Schedule whose step is the epoch index (0 = first epoch), as per-epoch libraries define them. */
  readonly schedule: ScheduleLike;
  /** Optimizer updates per epoch. */
  readonly stepsPerEpoch: number;
}

interface EpochScheduleResolved {
  readonly schedule: Schedule;
  readonly stepsPerEpoch: number;
}

/**
 * Runs a per-epoch schedule on optimizer steps: the learning rate is constant within an epoch.
 *
 * lr(t) = s(⌊t / stepsPerEpoch⌋)
 *
 * Phases of the per-epoch schedule are multiplied by `stepsPerEpoch`.
 *
 * @example epochSchedule({ schedule: stepDecay(...), stepsPerEpoch: 391 })(781) === stepDecay(...)(1)
 */
export const epochSchedule = defineFamily<EpochScheduleOptions, EpochScheduleResolved>({
  type: 'epochSchedule',
  readConfig: (json) => fromConfig(json),
  summary: 'Evaluates a per-epoch schedule at ⌊step / stepsPerEpoch⌋ (constant within each epoch).',
  options: {
    schedule: {
      kind: 'schedule',
      description:
        'Schedule whose step is the epoch index (0 = first epoch), as per-epoch libraries define them.',
    },
    stepsPerEpoch: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Optimizer updates per epoch.',
    },
  },
  build: ({ schedule, stepsPerEpoch }) => {
    const inner = evaluatorOf(schedule);
    // t / stepsPerEpoch overflows for a tiny stepsPerEpoch (or a step near Number.MAX_VALUE); the
    // child is only ever called with a finite step, so the epoch stops at Number.MAX_VALUE.
    return (t) => inner(Math.min(Math.floor(t / stepsPerEpoch), Number.MAX_VALUE));
  },
  phases: ({ schedule, stepsPerEpoch }) => scalePhases(schedule.phases, stepsPerEpoch),
});
