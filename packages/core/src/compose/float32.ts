import { fromConfig } from '../config';
import { defineFamily } from '../family';
import { evaluatorOf, type Schedule, type ScheduleLike } from '../schedule';
import { shiftPhases } from './phases';

export interface Float32Options {
  /** Schedule whose values are rounded to float32. */
  readonly schedule: ScheduleLike;
}

/**
 * A schedule's values rounded to the nearest float32 (`Math.fround`): what a host that stores the
 * learning rate in a float32 variable (Keras 2 optimizers, tfjs) actually uses.
 *
 * lr(t) = fround(s(t))
 *
 * Worked example: `float32({ schedule: constant({ value: 0.1 }) })(0)` = 0.10000000149011612.
 *
 * Throws `ScheduleConfigError` for an invalid schedule.
 */
export const float32 = defineFamily<Float32Options, { readonly schedule: Schedule }>({
  type: 'float32',
  readConfig: (json) => fromConfig(json),
  summary:
    "A schedule's values rounded to the nearest float32, as a float32 learning-rate variable stores them.",
  options: {
    schedule: { kind: 'schedule', description: 'Schedule whose values are rounded to float32.' },
  },
  build: ({ schedule }) => {
    const inner = evaluatorOf(schedule);
    return (t) => Math.fround(inner(t));
  },
  phases: ({ schedule }) => shiftPhases(schedule.phases, 0, Number.POSITIVE_INFINITY, 'float32'),
});
