/** Which format an already-parsed JSON or YAML object is, from the keys each library writes. */
import { isPlainObject } from '../../validate';
import { isKerasModelConfig, isKerasSerialized } from '../keras-serialized';
import type { ImportFormat } from './report';

/** Every format, in the order detection tries them, with the keys that identify each. */
export const importFormats: readonly { readonly format: ImportFormat; readonly signature: string }[] = [
  { format: 'anneal', signature: 'a "type" key (a native anneal config)' },
  { format: 'reference', signature: 'an "api" key ({ api, params, base_lr })' },
  { format: 'keras-model', signature: 'a "compile_config" key (a Keras model config.json)' },
  {
    format: 'keras-schedule',
    signature: '"class_name" and "config" keys (keras.optimizers.schedules.serialize())',
  },
  { format: 'timm-args', signature: 'a "sched" key (timm train.py args.yaml)' },
  {
    format: 'hf-training-arguments',
    signature:
      'an "lr_scheduler_type" key, or "learning_rate" with "num_train_epochs" (transformers TrainingArguments)',
  },
  {
    format: 'lightning-config',
    signature:
      'an "optimizer" or "lr_scheduler" section with a class_path, or a "trainer" section (LightningCLI config.yaml)',
  },
];

function hasClassPath(value: unknown): boolean {
  return isPlainObject(value) && 'class_path' in value;
}

/** The format of `input`, or undefined when none matches. */
export function detectFormat(input: unknown): ImportFormat | undefined {
  if (!isPlainObject(input)) return undefined;
  const object: Record<string, unknown> = input;
  if ('type' in input) return 'anneal';
  if ('api' in input) return 'reference';
  if (isKerasModelConfig(input)) return 'keras-model';
  if (isKerasSerialized(input)) return 'keras-schedule';
  if ('sched' in input) return 'timm-args';
  if ('lr_scheduler_type' in input || ('learning_rate' in input && 'num_train_epochs' in input)) {
    return 'hf-training-arguments';
  }
  const section = isPlainObject(object.fit) ? object.fit : object;
  if (
    hasClassPath(section.optimizer) ||
    hasClassPath(section.lr_scheduler) ||
    isPlainObject(section.trainer)
  ) {
    return 'lightning-config';
  }
  return undefined;
}
