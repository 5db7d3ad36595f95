import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlateauController, type PlateauController } from '../compose/plateau';
import { fromConfig, toConfig } from '../config';
import { getFamily } from '../registry';
import type { Schedule } from '../schedule';
import { goldenFileNames, readGolden } from './golden.test-utils';
import { evaluateReferenceCase, fromAnyConfig, fromReference, referenceApis, toAnySchedule } from './index';

const T = 'torch.optim.lr_scheduler.';

function schedule(config: Record<string, unknown>): Schedule {
  const built = fromReference(config);
  if (isPlateauController(built)) throw new Error('expected a schedule');
  return built;
}

function controller(config: Record<string, unknown>): PlateauController {
  const built = fromReference(config);
  if (!isPlateauController(built)) throw new Error('expected a plateau controller');
  return built;
}

function expectClose(actual: number, expected: number, context = ''): void {
  const error = Math.abs(actual - expected);
  if (!(error <= Math.max(1e-12 * Math.abs(expected), 1e-15))) {
    expect.fail(`${context} expected ${expected}, received ${actual}`);
  }
}

/** Every `type` in a native config tree. */
function typesOf(config: unknown, into: string[] = []): string[] {
  if (Array.isArray(config)) for (const item of config) typesOf(item, into);
  else if (typeof config === 'object' && config !== null) {
    const record = config as Record<string, unknown>;
    if (typeof record.type === 'string') into.push(record.type);
    for (const value of Object.values(record)) typesOf(value, into);
  }
  return into;
}

function goldenApis(): string[] {
  return goldenFileNames().flatMap((name) =>
    readGolden<{ cases: { api: string }[] }>(name).cases.map((c) => c.api),
  );
}

describe('referenceApis', () => {
  it('covers every api in the golden files, and MultiplicativeLR', () => {
    const supported = new Set(referenceApis());
    for (const api of goldenApis()) expect(supported.has(api), api).toBe(true);
    expect(supported.has(`${T}MultiplicativeLR`)).toBe(true);
  });
});

describe('fromReference builds native schedules', () => {
  it('toConfig gives a native config (registered families only) that fromConfig rebuilds', () => {
    const s = schedule({
      api: `${T}OneCycleLR`,
      params: { max_lr: 0.1, total_steps: 20, three_phase: true, anneal_strategy: 'linear' },
    });
    const config = toConfig(s);
    expect(config).not.toHaveProperty('api');
    for (const type of typesOf(config)) expect(getFamily(type), type).toBeDefined();
    const again = fromConfig(JSON.parse(JSON.stringify(config)));
    for (let t = 0; t <= 25; t += 0.5) expect(again(t)).toBe(s(t));
  });

  it('fromAnyConfig accepts a reference config', () => {
    const s = fromAnyConfig({ api: `${T}StepLR`, params: { step_size: 3 }, base_lr: 0.1 });
    expect(s(2)).toBe(0.1);
    expectClose(s(3), 0.01);
  });

  it('fromAnyConfig and toAnySchedule read reference configs nested in native composites', () => {
    const config = {
      type: 'scale',
      factor: 2,
      schedule: { api: `${T}StepLR`, params: { step_size: 3 }, base_lr: 0.1 },
    };
    for (const s of [fromAnyConfig(config), toAnySchedule(config)]) {
      expect(s(2)).toBe(0.2);
      expectClose(s(3), 0.02);
      expect(toConfig(s)).toEqual({
        type: 'scale',
        factor: 2,
        schedule: toConfig(fromAnyConfig(config.schedule)),
      });
    }
    const custom = (step: number) => step;
    expect(toAnySchedule(custom)(4)).toBe(4);
  });
});

