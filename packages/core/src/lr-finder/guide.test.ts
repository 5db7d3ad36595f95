/**
 * The TypeScript block of docs/guide/finding-the-learning-rate.md is the region below, verbatim:
 * type-checked with the package, run here, and its figures checked.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// #region guide
import { createRangeTest } from '@anneal/core';
import { describe, expect, it } from 'vitest';

// Minimise (w − target)² by SGD: the gradient is 2(w − target), so SGD is stable
// for learning rates below 2 / 2 = 1. The target moves each step (noisy batches).
const test = createRangeTest({ minValue: 1e-3, maxValue: 10, steps: 200 });
let w = 0;
for (let step = 0; ; step++) {
  const learningRate = test.learningRate(step);
  const target = 1 + 0.3 * Math.sin(2.1 * step);
  const loss = (w - target) ** 2;
  w -= learningRate * 2 * (w - target);
  if (test.record(step, loss) === 'stop') break;
}
const result = test.result();
// result.stopReason is 'diverged', result.divergenceValue ≈ 1.72 (the bound is 1);
// result.suggestions: valley ≈ 0.093, minimum ≈ 0.15 (0.1 × 1.5), steepest ≈ 0.00277
// #endregion guide

describe('docs/guide/finding-the-learning-rate.md', () => {
  it('shows the region above verbatim', () => {
    const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    const region = /\/\/ #region guide\n([\s\S]*?)\/\/ #endregion guide/.exec(source)![1]!;
    const guide = readFileSync(
      fileURLToPath(new URL('../../../../docs/guide/finding-the-learning-rate.md', import.meta.url)),
      'utf8',
    );
    expect(guide).toContain(`\`\`\`ts\n${region}\`\`\``);
  });

  it('gives the figures its comments state', () => {
    const near = (value: number, stated: number) => expect(Math.abs(value / stated - 1)).toBeLessThan(0.01);
    expect(result.stopReason).toBe('diverged');
    near(result.divergenceValue!, 1.72);
    near(result.suggestions!.valley.value, 0.093);
    near(result.suggestions!.minimum.value, 0.15);
    near(result.suggestions!.steepest.value, 0.00277);
    for (const suggestion of Object.values(result.suggestions!)) expect(suggestion.value).toBeLessThan(1);
  });
});
