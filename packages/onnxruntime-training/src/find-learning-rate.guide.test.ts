/**
 * The ONNX Runtime block of docs/guide/finding-the-learning-rate.md is the region below,
 * verbatim: type-checked with the package, run here, and its statements checked.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// #region guide
import { buildTrainingGraph, createTrainer, initParameters } from '@anneal/onnxruntime-training';
import { describe, expect, it } from 'vitest';

const graph = buildTrainingGraph({
  inputShape: [3],
  layers: [{ type: 'dense', units: 1 }],
  loss: 'meanSquaredError',
  optimizer: { type: 'sgd', momentum: 0.9 },
});
const trainer = await createTrainer({
  model: graph,
  schedule: { type: 'constant', value: 0.01 },
  parameters: initParameters({ graph, seed: 1 }),
});
// 32 batches of 16 rows: y = 0.5·x₀ − x₁ + 2·x₂ (repeated while the sweep needs more)
const batches = Array.from({ length: 32 }, (_, b) => {
  const x = Float32Array.from({ length: 16 * 3 }, (_, i) => Math.sin(48 * b + 1.7 * i));
  const y = Float32Array.from({ length: 16 }, (_, r) => 0.5 * x[3 * r]! - x[3 * r + 1]! + 2 * x[3 * r + 2]!);
  return { x, y };
});
const before = trainer.parameters();
const result = await trainer.findLearningRate(batches, { minValue: 1e-4, maxValue: 10, steps: 150 });
// result.stopReason is 'diverged', result.suggestions.valley.value ≈ 0.024; afterwards
// trainer.parameters() equals before and trainer.currentStep is 0 again
// #endregion guide

describe('docs/guide/finding-the-learning-rate.md (ONNX Runtime)', () => {
  it('shows the region above verbatim', () => {
    const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    const region = /\/\/ #region guide\n([\s\S]*?)\/\/ #endregion guide/.exec(source)![1]!;
    const guide = readFileSync(
      fileURLToPath(new URL('../../../docs/guide/finding-the-learning-rate.md', import.meta.url)),
      'utf8',
    );
    expect(guide).toContain(`\`\`\`ts\n${region}\`\`\``);
  });

  it('does what its comments say', async () => {
    expect(result.stopReason).toBe('diverged');
    expect(trainer.parameters()).toEqual(before);
    expect(trainer.currentStep).toBe(0);
    expect(Math.abs(result.suggestions!.valley.value / 0.024 - 1)).toBeLessThan(0.01);
    await trainer.release();
  });
});
