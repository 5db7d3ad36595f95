import { fromConfig } from '../config';
import { FLOAT32_MAX } from '../families/shared';
import { defineFamily } from '../family';
import { evaluatorOf, type Schedule, type ScheduleLike } from '../schedule';
import { shiftPhases } from './phases';
import { guardFinite, supremumOf } from './supremum';

/** The smallest double `Math.fround` rounds to Infinity: 2^128 − 2^103, half a float32 ulp past the largest float32. */
const FLOAT32_OVERFLOW = 2 ** 128 - 2 ** 103;

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
 * A float32 holds nothing above 3.4028234663852886e38 (`FLOAT32_MAX`): values from 2^128 − 2^103 up
 * round to Infinity. The schedule's largest value is read from its config (`supremum.ts`) and must
 * stay below that; a custom function has no config, so with one a value that rounds to Infinity
 * throws `AnnealError` at that step instead.
 *
 * Throws `ScheduleConfigError` for an invalid schedule, or one whose largest value rounds to
 * Infinity in float32.
 */
export const float32 = defineFamily<Float32Options, { readonly schedule: Schedule }>({
  type: 'float32',
  readConfig: (json) => fromConfig(json),
  summary:
    "A schedule's values rounded to the nearest float32, as a float32 learning-rate variable stores them.",
  options: {
    schedule: { kind: 'schedule', description: 'Schedule whose values are rounded to float32.' },
  },
  check: ({ schedule }, issues) => {
    const bound = supremumOf(schedule);
    if (bound !== undefined && !(bound < FLOAT32_OVERFLOW)) {
      issues.addRule(
        'schedule',
        `the largest value of schedule must be below ${FLOAT32_OVERFLOW}, where float32 rounding gives Infinity (the largest float32 is ${FLOAT32_MAX})`,
        `< ${FLOAT32_OVERFLOW}`,
        bound,
      );
    }
  },
  build: ({ schedule }) => {
    const inner = evaluatorOf(schedule);
    const rounded = (t: number) => Math.fround(inner(t));
    return supremumOf(schedule) === undefined
      ? guardFinite('float32', 'fround(schedule(t))', rounded)
      : rounded;
  },
  phases: ({ schedule }) => shiftPhases(schedule.phases, 0, Number.POSITIVE_INFINITY, 'float32'),
});
