import { fromConfig } from '../config';
import { defineFamily } from '../family';
import { evaluatorOf, type Schedule, type ScheduleLike } from '../schedule';

export interface ScaleOptions {
  /** Schedule to scale. */
  readonly schedule: ScheduleLike;
  /** Constant multiplier, or a schedule: the result is then the product of the two at every step. */
  readonly factor: number | ScheduleLike;
}

interface ScaleResolved {
  readonly schedule: Schedule;
  readonly factor: number | Schedule;
}

/**
 * Multiplies a schedule by a constant or by another schedule, step by step.
 *
 * - factor a number f:    lr(t) = f · s(t)
 * - factor a schedule g:  lr(t) = s(t) · g(t)      (both see the same global step)
 *
 * @example scale({ schedule: cosineDecay(...), factor: 0.5 })
 */
export const scale = defineFamily<ScaleOptions, ScaleResolved>({
  type: 'scale',
  readConfig: (json) => fromConfig(json),
  summary: 'Multiplies a schedule by a constant factor or, step by step, by another schedule.',
  options: {
    schedule: { kind: 'schedule', description: 'Schedule to scale.' },
    factor: {
      kind: 'schedule',
      acceptNumber: true,
      description:
        'Constant multiplier, or a schedule: the result is then the product of the two at every step.',
    },
  },
  build: ({ schedule, factor }) => {
    const inner = evaluatorOf(schedule);
    if (typeof factor === 'number') return (t) => factor * inner(t);
    const other = evaluatorOf(factor);
    return (t) => inner(t) * other(t);
  },
  phases: ({ schedule }) => [...schedule.phases],
});
