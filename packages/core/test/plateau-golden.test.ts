import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type PlateauOptions, reduceOnPlateau } from '../src/index';

/** Finds ../shared/golden by walking up from this file (the repository sits next to shared/). */
function goldenFile(name: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'shared', 'golden', name);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`golden file ${name} not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

interface PlateauCase {
  readonly id: string;
  readonly api: string;
  readonly params: Record<string, number | string>;
  readonly base_lr: number;
  readonly lr: readonly number[];
  readonly metrics: readonly number[];
}

const golden = JSON.parse(readFileSync(goldenFile('pytorch.json'), 'utf8')) as { cases: PlateauCase[] };
const cases = golden.cases.filter((c) => c.api === 'torch.optim.lr_scheduler.ReduceLROnPlateau');

/** torch's argument names mapped to ours (the torch defaults are ours too). */
function toOptions(c: PlateauCase): PlateauOptions {
  const p = c.params;
  const thresholdMode =
    p.threshold_mode === undefined ? undefined : p.threshold_mode === 'rel' ? 'relative' : 'absolute';
  return {
    initialValue: c.base_lr,
    mode: p.mode as 'min' | 'max' | undefined,
    factor: p.factor as number | undefined,
    patience: p.patience as number | undefined,
    threshold: p.threshold as number | undefined,
    thresholdMode,
    cooldown: p.cooldown as number | undefined,
    minValue: p.min_lr as number | undefined,
    minDelta: p.eps as number | undefined,
  };
}

describe('reduceOnPlateau against torch ReduceLROnPlateau (golden)', () => {
  it('has the golden cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(3);
  });

  it.each(cases.map((c) => [c.id, c] as const))(
    '%s: lr[0] is the initial value, lr[k] follows metrics[k-1] exactly',
    (_id, c) => {
      const plateau = reduceOnPlateau(toOptions(c));
      const values = [plateau.value, ...c.metrics.map((metric) => plateau.report(metric))];
      expect(values).toEqual(c.lr);
    },
  );

  it.each(cases.map((c) => [c.id, c] as const))(
    '%s: as a multiplier (initialValue 1) on a constant base_lr',
    (_id, c) => {
      const options = toOptions(c);
      // minValue stays absolute (it floors the product); minDelta now compares multipliers.
      const minDelta = (options.minDelta ?? 1e-8) / c.base_lr;
      const plateau = reduceOnPlateau({ ...options, initialValue: 1, minDelta });
      const scaled = plateau.applyTo(() => c.base_lr);
      const values = [scaled(0)];
      c.metrics.forEach((metric, k) => {
        plateau.report(metric);
        values.push(scaled(k + 1));
      });
      values.forEach((value, k) => {
        expect(Math.abs(value - c.lr[k]!)).toBeLessThanOrEqual(1e-12 * c.lr[k]!);
      });
    },
  );
});
