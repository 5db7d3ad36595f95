import { describe, expect, it } from 'vitest';
import { issuesHeading } from '../../src/controllers/issues';

describe('the issues heading', () => {
  it('counts the issues', () => {
    expect(issuesHeading(1)).toBe('One issue — this schedule is not drawn until they are fixed:');
    expect(issuesHeading(3)).toBe('3 issues — this schedule is not drawn until they are fixed:');
  });
});
