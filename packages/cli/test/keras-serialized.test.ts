import { describe, expect, it } from 'vitest';
import { run } from './helpers';

// A Keras 3 schedule as keras.optimizers.schedules.serialize() writes it (name null, as Keras does).
const keras = JSON.stringify({
  module: 'keras.optimizers.schedules',
  class_name: 'CosineDecay',
  config: {
    initial_learning_rate: 0.1,
    decay_steps: 100,
    alpha: 0,
    name: null,
    warmup_target: null,
    warmup_steps: 0,
  },
  registered_name: null,
});

describe('Keras schedules as serialize() writes them', () => {
  it('values and validate read them like any reference config', async () => {
    expect(await run(['values', '-', '--steps', '0,50,100'], { stdin: keras })).toEqual({
      code: 0,
      stdout: '[0.1,0.05,0]\n',
      stderr: '',
    });
    const validated = await run(['validate', '-'], { stdin: keras });
    expect(validated.code).toBe(0);
    expect(validated.stdout).toMatch(
      /^ok <stdin>: keras\.optimizers\.schedules\.CosineDecay \(as cosineDecay\);/,
    );
  });

  it('names what is wrong with a serialized schedule', async () => {
    const result = await run(['validate', '-'], {
      stdin: JSON.stringify({ class_name: 'Nope', config: {} }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'fromReference (Keras serialize()): class_name must be one of ExponentialDecay,',
    );
  });

  it("reads a Keras model's config.json: the optimizer's learning rate", async () => {
    const model = JSON.stringify({
      module: 'keras',
      class_name: 'Sequential',
      config: { name: 'sequential', layers: [] },
      compile_config: {
        optimizer: {
          module: 'keras.optimizers',
          class_name: 'SGD',
          config: { learning_rate: JSON.parse(keras) },
        },
      },
    });
    expect(await run(['values', '-', '--steps', '0,50,100'], { stdin: model })).toEqual({
      code: 0,
      stdout: '[0.1,0.05,0]\n',
      stderr: '',
    });
  });
});
