/**
 * Code in docs is type-checked and run: every example in examples/ is compiled by the package's
 * tsc run, embedded verbatim in the README or docs/adapters/tfjs.md (checked here), and run here —
 * those in examples/browser/ in Chromium, by browser.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { useBackend } from './backend';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const examplesDir = join(packageDir, 'examples');
const docs = [join(packageDir, 'README.md'), join(packageDir, '../../docs/adapters/tfjs.md')];
const markdown = docs.map((file) => readFileSync(file, 'utf8')).join('\n');
const tsBlocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.ts'));
const browserExamples = readdirSync(join(examplesDir, 'browser')).map((file) => join('browser', file));

describe('docs examples', () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  beforeAll(async () => {
    await useBackend('cpu');
  });
  afterAll(() => log.mockRestore());

  test('every TypeScript block in the docs is one of the examples, verbatim', () => {
    const sources = [...examples, ...browserExamples].map((file) =>
      readFileSync(join(examplesDir, file), 'utf8'),
    );
    expect(tsBlocks.length).toBeGreaterThanOrEqual(sources.length);
    for (const block of tsBlocks) expect(sources).toContain(block);
    for (const source of sources) expect(tsBlocks).toContain(source);
  });

  for (const file of examples) {
    test(`${file} runs`, async () => {
      await import(join(examplesDir, file));
      expect(log).toHaveBeenCalled();
    });
  }
});
