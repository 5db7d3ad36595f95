/**
 * Code in docs is type-checked and run: every example in test/examples/ is compiled by the package's
 * tsc run (it imports '@anneal/core' by name), embedded verbatim in packages/core/README.md or
 * docs/guide/getting-started.md (checked here), and run here with its printed lines checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const packageDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const examplesDir = path.join(packageDir, 'test', 'examples');
const docs = [
  path.join(packageDir, 'README.md'),
  path.join(packageDir, '../../docs/guide/getting-started.md'),
];
const markdown = docs.map((file) => readFileSync(file, 'utf8')).join('\n');
const tsBlocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.ts'));

/** What each example prints (one entry per console.log call, arguments joined by spaces). */
const expectedOutput: Record<string, string[]> = {
  'quick-start.ts': ['0 0.001 0.00001', 'true'],
  'json-configs.ts': [
    '0.05 0.1',
    'join',
    'warmupCosineDecay: unknown option "holdStep" (expected one of peakValue, totalSteps, warmupSteps, holdSteps, initialValue, finalValue); received 5.',
    'warmupCosineDecay: peakValue must be a finite number >= 0; received -1.',
  ],
  'composition.ts': ['true', 'true', '66'],
  'import-schedule.ts': [
    'timm-args epoch',
    '0.0001 0.09755307053217621',
    '0.09755307053217621 epochSchedule',
  ],
  'plateau.ts': ['0.1', '0.1', '0.1', '0.1', '0.05', '0.001', '0.0005', '0.5'],
};

describe('docs examples', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('every TypeScript block in the README and the guide is one of the examples, verbatim, and back', () => {
    const sources = examples.map((file) => readFileSync(path.join(examplesDir, file), 'utf8'));
    for (const block of tsBlocks) expect(sources).toContain(block);
    for (const source of sources) expect(tsBlocks).toContain(source);
    expect(Object.keys(expectedOutput).sort()).toEqual([...examples].sort());
  });

  it.each(examples)('%s runs and prints what its comments say', async (file) => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    await import(path.join(examplesDir, file));
    expect(lines).toEqual(expectedOutput[file]);
  });
});