describe('torch', () => {
  it('CyclicLR triangular2 and exp_range follow torch get_lr', () => {
    for (const [mode, gamma] of [
      ['triangular2', 1],
      ['exp_range', 0.97],
    ] as const) {
      const s = schedule({
        api: `${T}CyclicLR`,
        params: { base_lr: 0.01, max_lr: 0.1, step_size_up: 3, step_size_down: 5, mode, gamma },
      });
      for (let k = 0; k <= 40; k++) {
        // torch: cycle = floor(1 + k / total); x = 1 + k / total - cycle; scale by ratio.
        const total = 8;
        const ratio = 3 / 8;
        const cycle = Math.floor(1 + k / total);
        const x = 1 + k / total - cycle;
        const scale = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
        const fn = mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : gamma ** k;
        expectClose(s(k), 0.01 + 0.09 * scale * fn, `${mode} step ${k}`);
      }
    }
  });

  it('OneCycleLR linear three-phase, including the extra step torch allows (floored at 0 when torch goes negative)', () => {
    const s = schedule({
      api: `${T}OneCycleLR`,
      params: { max_lr: 1, total_steps: 20, pct_start: 0.25, anneal_strategy: 'linear', three_phase: true },
    });
    const initial = 1 / 25;
    const min = initial / 1e4;
    const phases = [
      [0, 4, initial, 1],
      [4, 8, 1, initial],
      [8, 19, initial, min],
    ] as const;
    for (let k = 0; k < 20; k++) {
      const [start, end, from, to] = phases.find(
        ([, e], index) => k <= e || index === 2,
      ) as (typeof phases)[number];
      expectClose(s(k), (to - from) * ((k - start) / (end - start)) + from, `step ${k}`);
    }
    // Step 20: torch extrapolates to min - (initial - min) / 11 < 0.
    expect((min - initial) * (12 / 11) + initial).toBeLessThan(0);
    expect(s(20)).toBe(0);
    expect(s(100)).toBe(0);
  });

  it('CosineAnnealingLR is the periodic cosineDecay, bit for bit, and climbs when eta_min is above base_lr', () => {
    // torch's closed form: eta_min + (base_lr − eta_min) · (1 + cos(π t / T_max)) / 2.
    const torchForm = (base: number, min: number, tMax: number) => (t: number) =>
      min + ((base - min) * (1 + Math.cos((Math.PI * t) / tMax))) / 2;
    const down = schedule({
      api: `${T}CosineAnnealingLR`,
      params: { T_max: 9, eta_min: 0.001 },
      base_lr: 0.1,
    });
    expect(typesOf(toConfig(down))).toEqual(['cosineDecay']);
    const downForm = torchForm(0.1, 0.001, 9);
    for (let t = 0; t <= 60; t += 0.5) expect(down(t)).toBe(downForm(t));
    const up = schedule({ api: `${T}CosineAnnealingLR`, params: { T_max: 9, eta_min: 0.5 }, base_lr: 0.1 });
    expect(typesOf(toConfig(up))).toEqual(['offset', 'cosineDecay']);
    const upForm = torchForm(0.1, 0.5, 9);
    for (let t = 0; t <= 60; t += 0.5) expectClose(up(t), upForm(t), `step ${t}:`);
  });

  it('CosineAnnealingWarmRestarts: step() counts, step(epoch) uses the logarithm', () => {
    const config = { api: `${T}CosineAnnealingWarmRestarts`, params: { T_0: 1, T_mult: 3 }, base_lr: 0.1 };
    expect(schedule(config)(121)).toBe(0.1);
    expect(schedule({ ...config, stepping: 'explicit-epoch' })(121)).toBe(0);
  });

  it("SequentialLR hands OneCycleLR's initial_lr (max_lr / div_factor) to the next child", () => {
    const s = schedule({
      api: `${T}SequentialLR`,
      params: {
        schedulers: [
          { api: 'OneCycleLR', max_lr: 1, total_steps: 10 },
          { api: 'ExponentialLR', gamma: 0.5 },
        ],
        milestones: [10],
      },
      base_lr: 7,
    });
    expect(s(10)).toBe(0.04);
    expectClose(s(12), 0.01);
  });

  it("ChainedScheduler multiplies the children's recursive factors", () => {
    const s = schedule({
      api: `${T}ChainedScheduler`,
      params: {
        schedulers: [
          { api: 'StepLR', step_size: 2, gamma: 0.5 },
          { api: 'LinearLR', start_factor: 0.5, total_iters: 4 },
          { api: 'MultiplicativeLR', lr_lambda: 0.9 },
        ],
      },
      base_lr: 2,
    });
    for (let k = 0; k <= 8; k++) {
      const linear = 0.5 + 0.5 * (Math.min(k, 4) / 4);
      expectClose(s(k), 2 * 0.5 ** Math.floor(k / 2) * linear * 0.9 ** k, `step ${k}`);
    }
  });

  it('ConstantLR and LinearLR with total_iters = 0 keep their first factor (the recursive form never undoes it)', () => {
    expect(
      schedule({ api: `${T}ConstantLR`, params: { factor: 0.5, total_iters: 0 }, base_lr: 0.2 })(10),
    ).toBe(0.1);
    expect(
      schedule({ api: `${T}LinearLR`, params: { start_factor: 0.5, total_iters: 0 }, base_lr: 0.2 })(10),
    ).toBe(0.1);
  });

  it('growing schedules (gamma > 1, as in LR range tests) follow the library until it overflows', () => {
    const step = schedule({ api: `${T}StepLR`, params: { step_size: 3, gamma: 2 }, base_lr: 0.1 });
    const exponential = schedule({ api: `${T}ExponentialLR`, params: { gamma: 1.1 }, base_lr: 0.1 });
    const multi = schedule({
      api: `${T}MultiStepLR`,
      params: { milestones: [2, 5, 5], gamma: 3 },
      base_lr: 1,
    });
    const keras = schedule({
      api: 'keras.optimizers.schedules.ExponentialDecay',
      params: { initial_learning_rate: 1e-6, decay_steps: 10, decay_rate: 10 },
    });
    const optax = schedule({
      api: 'optax.exponential_decay',
      params: { init_value: 1e-5, transition_steps: 1, decay_rate: 2 },
    });
    for (let k = 0; k <= 30; k++) {
      expectClose(step(k), 0.1 * 2 ** Math.floor(k / 3), `StepLR ${k}`);
      expectClose(exponential(k), 0.1 * 1.1 ** k, `ExponentialLR ${k}`);
      expectClose(multi(k), 3 ** [2, 5, 5].filter((m) => m <= k).length, `MultiStepLR ${k}`);
      expectClose(keras(k), 1e-6 * 10 ** (k / 10), `ExponentialDecay ${k}`);
      expectClose(optax(k), 1e-5 * 2 ** k, `exponential_decay ${k}`);
    }
    expect(exponential(1e6)).toBe(Number.MAX_VALUE);
  });

  it('ReduceLROnPlateau is a controller with torch semantics', () => {
    const plateau = controller({
      api: `${T}ReduceLROnPlateau`,
      params: { factor: 0.5, patience: 1 },
      base_lr: 0.1,
    });
    expect([plateau.value, ...[1, 1, 1, 1, 1].map((m) => plateau.report(m))]).toEqual([
      0.1, 0.1, 0.1, 0.05, 0.05, 0.025,
    ]);
  });
});

