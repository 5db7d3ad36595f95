import { describe, expect, it } from 'vitest';
import page from '../../../docs/plot.md?raw';
import readme from '../README.md?raw';
import * as plot from '../src/index';
import { checkXml } from './check-xml';

const sources = import.meta.glob('../src/*.ts', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

/** Runs the first `ts` block of a page with `@anneal/plot` bound to the sources; returns its variables. */
function runExample(markdown: string, names: readonly string[]): Record<string, unknown> {
  const code = /^```ts\n([\s\S]*?)^```$/m.exec(markdown)?.[1];
  expect(code).toContain("from '@anneal/plot'");
  const body = code!.replace(/^import \{([^}]*)\} from '@anneal\/plot';$/m, 'const {$1} = plot;');
  return new Function('plot', `${body}\nreturn { ${names.join(', ')} };`)(plot) as Record<string, unknown>;
}

describe('the documented examples', () => {
  it('docs/plot.md runs: a file, a terminal chart and an inline log-axis chart', () => {
    const { svg, text, rangeTest } = runExample(page, ['svg', 'text', 'rangeTest']) as Record<string, string>;
    expect(checkXml(svg!).problems).toEqual([]);
    expect(svg).toContain('>warm-up + decay</text>');
    expect(text).toContain('phases: warmup 0–200 · decay 200–∞');
    expect(rangeTest!.startsWith('<svg xmlns="http://www.w3.org/2000/svg" class="chart"')).toBe(true);
    expect(rangeTest).toContain('>valley 1e-2</text>');
    expect(checkXml(rangeTest!).problems).toEqual([]);
  });

  it('the README example runs', () => {
    const { svg, text } = runExample(readme, ['svg', 'text']) as Record<string, string>;
    expect(svg).toContain('>warm-up cosine</text>');
    expect(text).toContain('phases: warmup 0–100 · decay 100–1000');
  });
});

describe('browser safety', () => {
  it('no source file imports a Node built-in or another package', () => {
    const files = Object.entries(sources).filter(([file]) => !file.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const [file, text] of files) {
      const specifiers = [...text.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map(
        (match) => match[1],
      );
      expect(
        specifiers.filter((specifier) => !specifier!.startsWith('./')),
        file,
      ).toEqual([]);
    }
  });
});
