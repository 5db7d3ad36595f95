import { custom, InvalidStepError, warmupCosineDecay } from '@anneal/core';
import { InferenceSession } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainingConfigError } from './errors';
import { learningRateFeed } from './node/trainer';
import { GraphBuilder } from './onnx/graph-builder';

/** An "optimizer graph" in the style of ORT training artifacts: params, gradients and learning_rate in, new params out. */
function optimizerGraph(dtype: 'float32' | 'float64', name = 'learning_rate') {
  const g = new GraphBuilder('sgd', dtype);
  g.input('param', dtype, [3]);
  g.input('grad', dtype, [3]);
  g.input(name, dtype, []);
  g.output(g.op('Sub', ['param', g.op('Mul', ['grad', name])]), 'param.next', dtype, [3]);
  g.output(name, 'lr_used', dtype, []);
  return g.encode();
}

const sessions: InferenceSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});
const open = async (model: Uint8Array) => {
  const s = await InferenceSession.create(model);
  sessions.push(s);
  return s;
};

describe('learningRateFeed', () => {
  const schedule = warmupCosineDecay({ peakValue: 0.3, warmupSteps: 5, totalSteps: 30 });

  it('feeds Math.fround(schedule(k)) as a float32 scalar under learning_rate', async () => {
    const session = await open(optimizerGraph('float32'));
    const feed = learningRateFeed({ schedule, session });
    const param = new Float32Array([1, 2, 3]);
    const grad = new Float32Array([0.5, -1, 2]);
    const { Tensor } = await import('onnxruntime-node');
    for (let k = 0; k < 32; k++) {
      const feeds = feed(k);
      expect(Object.keys(feeds)).toEqual(['learning_rate']);
      expect(feeds.learning_rate!.dims).toEqual([]);
      const out = await session.run({
        param: new Tensor('float32', param, [3]),
        grad: new Tensor('float32', grad, [3]),
        ...feeds,
      });
      expect((out.lr_used!.data as Float32Array)[0]).toBe(Math.fround(schedule(k)));
    }
  });

  it('float64 feeds the exact value; a custom input name works', async () => {
    const session = await open(optimizerGraph('float64', 'lr'));
    const feed = learningRateFeed({
      schedule: (step: number) => 0.1 / (step + 1),
      inputName: 'lr',
      dtype: 'float64',
      session,
    });
    expect((feed(2).lr!.data as Float64Array)[0]).toBe(0.1 / 3);
    expect(feed.schedule(2)).toBe(0.1 / 3);
  });

  it('passes schedule errors through (negative step)', () => {
    const feed = learningRateFeed({ schedule });
    expect(() => feed(-1)).toThrow(InvalidStepError);
  });

  it('rejects a session without the input, listing its inputs, and a dtype mismatch', async () => {
    const session = await open(optimizerGraph('float32'));
    expect(() => learningRateFeed({ schedule, session, inputName: 'lr' })).toThrow(
      'learningRateFeed: the session has no input named "lr"; its inputs are "param", "grad", "learning_rate"; received "lr".',
    );
    expect(() => learningRateFeed({ schedule, session, dtype: 'float64' })).toThrow(
      'learningRateFeed: the session\'s "learning_rate" input is float32, not float64; received "float64".',
    );
  });

  it.each([
    [
      { schedule: 3 },
      /^learningRateFeed: schedule must be a schedule, a schedule config or a function of the step/,
    ],
    [
      { schedule, inputName: '' },
      /^learningRateFeed: inputName must be a non-empty string \(default "learning_rate"\); received ""\.$/,
    ],
    [
      { schedule, dtype: 'float16' },
      /^learningRateFeed: dtype must be "float32" or "float64" \(default "float32"\); received "float16"\.$/,
    ],
  ])('rejects %j', (options, message) => {
    expect(() => learningRateFeed(options as never)).toThrow(message);
    try {
      learningRateFeed(options as never);
    } catch (error) {
      expect(TrainingConfigError.isInstance(error)).toBe(true);
    }
  });

  it('a custom schedule returning a negative value throws at the step, not silently', () => {
    const feed = learningRateFeed({ schedule: custom(() => -1) });
    expect(() => feed(0)).toThrow(/must return a finite number >= 0/);
  });
});