describe('keras', () => {
  it('PiecewiseConstantDecay switches just after the boundary, fractional steps included', () => {
    const s = schedule({
      api: 'keras.optimizers.schedules.PiecewiseConstantDecay',
      params: { boundaries: [10, 20], values: [1, 0.5, 0.1] },
    });
    expect([s(10), s(10.000001), s(20), s(20.5)]).toEqual([1, 0.5, 0.5, 0.1]);
  });

  it('CosineDecay ignores warmup_steps without warmup_target', () => {
    const s = schedule({
      api: 'keras.optimizers.schedules.CosineDecay',
      params: { initial_learning_rate: 0.1, decay_steps: 10, warmup_steps: 5 },
    });
    expect(s(0)).toBe(0.1);
    expectClose(s(5), 0.05);
  });
});

describe('optax', () => {
  it('reproduces the degenerate-argument fallbacks', () => {
    expect(
      schedule({
        api: 'optax.linear_schedule',
        params: { init_value: 0.3, end_value: 0, transition_steps: 0 },
      })(9),
    ).toBe(0.3);
    const bounded = schedule({
      api: 'optax.exponential_decay',
      params: { init_value: 0.1, transition_steps: 5, decay_rate: 1, end_value: 0.05 },
    });
    expect(bounded(0)).toBe(0.05);
    const staircase = schedule({
      api: 'optax.exponential_decay',
      params: { init_value: 1, transition_steps: 4, decay_rate: 0.5, staircase: true, transition_begin: 2 },
    });
    expect([staircase(2), staircase(5), staircase(6), staircase(10)]).toEqual([1, 1, 0.5, 0.25]);
  });

  it('join_schedules hands each schedule step - boundary', () => {
    const s = schedule({
      api: 'optax.join_schedules',
      params: {
        schedules: [
          { api: 'constant_schedule', value: 1 },
          { api: 'linear_schedule', init_value: 1, end_value: 0, transition_steps: 10 },
        ],
        boundaries: [5],
      },
    });
    expect([s(4), s(5), s(10), s(15)]).toEqual([1, 1, 0.5, 0]);
  });
});

