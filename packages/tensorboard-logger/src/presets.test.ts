import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors';
import {
  HUGGING_FACE_LEARNING_RATE,
  KERAS_LEARNING_RATE,
  learningRateTag,
  lightningLearningRate,
} from './presets';

describe('learning-rate tag presets', () => {
  it('Keras writes epoch_learning_rate in the train run', () => {
    expect(KERAS_LEARNING_RATE).toEqual({ run: 'train', tag: 'epoch_learning_rate' });
    expect(learningRateTag('keras')).toBe(KERAS_LEARNING_RATE);
  });

  it('Hugging Face writes train/learning_rate in the run itself', () => {
    expect(HUGGING_FACE_LEARNING_RATE).toEqual({ run: '', tag: 'train/learning_rate' });
    expect(learningRateTag('huggingface')).toBe(HUGGING_FACE_LEARNING_RATE);
  });

  it('Lightning writes lr-<Optimizer>, and lr-<Optimizer>/pg<n> for further parameter groups', () => {
    expect(lightningLearningRate('SGD')).toEqual({ run: '', tag: 'lr-SGD' });
    expect(lightningLearningRate('AdamW', 1)).toEqual({ run: '', tag: 'lr-AdamW/pg2' });
    expect(learningRateTag('lightning')).toEqual({ run: '', tag: 'lr-Adam' });
    expect(learningRateTag('lightning', { optimizerName: 'SGD' })).toEqual({ run: '', tag: 'lr-SGD' });
  });

  it.each([
    [
      () => lightningLearningRate(''),
      'lightningLearningRate: optimizerName must be a non-empty string such as "Adam"; received "".',
    ],
    [
      () => lightningLearningRate('Adam', -1),
      'lightningLearningRate: parameterGroup must be a non-negative integer or undefined; received -1.',
    ],
    [
      () => learningRateTag('fastai' as unknown as 'keras'),
      'learningRateTag: preset must be "keras", "huggingface" or "lightning"; received "fastai".',
    ],
  ])('%#: bad arguments throw InvalidArgumentError', (call, message) => {
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(message);
  });
});
