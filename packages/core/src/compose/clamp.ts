import { fromConfig } from '../config';
import { defineFamily } from '../family';
import { evaluatorOf, type Schedule, type ScheduleLike } from '../schedule';

export interface ClampOptions {
  /** Schedule to clamp. */
  readonly schedule: ScheduleLike;
  /** Lower bound (absolute learning rate); at least one of minValue and maxValue is required. */
  readonly minValue?: number;
  /** Upper bound (absolute learning rate). */
  readonly maxValue?: number;
}

interface ClampResolved {
  readonly schedule: Schedule;
  readonly minValue?: number;
  readonly maxValue?: number;
}

/**
 * Keeps a schedule within [minValue, maxValue].
 *
 * lr(t) = min(max(s(t), minValue), maxValue), with an absent bound left open.
 *
 * @example clamp({ schedule: exponentialDecay(...), minValue: 1e-5 })
 */
export const clamp = defineFamily<ClampOptions, ClampResolved>({
  type: 'clamp',
  readConfig: (json) => fromConfig(json),
  summary: 'Keeps a schedule within [minValue, maxValue].',
  options: {
    schedule: { kind: 'schedule', description: 'Schedule to clamp.' },
    minValue: {
      kind: 'number',
      min: 0,
      optional: true,
      description: 'Lower bound (absolute learning rate); at least one of minValue and maxValue is required.',
    },
    maxValue: {
      kind: 'number',
      min: 0,
      optional: true,
      description: 'Upper bound (absolute learning rate).',
    },
  },
  check: ({ minValue, maxValue }, issues) => {
    if (minValue === undefined && maxValue === undefined) {
      issues.addRule(
        'minValue',
        'clamp needs minValue, maxValue or both',
        'minValue and/or maxValue',
        undefined,
      );
    }
    if (minValue !== undefined && maxValue !== undefined && minValue > maxValue) {
      issues.addRule(
        'minValue',
        `minValue must not exceed maxValue (${maxValue})`,
        `<= ${maxValue}`,
        minValue,
      );
    }
  },
  build: ({ schedule, minValue, maxValue }) => {
    const inner = evaluatorOf(schedule);
    const lo = minValue ?? 0;
    const hi = maxValue ?? Number.POSITIVE_INFINITY;
    return (t) => {
      const value = inner(t);
      return value < lo ? lo : Math.min(value, hi);
    };
  },
  phases: ({ schedule }) => [...schedule.phases],
});
