import { fromConfig } from '../config';
import { defineFamily } from '../family';
import { evaluatorOf, type Schedule, type ScheduleLike } from '../schedule';
import type { IssueCollector } from '../validate';
import { guardFinite, supremumOf } from './supremum';

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
 * A product can overflow where neither factor does, so `scale` reads an upper bound of s (and of g)
 * from its config (`supremum.ts`: the largest value it can take) and refuses a factor whose product
 * with it would exceed Number.MAX_VALUE. A custom function has no config, so no bound: with one,
 * a product that overflows at some step throws `AnnealError` there instead.
 *
 * @example scale({ schedule: cosineDecay(...), factor: 0.5 })
 *
 * Throws `ScheduleConfigError` for an invalid schedule or factor (a negative or non-finite number),
 * or a factor whose product with the schedule's largest value exceeds Number.MAX_VALUE.
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
  check: (o, issues) => checkProduct(o, issues),
  build: ({ schedule, factor }) => {
    const inner = evaluatorOf(schedule);
    const bounded = supremumOf(schedule) !== undefined && boundOf(factor) !== undefined;
    let product: (t: number) => number;
    if (typeof factor === 'number') {
      product = (t) => factor * inner(t);
    } else {
      const other = evaluatorOf(factor);
      product = (t) => inner(t) * other(t);
    }
    return bounded ? product : guardFinite('scale', 'schedule(t) × factor', product);
  },
  phases: ({ schedule }) => [...schedule.phases],
});

/** The largest value of the factor: the number itself, or its schedule's bound (undefined: unknown). */
function boundOf(factor: number | Schedule): number | undefined {
  return typeof factor === 'number' ? factor : supremumOf(factor);
}

/** Records an issue when the largest values of the schedule and the factor multiply past Number.MAX_VALUE. */
function checkProduct({ schedule, factor }: ScaleResolved, issues: IssueCollector): void {
  const valueBound = supremumOf(schedule);
  const factorBound = boundOf(factor);
  if (valueBound === undefined || factorBound === undefined || valueBound === 0 || factorBound === 0) return;
  if (valueBound * factorBound <= Number.MAX_VALUE) return;
  const limit = Number.MAX_VALUE;
  if (typeof factor === 'number') {
    issues.addRule(
      'factor',
      `factor × the largest value of schedule (${valueBound}) must not exceed Number.MAX_VALUE (${limit}): the product would overflow to Infinity`,
      `<= ${limit / valueBound}`,
      factor,
    );
  } else {
    issues.addRule(
      'factor',
      `the largest value of factor (${factorBound}) × the largest value of schedule (${valueBound}) must not exceed Number.MAX_VALUE (${limit}): the product would overflow to Infinity`,
      `a schedule whose values stay <= ${limit / valueBound}`,
      factorBound,
    );
  }
}
