/**
 * The ReduceLROnPlateau row of the Keras table in docs/adapters/tfjs.md: Keras's rule, restated
 * from keras/callbacks.py (ReduceLROnPlateau.on_epoch_end), gives the same learning rates as
 * reduceLROnPlateau with patience max(p − 1, 0), cooldown max(c − 1, 0) and min_delta as an
 * absolute threshold, for any metric sequence (above min_lr).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { reduceLROnPlateau } from '../src/index';

interface KerasOptions {
  patience: number;
  cooldown: number;
  minDelta: number;
  factor: number;
  mode: 'min' | 'max';
}

/** Keras: the rate in force after each epoch's on_epoch_end, starting from `initial`. */
function kerasRates(metrics: readonly number[], initial: number, o: KerasOptions): number[] {
  let lr = initial;
  let best = o.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  let wait = 0;
  let cooldownCounter = 0;
  const better = (current: number) =>
    o.mode === 'min' ? current < best - o.minDelta : current > best + o.minDelta;
  return metrics.map((current) => {
    if (cooldownCounter > 0) {
      cooldownCounter -= 1;
      wait = 0;
    }
    if (better(current)) {
      best = current;
      wait = 0;
    } else if (!(cooldownCounter > 0)) {
      wait += 1;
      if (wait >= o.patience) {
        lr *= o.factor; // min_lr = 0 here
        cooldownCounter = o.cooldown;
        wait = 0;
      }
    }
    return lr;
  });
}

class FieldOptimizer {
  iterations = 0;
  learningRate = 0.1;
}

describe('Keras ReduceLROnPlateau → reduceLROnPlateau', () => {
  test('same learning rates for any metrics, patience, cooldown, min_delta and mode', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(0, 0.5, 2),
        fc.constantFrom<'min' | 'max'>('min', 'max'),
        async (metrics, patience, cooldown, minDelta, mode) => {
          const expected = kerasRates(metrics, 0.1, { patience, cooldown, minDelta, factor: 0.5, mode });
          const optimizer = new FieldOptimizer();
          const callback = reduceLROnPlateau({
            optimizer,
            monitor: 'val_loss',
            mode,
            factor: 0.5,
            patience: Math.max(patience - 1, 0),
            cooldown: Math.max(cooldown - 1, 0),
            threshold: minDelta,
            thresholdMode: 'absolute',
            minDelta: 0,
          });
          await callback.onTrainBegin();
          const rates: number[] = [];
          for (const [epoch, metric] of metrics.entries()) {
            await callback.onEpochEnd(epoch, { val_loss: metric });
            await callback.onBatchBegin(0, {});
            rates.push(optimizer.learningRate);
          }
          expect(rates).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
