import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScheduleConfigError } from '../errors';
import {
  evaluateReferenceCase,
  fromAnyConfig,
  fromReference,
  isKerasModelConfig,
  isKerasSerialized,
  type ReferenceCase,
} from './index';

const golden = JSON.parse(
  readFileSync(new URL('../../../../../shared/golden/keras.json', import.meta.url), 'utf8'),
) as { cases: ReferenceCase[] };
const prefix = 'keras.optimizers.schedules.';

/** What `keras.optimizers.schedules.serialize()` writes for the case's schedule (Keras 3). */
function serialized(referenceCase: ReferenceCase, keras2 = false) {
  const className = referenceCase.api.slice(prefix.length);
  const config = { ...referenceCase.params, name: null };
  return keras2
    ? { class_name: className, config }
    : { module: 'keras.optimizers.schedules', class_name: className, config, registered_name: null };
}

describe('Keras schedules as serialize() writes them', () => {
  const cases = golden.cases.filter((c) => c.api.startsWith(prefix));

  it('reads every Keras golden case from its Keras 3 and Keras 2 serialized form, name null included', () => {
    expect(cases.length).toBeGreaterThan(5);
    for (const referenceCase of cases) {
      const expected = evaluateReferenceCase(referenceCase);
      for (const form of [serialized(referenceCase), serialized(referenceCase, true)]) {
        const schedule = fromAnyConfig(JSON.parse(JSON.stringify(form)));
        const steps = (referenceCase.steps ?? []).map((step) => step ?? 0);
        expect(
          steps.map((step) => schedule(step)),
          referenceCase.id as string,
        ).toEqual(expected);
        expect(fromReference(form)).toBeTypeOf('function');
      }
    }
  });

  it('accepts a name that is null, absent or a string, in the {api, params} form too', () => {
    const params = { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5 };
    for (const name of [null, undefined, 'my_schedule']) {
      const schedule = fromAnyConfig({ api: `${prefix}ExponentialDecay`, params: { ...params, name } });
      expect(schedule(10)).toBeCloseTo(0.05, 15);
    }
  });

  it('is found as a child of a native composite', () => {
    const schedule = fromAnyConfig({
      type: 'scale',
      factor: 2,
      schedule: {
        class_name: 'ExponentialDecay',
        config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5 },
      },
    });
    expect(schedule(10)).toBeCloseTo(0.1, 15);
  });

  it.each([
    [
      'an unknown class',
      { class_name: 'Nope', config: {} },
      'fromReference (Keras serialize()): class_name must be one of ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts; received "Nope".',
    ],
    [
      'another module',
      { module: 'my.schedules', class_name: 'CosineDecay', config: {} },
      'fromReference (Keras serialize()): module must be "keras.optimizers.schedules" (Keras 3) or absent (Keras 2); received "my.schedules".',
    ],
    [
      'a registered (custom) schedule',
      { class_name: 'CosineDecay', config: {}, registered_name: 'Custom>Warmup' },
      'fromReference (Keras serialize()): registered_name must be null (a built-in Keras schedule); received "Custom>Warmup".',
    ],
    [
      'an unknown key',
      { class_name: 'CosineDecay', config: {}, extra: 1 },
      'fromReference (Keras serialize()): unknown key "extra" (expected one of module, class_name, config, registered_name); received 1.',
    ],
    [
      'a config that is not an object',
      { class_name: 'CosineDecay', config: 3 },
      "fromReference (Keras serialize()): config must be an object of the schedule's arguments; received 3.",
    ],
    [
      "the schedule's own rules",
      { class_name: 'CosineDecay', config: { initial_learning_rate: 0.1, decay_steps: 0, name: null } },
      'keras.optimizers.schedules.CosineDecay: Argument `decay_steps` must be > 0; received 0.',
    ],
  ])('refuses %s with the field named', (_name, json, message) => {
    expect(() => fromAnyConfig(json)).toThrow(ScheduleConfigError);
    expect(() => fromAnyConfig(json)).toThrow(message);
  });
});

/** A Keras 3 model's config.json (as in a .keras archive), compiled with Adam and `learningRate`. */
function modelConfig(learningRate: unknown) {
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: { name: 'sequential', trainable: true, layers: [] },
    registered_name: null,
    build_config: { input_shape: [null, 784] },
    compile_config: {
      optimizer: {
        module: 'keras.optimizers',
        class_name: 'Adam',
        config: { name: 'adam', learning_rate: learningRate, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
        registered_name: null,
      },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    },
  };
}

describe("a Keras model's config (config.json of a .keras archive)", () => {
  it("gives the optimizer's schedule, or a constant for a number", () => {
    const schedule = {
      module: 'keras.optimizers.schedules',
      class_name: 'ExponentialDecay',
      config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: false, name: null },
      registered_name: null,
    };
    expect(isKerasModelConfig(modelConfig(schedule))).toBe(true);
    expect(isKerasSerialized(modelConfig(schedule))).toBe(false);
    expect(fromAnyConfig(modelConfig(schedule))(10)).toBeCloseTo(0.05, 15);
    const constant = fromAnyConfig(modelConfig(0.0010000000474974513));
    expect(constant(0)).toBe(0.0010000000474974513);
    expect(constant.config).toEqual({ type: 'constant', value: 0.0010000000474974513 });
  });

  it.each([
    [
      'a model compiled without an optimizer',
      { ...modelConfig(0.1), compile_config: { loss: 'mse' } },
      'fromAnyConfig (Keras model config): compile_config.optimizer must be the serialized optimizer (a compiled model); received undefined.',
    ],
    [
      'a learning rate that is neither a number nor a schedule',
      modelConfig('fast'),
      'fromAnyConfig (Keras model config): compile_config.optimizer.config.learning_rate must be a finite number >= 0 or a serialized Keras schedule { class_name, config }; received "fast".',
    ],
    [
      'a compile_config that is not an object',
      { ...modelConfig(0.1), compile_config: null },
      'fromAnyConfig (Keras model config): compile_config must be an object; received null.',
    ],
  ])('refuses %s, naming the path', (_name, json, message) => {
    expect(() => fromAnyConfig(json)).toThrow(ScheduleConfigError);
    expect(() => fromAnyConfig(json)).toThrow(message);
  });
});