describe('transformers', () => {
  it('hard restarts: 0.5 · (1 + cos(π · ((c · progress) mod 1))), 0 from the end', () => {
    const s = schedule({
      api: 'transformers.optimization.get_cosine_with_hard_restarts_schedule_with_warmup',
      params: { num_warmup_steps: 4, num_training_steps: 28, num_cycles: 3 },
      base_lr: 0.5,
    });
    for (let k = 0; k <= 32; k++) {
      let lambda: number;
      if (k < 4) lambda = k / 4;
      else {
        const progress = (k - 4) / 24;
        lambda = progress >= 1 ? 0 : 0.5 * (1 + Math.cos(Math.PI * ((3 * progress) % 1)));
      }
      expectClose(s(k), 0.5 * lambda, `step ${k}`);
    }
  });

  it('WSD with num_cycles != 0.5 and the lr_rate variant with warmup_lr_rate', () => {
    const wsd = schedule({
      api: 'transformers.optimization.get_wsd_schedule',
      params: {
        num_warmup_steps: 2,
        num_decay_steps: 8,
        num_stable_steps: 3,
        num_cycles: 1,
        min_lr_ratio: 0.1,
      },
      base_lr: 1,
    });
    for (let k = 0; k <= 16; k++) {
      let lambda: number;
      if (k < 2) lambda = (k / 2) * 0.9 + 0.1;
      else if (k < 5) lambda = 1;
      else if (k < 13) lambda = 0.5 * (1 + Math.cos(Math.PI * 2 * ((k - 5) / 8))) * 0.9 + 0.1;
      else lambda = 0.1;
      expectClose(wsd(k), lambda, `wsd step ${k}`);
    }
    const shifted = schedule({
      api: 'transformers.optimization.get_cosine_with_min_lr_schedule_with_warmup_lr_rate',
      params: { num_warmup_steps: 5, num_training_steps: 25, min_lr: 0.02, warmup_lr_rate: 0.2 },
      base_lr: 0.1,
    });
    for (let k = 0; k <= 30; k++) {
      const rate = 0.2;
      const lambda =
        k < 5
          ? rate + ((1 - rate) * k) / 4
          : 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * ((k - 5 + 1) / 20))) * (1 - 0.2) + 0.2;
      expectClose(shifted(k), 0.1 * lambda, `lr_rate step ${k}`);
    }
  });
});

