import { describe, expect, it } from 'vitest';
import { ChartInputError } from './errors';
import { escapeXml } from './xml';

describe('escapeXml', () => {
  it('writes the five special characters as named or numeric references', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml(`<a href="x">&'</a>`, 'numeric')).toBe(
      '&#60;a href=&#34;x&#34;&#62;&#38;&#39;&#60;/a&#62;',
    );
    expect(escapeXml('plain – text ∞')).toBe('plain – text ∞');
  });
});

describe('ChartInputError', () => {
  it('carries the anneal error marker, so AnnealError.isInstance accepts it without a core import', () => {
    const error = new ChartInputError('renderSvgChart', ['one', 'two']);
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('anneal.error')]).toBe(true);
    expect(ChartInputError.isInstance(error)).toBe(true);
    expect(ChartInputError.isInstance(new Error('x'))).toBe(false);
    expect(error.message).toBe('renderSvgChart: 2 invalid inputs:\n- one\n- two');
    expect(error.issues).toEqual(['one', 'two']);
  });
});
