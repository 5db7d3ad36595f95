import { ScheduleConfigError } from '@anneal/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { useBackend } from '../test/backend';
import { batchSize, makeModel, xRows, yRows } from '../test/support';
import { learningRateScheduler } from './learning-rate-scheduler';
import { type ScalarWriter, type TensorBoardRun, tensorBoard } from './tensorboard';

beforeAll(async () => {
  await useBackend('cpu');
});

/** Records every addScalar call; `flushes` counts flush() calls. */
class RecordingWriter implements ScalarWriter {
  readonly scalars: { tag: string; value: number; step: number }[] = [];
  flushes = 0;
  addScalar(tag: string, value: number, step: number) {
    this.scalars.push({ tag, value, step });
  }
  flush() {
    this.flushes += 1;
  }
  tags(): string[] {
    return [...new Set(this.scalars.map((scalar) => scalar.tag))];
  }
  series(tag: string): [number, number][] {
    return this.scalars.filter((scalar) => scalar.tag === tag).map((scalar) => [scalar.step, scalar.value]);
  }
}

const schedule = (step: number) => 0.01 / (1 + step);

async function fitWith(
  callbacks: (model: tfl.LayersModel) => tfl.CustomCallbackArgs[],
  options: { validation?: boolean; epochs?: number } = {},
) {
  const model = makeModel(tf.train.adam(0.01));
  const xs = tf.tensor2d(xRows);
  const ys = tf.tensor2d(yRows);
  const history = await model.fit(xs, ys, {
    batchSize,
    epochs: options.epochs ?? 2,
    shuffle: false,
    verbose: 0,
    ...(options.validation ? { validationData: [xs, ys] as [tf.Tensor, tf.Tensor] } : {}),
    callbacks: callbacks(model),
  });
  tf.dispose([xs, ys]);
  model.dispose();
  return history.history as Record<string, number[]>;
}

describe('tensorBoard', () => {
  test('Keras tags: epoch_* in train and validation runs, epoch_learning_rate, batch_* at the update step', async () => {
    const train = new RecordingWriter();
    const validation = new RecordingWriter();
    const history = await fitWith(
      (model) => [
        learningRateScheduler({ model, schedule }),
        tensorBoard({ train, validation }, { model, updateFreq: 'batch' }),
      ],
      { validation: true },
    );
    expect(train.tags().sort()).toEqual([
      'batch_learning_rate',
      'batch_loss',
      'epoch_learning_rate',
      'epoch_loss',
    ]);
    expect(validation.tags()).toEqual(['epoch_loss']);
    expect(train.series('epoch_loss')).toEqual(history.loss!.map((loss, epoch) => [epoch, loss]));
    expect(validation.series('epoch_loss')).toEqual(history.val_loss!.map((loss, epoch) => [epoch, loss]));
    expect(train.series('epoch_learning_rate')).toEqual([
      [0, Math.fround(schedule(4))],
      [1, Math.fround(schedule(9))],
    ]);
    expect(train.series('batch_learning_rate')).toEqual(
      Array.from({ length: 10 }, (_, k) => [k, Math.fround(schedule(k))]),
    );
    expect(train.series('batch_loss').map(([step]) => step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(train.flushes).toBe(3); // two epochs and the end of training
  });

  test('epoch_learning_rate is read from the model when the scheduler runs after it', async () => {
    const train = new RecordingWriter();
    await fitWith((model) => [tensorBoard(train, { model }), learningRateScheduler({ model, schedule })]);
    expect(train.series('epoch_learning_rate')).toEqual([
      [0, Math.fround(schedule(4))],
      [1, Math.fround(schedule(9))],
    ]);
  });

  test('a factory is called once per run, lazily: no validation writer without validation data', async () => {
    const made: TensorBoardRun[] = [];
    const writers = new Map<TensorBoardRun, RecordingWriter>();
    const factory = (run: TensorBoardRun) => {
      made.push(run);
      const writer = new RecordingWriter();
      writers.set(run, writer);
      return writer;
    };
    await fitWith((model) => [learningRateScheduler({ model, schedule }), tensorBoard(factory)]);
    expect(made).toEqual(['train']);
    expect(writers.get('train')!.tags().sort()).toEqual(['epoch_learning_rate', 'epoch_loss']);
    made.length = 0;
    await fitWith((model) => [learningRateScheduler({ model, schedule }), tensorBoard(factory)], {
      validation: true,
    });
    expect(made).toEqual(['train', 'validation']);
    expect(writers.get('validation')!.tags()).toEqual(['epoch_loss']);
  });

  test('a single writer gets validation values as epoch_val_<name> (TF1 Keras tags)', async () => {
    const writer = new RecordingWriter();
    await fitWith((model) => [learningRateScheduler({ model, schedule }), tensorBoard(writer)], {
      validation: true,
    });
    expect(writer.tags().sort()).toEqual(['epoch_learning_rate', 'epoch_loss', 'epoch_val_loss']);
  });

  test('without a model, batch steps count from initialStep', async () => {
    const writer = new RecordingWriter();
    await fitWith(() => [tensorBoard(writer, { updateFreq: 'batch', initialStep: 100 })]);
    expect(writer.series('batch_loss').map(([step]) => step)).toEqual([
      100, 101, 102, 103, 104, 105, 106, 107, 108, 109,
    ]);
    expect(writer.tags()).not.toContain('epoch_learning_rate');
  });

  test('awaits writers that return promises', async () => {
    const order: string[] = [];
    const writer = {
      addScalar: async (tag: string) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        order.push(tag);
      },
    };
    const callback = tensorBoard(writer);
    await callback.onEpochEnd!(0, { loss: 1, acc: 0.5 });
    expect(order).toEqual(['epoch_loss', 'epoch_acc']);
  });

  test.each([
    [
      undefined,
      {},
      'tensorBoard: writers must be a writer with addScalar(tag, value, step), a { train, validation? } pair of them, or a function (run) => writer; received undefined.',
    ],
    [
      { train: {} },
      {},
      'tensorBoard: writers.train must be a writer with addScalar(tag, value, step); received {}.',
    ],
    [
      { train: new RecordingWriter(), val: new RecordingWriter() },
      {},
      'tensorBoard: unknown run "val" (expected train, validation); received a RecordingWriter.',
    ],
    [
      new RecordingWriter(),
      { updateFreq: 10 },
      'tensorBoard: updateFreq must be one of "epoch", "batch"; received 10.',
    ],
    [
      new RecordingWriter(),
      { histogramFreq: 1 },
      'tensorBoard: unknown option "histogramFreq" (expected one of updateFreq, model, optimizer, initialStep); received 1.',
    ],
  ])('invalid args → ScheduleConfigError (%#)', (writers, args, message) => {
    let caught: unknown;
    try {
      tensorBoard(writers as never, args as never);
    } catch (error) {
      caught = error;
    }
    expect(ScheduleConfigError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(message);
  });

  test('a factory that returns no writer fails with a typed error', async () => {
    const callback = tensorBoard(() => ({}) as ScalarWriter);
    await expect(callback.onEpochEnd!(0, { loss: 1 })).rejects.toThrow(
      'tensorBoard: writers("train") must be a writer with addScalar(tag, value, step); received {}.',
    );
  });
});
