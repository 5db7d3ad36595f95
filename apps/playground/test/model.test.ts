import { fromConfig, listFamilies, warmupCosineDecay } from '@anneal/core';
import { referenceApis } from '@anneal/core/reference';
import { describe, expect, it } from 'vitest';
import { buildSeries, naturalEnd } from '../src/model';
import { referenceExamples, starterConfig } from '../src/presets';
import { describeBounds, findFamily, unitOf } from '../src/specs';
import { formatConfig } from '../src/state';

const series = (config: unknown, text = formatConfig(config)) => ({ name: 'a', color: '#2563eb', text });

describe('starter configs', () => {
  it.each(listFamilies().map((family) => family.type))('%s starts with a config that builds', (type) => {
    const config = starterConfig(type);
    expect(config.type).toBe(type);
    expect(() => fromConfig(config)).not.toThrow();
    // Every required option without a default is set, so each option has a value to show.
    for (const [name, spec] of Object.entries(findFamily(type)!.options)) {
      if (!spec.optional && !('default' in spec && spec.default !== undefined))
        expect(config).toHaveProperty(name);
    }
  });

  it('carries number options over to the family picked next', () => {
    const config = starterConfig('warmupCosineDecay', { type: 'oneCycle', maxValue: 0.1, totalSteps: 5000 });
    expect(config).toEqual({
      type: 'warmupCosineDecay',
      peakValue: 1e-3,
      totalSteps: 5000,
      warmupSteps: 100,
      holdSteps: 100,
      finalValue: 1e-5,
    });
  });

  it('returns just the type for an unknown family (the issues panel names it)', () => {
    expect(starterConfig('nope')).toEqual({ type: 'nope' });
  });
});

describe('reference examples', () => {
  it.each(referenceExamples.map((example) => [example.label, example.config] as const))(
    '%s builds a reference curve and its native equivalent',
    (_label, config) => {
      expect(referenceApis()).toContain(config.api);
      const result = buildSeries(series(config));
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.kind).toBe('reference');
      expect(result.curves.map((curve) => [curve.label, curve.dashed])).toEqual([
        ['a (reference)', false],
        ['a (native)', true],
      ]);
      const [reference, native] = result.curves;
      for (const step of [0, 1, 50, 99, 100, 101, 500, 999, 1000, 2000]) {
        expect(native!.schedule(step)).toBe(reference!.schedule(step));
      }
    },
  );
});

describe('buildSeries', () => {
  it('builds a native config into one curve with its phases and normalized config', () => {
    const config = { type: 'warmupCosineDecay', peakValue: 0.1, totalSteps: 100, warmupSteps: 10 };
    const result = buildSeries(series(config));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const expected = warmupCosineDecay({ peakValue: 0.1, totalSteps: 100, warmupSteps: 10 });
    expect(result.curves).toHaveLength(1);
    expect(result.curves[0]!.schedule(37)).toBe(expected(37));
    expect(result.nativeConfig).toEqual({ ...config, holdSteps: 0, initialValue: 0, finalValue: 0 });
    expect(result.phases.map((phase) => phase.name)).toEqual(['warmup', 'decay', 'final']);
    expect(naturalEnd([result])).toBe(100);
  });

  it.each([
    [
      'a JSON syntax error, with its line and column',
      '{\n  "type": "constant",\n  "value": 1,\n}',
      [{ path: '', message: /^The JSON does not parse \(line 4, column 1\): / }],
    ],
    [
      'a JSON value that is not an object',
      '[1, 2]',
      [
        {
          path: '',
          message:
            'Expected a config object: native { "type": ... } or reference { "api": ..., "params": ... }; received an array.',
        },
      ],
    ],
    [
      'every invalid option of a native config',
      formatConfig({ type: 'warmupCosineDecay', peakValue: -1, totalSteps: 0 }),
      [
        {
          path: 'peakValue',
          message: 'warmupCosineDecay: peakValue must be a finite number >= 0; received -1.',
        },
        {
          path: 'totalSteps',
          message: 'warmupCosineDecay: totalSteps must be a finite number > 0; received 0.',
        },
      ],
    ],
    [
      'an unknown type',
      formatConfig({ type: 'cosine' }),
      [{ path: 'type', message: /^fromConfig: type must be one of "constant", .*; received "cosine"\.$/ }],
    ],
    [
      'a reference config the library would reject',
      formatConfig({
        api: 'torch.optim.lr_scheduler.CosineAnnealingLR',
        params: { T_max: -5 },
        base_lr: 0.1,
      }),
      [{ path: 'params.T_max', message: /T_max/ }],
    ],
    [
      'a metric-driven reference API',
      formatConfig({ api: 'torch.optim.lr_scheduler.ReduceLROnPlateau', params: {}, base_lr: 0.1 }),
      [
        {
          path: 'api',
          message:
            'torch.optim.lr_scheduler.ReduceLROnPlateau is driven by a metric (a plateau controller), so it has no curve to draw before training.',
        },
      ],
    ],
  ])('lists the issues of %s instead of throwing', (_case, text, issues) => {
    const result = buildSeries(series(undefined, text));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(issues.length);
    issues.forEach((issue, index) => {
      expect(result.issues[index]!.path).toBe(issue.path);
      if (typeof issue.message === 'string') expect(result.issues[index]!.message).toBe(issue.message);
      else expect(result.issues[index]!.message).toMatch(issue.message);
    });
  });

  it('maps a torch config to a native config whose curve is the closed form torch computes', () => {
    const config = {
      api: 'torch.optim.lr_scheduler.CosineAnnealingLR',
      params: { T_max: 10, eta_min: 0.01 },
      base_lr: 0.1,
    };
    const result = buildSeries(series(config));
    if (!result.ok) throw new Error('expected a valid reference config');
    expect(result.input).toEqual(config);
    expect(result.nativeConfig).not.toHaveProperty('api');
    const native = fromConfig(result.nativeConfig);
    // CosineAnnealingLR: eta_min + (base_lr − eta_min) · (1 + cos(π k / T_max)) / 2, periodic past T_max.
    for (let step = 0; step <= 35; step++) {
      const expected = 0.01 + (0.1 - 0.01) * (0.5 * (1 + Math.cos((Math.PI * step) / 10)));
      expect(Math.abs(native(step) - expected)).toBeLessThanOrEqual(1e-12 * expected);
    }
  });
});

describe('units and bounds from option names and specs', () => {
  it.each([
    ['warmupSteps', 'steps'],
    ['milestones', 'steps'],
    ['startStep', 'step'],
    ['peakValue', 'lr'],
    ['value', 'lr'],
    ['decayFactor', '×'],
    ['warmupFraction', 'fraction'],
    ['timeoutMs', 'ms'],
    ['power', undefined],
  ])('%s → %s', (name, unit) => {
    expect(unitOf(name)).toBe(unit);
  });

  it('describes bounds as the specs declare them', () => {
    expect(describeBounds({ kind: 'number', min: 0, description: '' })).toBe('>= 0');
    expect(describeBounds({ kind: 'number', min: 0, minExclusive: true, max: 1, description: '' })).toBe(
      'in (0, 1]',
    );
    expect(describeBounds({ kind: 'number', integer: true, min: 1, description: '' })).toBe('integer >= 1');
    expect(describeBounds({ kind: 'boolean', description: '' })).toBe('');
  });
});
