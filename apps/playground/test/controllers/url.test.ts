import { describe, expect, it } from 'vitest';
import { configTextBeyondLink, maxFollowedConfigText } from '../../src/controllers/url';
import { defaultState } from '../../src/state';
import { heavyState } from '../helpers/heavy';

describe('which states the URL follows', () => {
  it('follows configs up to maxFollowedConfigText characters, all series together', () => {
    expect(configTextBeyondLink(defaultState())).toBeUndefined();
    const text = 'x'.repeat(maxFollowedConfigText / 2);
    const series = { name: 'a', color: '#2563eb', text };
    expect(configTextBeyondLink({ ...defaultState(), series: [series, series] })).toBeUndefined();
    expect(
      configTextBeyondLink({ ...defaultState(), series: [series, series, { ...series, text: 'y' }] }),
    ).toBe(maxFollowedConfigText + 1);
  });

  it('does not follow four 3,000-segment joins (over two million characters)', () => {
    const heavy = heavyState();
    expect(configTextBeyondLink(heavy)).toBe(heavy.series.reduce((sum, s) => sum + s.text.length, 0));
    expect(configTextBeyondLink(heavy)).toBeGreaterThan(2_000_000);
  });
});