describe('timm', () => {
  const noisy = {
    api: 'timm.scheduler.StepLRScheduler',
    params: { decay_t: 10, decay_rate: 0.5, noise_range_t: [5, 25], noise_pct: 0.3, noise_seed: 7 },
    base_lr: 0.1,
  };

  it('noise is seeded, deterministic, bounded by noise_pct and limited to noise_range_t', () => {
    const a = schedule(noisy);
    const b = schedule(noisy);
    const clean = schedule({ ...noisy, params: { decay_t: 10, decay_rate: 0.5 } });
    for (let t = 0; t < 40; t++) {
      expect(a(t)).toBe(b(t));
      const relative = a(t) / clean(t) - 1;
      if (t < 5 || t >= 25) expect(relative).toBe(0);
      else expect(Math.abs(relative)).toBeLessThanOrEqual(0.3);
    }
    const other = schedule({ ...noisy, params: { ...noisy.params, noise_seed: 8 } });
    expect([5, 6, 7, 8].some((t) => other(t) !== a(t))).toBe(true);
  });

  it('PlateauLRScheduler: metrics during the (inclusive) warm-up are ignored; state() / restore() resume exactly', () => {
    const config = {
      api: 'timm.scheduler.PlateauLRScheduler',
      params: { decay_rate: 0.5, patience_t: 1, warmup_t: 2, warmup_lr_init: 0.01, mode: 'min' },
      base_lr: 0.1,
    };
    const plateau = controller(config);
    expect(plateau.value).toBe(0.01);
    expectClose(plateau.report(5), 0.055);
    expectClose(plateau.report(5), 0.1);
    const metrics = [1, 1, 1, 0.5, 0.5, 0.5];
    const first = metrics.slice(0, 3).map((m) => plateau.report(m));
    const saved = JSON.parse(JSON.stringify(plateau.state()));
    const rest = metrics.slice(3).map((m) => plateau.report(m));
    const resumed = controller(config);
    resumed.restore(saved);
    expect(metrics.slice(3).map((m) => resumed.report(m))).toEqual(rest);
    expectClose(first[2] as number, 0.05);
  });

  it('warm-up without warmup_prefix overlaps the cosine (a jump at warmup_t)', () => {
    const s = schedule({
      api: 'timm.scheduler.CosineLRScheduler',
      params: { t_initial: 20, warmup_t: 5, warmup_lr_init: 0 },
      base_lr: 1,
    });
    expectClose(s(4), 0.8);
    expectClose(s(5), 0.5 * (1 + Math.cos((Math.PI * 5) / 20)));
  });
});

describe('evaluateReferenceCase', () => {
  it('evaluates null as the value right after construction and ignores lr', () => {
    const values = evaluateReferenceCase({
      api: `${T}CosineAnnealingWarmRestarts`,
      params: { T_0: 4 },
      base_lr: 0.1,
      stepping: 'fractional',
      steps: [null, 0.5, 4.25],
      lr: [9, 9, 9],
    } as never);
    expect(values[0]).toBe(0.1);
    expectClose(values[1] as number, 0.05 * (1 + Math.cos((Math.PI * 0.5) / 4)));
    expectClose(values[2] as number, 0.05 * (1 + Math.cos((Math.PI * 0.25) / 4)));
  });

  it('drives a plateau case with its metrics', () => {
    expect(
      evaluateReferenceCase({
        api: `${T}ReduceLROnPlateau`,
        params: { factor: 0.5, patience: 0 },
        base_lr: 1,
        metrics: [3, 3, 2, 2],
      }),
    ).toEqual([1, 1, 0.5, 0.5, 0.25]);
  });

  it('is pure: the same case gives the same values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        (size, gamma) => {
          const input = {
            api: `${T}StepLR`,
            params: { step_size: size, gamma },
            base_lr: 0.3,
            steps: [0, 1, 2, 100],
          };
          const a = evaluateReferenceCase(input);
          const b = evaluateReferenceCase(input);
          return a.every((value, index) => value === b[index]);
        },
      ),
    );
  });
});
