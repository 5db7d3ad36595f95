import { fromConfig } from '../config';
import { defineFamily } from '../family';
import { evaluatorOf, type Schedule, type ScheduleLike } from '../schedule';

export interface OffsetOptions {
  /** Schedule to read ahead. */
  readonly schedule: ScheduleLike;
  /** How far ahead to read: step t gives schedule(t + offsetSteps). */
  readonly offsetSteps: number;
}

interface OffsetResolved {
  readonly schedule: Schedule;
  readonly offsetSteps: number;
}

/**
 * A schedule read `offsetSteps` ahead: lr(t) = s(t + offsetSteps).
 *
 * Useful after `join`, whose segments see a local step: `join` of a warm-up of w steps and
 * `offset({ schedule: s, offsetSteps: w })` continues with s at the *global* step, the way timm
 * overlaps its warm-up with the main curve (`warmup_prefix=False`).
 *
 * Worked example: `offset({ schedule: linear({ initialValue: 1, finalValue: 0, transitionSteps: 10 }),
 * offsetSteps: 5 })(0)` = 0.5.
 *
 * Throws `ScheduleConfigError` for a negative or non-finite `offsetSteps` or an invalid schedule.
 */
export const offset = defineFamily<OffsetOptions, OffsetResolved>({
  type: 'offset',
  readConfig: (json) => fromConfig(json),
  summary: 'A schedule read offsetSteps ahead: lr(t) = schedule(t + offsetSteps).',
  options: {
    schedule: { kind: 'schedule', description: 'Schedule to read ahead.' },
    offsetSteps: {
      kind: 'number',
      min: 0,
      description: 'How far ahead to read: step t gives schedule(t + offsetSteps).',
    },
  },
  build: ({ schedule, offsetSteps }) => {
    const inner = evaluatorOf(schedule);
    if (offsetSteps === 0) return inner;
    // t + offsetSteps can only overflow for steps near Number.MAX_VALUE; keep the argument finite.
    return (t) => inner(Math.min(t + offsetSteps, Number.MAX_VALUE));
  },
  phases: ({ schedule, offsetSteps }) =>
    schedule.phases
      .map((phase) => ({
        name: phase.name,
        start: Math.max(phase.start - offsetSteps, 0),
        end: phase.end - offsetSteps,
      }))
      .filter((phase) => phase.end > phase.start),
});
