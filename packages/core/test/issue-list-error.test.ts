import { describe, expect, it } from 'vitest';
import {
  AnnealError,
  fromConfig,
  IssueListError,
  RangeTestConfigError,
  ScheduleConfigError,
} from '../src/index';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('IssueListError', () => {
  it('is the common base of the issue-listing errors, each keeping its own isInstance', () => {
    const config = thrown(() => fromConfig({ type: 'constant', value: -1 }));
    const range = new RangeTestConfigError('createRangeTest', []);
    expect(IssueListError.isInstance(config)).toBe(true);
    expect(IssueListError.isInstance(range)).toBe(true);
    expect(ScheduleConfigError.isInstance(config)).toBe(true);
    expect(ScheduleConfigError.isInstance(range)).toBe(false);
    expect(RangeTestConfigError.isInstance(config)).toBe(false);
    expect(IssueListError.isInstance(new AnnealError('plain'))).toBe(false);
  });

  it('uses the single issue as the message, or lists several under a count', () => {
    const issue = (path: string) => ({
      path,
      expected: 'x',
      received: 1,
      message: `b: ${path} must be x; received 1.`,
    });
    expect(new ScheduleConfigError('b', [issue('a')]).message).toBe('b: a must be x; received 1.');
    expect(new ScheduleConfigError('b', [issue('a'), issue('c')]).message).toBe(
      'b: 2 invalid options:\n- b: a must be x; received 1.\n- b: c must be x; received 1.',
    );
    expect(new IssueListError('b', [issue('a'), issue('c')], 'problems').message.split('\n')[0]).toBe(
      'b: 2 problems:',
    );
  });
});
