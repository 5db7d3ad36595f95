/** The `schedule` option of `createTrainer` and `learningRateFeed`: a schedule, a JSON config, or a plain function of the step. */
import { type Schedule, toSchedule } from '@anneal/core';
import type { IssueList } from './errors';

/** The schedule `value` stands for, or undefined after recording in `issues` why it is none. */
export function readScheduleOption(value: unknown, issues: IssueList): Schedule | undefined {
  try {
    return toSchedule(value);
  } catch (error) {
    issues.add(
      'schedule',
      `a schedule, a schedule config or a function of the step (${(error as Error).message})`,
      value,
    );
    return undefined;
  }
}
