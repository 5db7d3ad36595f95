/**
 * `importSchedule`: reads the files the libraries write (already parsed from JSON or YAML), detects
 * which library wrote each, and returns the anneal schedule with a report of what was read, what
 * was assumed and what was ignored.
 */
import { checkConfigDepth } from '../../config';
import { ScheduleConfigError } from '../../errors';
import { importAnneal } from './anneal-config';
import { detectFormat, importFormats } from './detect';
import { importTrainingArguments } from './hf-training-arguments';
import { importKerasModel, importKerasSchedule } from './keras';
import { importLightningConfig } from './lightning-config';
import { importReference } from './reference-config';
import { type ImportOptions, type ImportResult, readImportOptions } from './report';
import { importTimmArgs } from './timm-args';

export { detectFormat, importFormats } from './detect';
export { hfSchedulerTypes } from './hf-training-arguments';
export { lightningSchedulerClasses } from './lightning-config';
export type {
  Assumption,
  IgnoredKey,
  ImportFormat,
  ImportOptions,
  ImportReport,
  ImportResult,
  PlateauImport,
  ReadKey,
  ScheduleImport,
  StepUnit,
} from './report';
export { timmScheds } from './timm-args';

/**
 * Builds the anneal equivalent of a schedule from a file as its library writes it, parsed: a native
 * anneal config, a reference config `{ api, params, base_lr }`, a Keras schedule
 * (`serialize()`), a Keras model's `config.json`, timm's `args.yaml`, Hugging Face
 * `TrainingArguments` (`to_dict()` / `to_json_string()`), or a LightningCLI `config.yaml`.
 *
 * Returns `{ kind: 'schedule', format, schedule, config, report }` (`config` is the native config,
 * which `fromConfig` re-reads) or, for metric-driven schedulers, `{ kind: 'plateau', format,
 * controller, config, report }` (`config` is the reference config, which `fromReference` re-reads).
 * `report.stepUnit` says what the schedule's step counts (updates, epochs, or reports).
 *
 * What a file cannot say comes from `options`: `stepsPerEpoch` (batches per epoch) or
 * `updatesPerEpoch`, and timm's `worldSize`. Throws `ScheduleConfigError` listing every issue: an
 * unknown format, a bad value (field, expected, received), an unsupported key that would change the
 * schedule, an unknown scheduler name (with the supported list), or a missing option (path
 * `options.<name>`).
 *
 * @example importSchedule({ sched: 'cosine', epochs: 50, lr: 0.1, warmup_epochs: 5 }).report.stepUnit === 'epoch'
 */
export function importSchedule(input: unknown, options?: ImportOptions): ImportResult {
  const read = readImportOptions(options);
  checkConfigDepth(input, 'importSchedule');
  const format = detectFormat(input);
  const json = input as Record<string, unknown>;
  switch (format) {
    case 'anneal':
      return importAnneal(json);
    case 'reference':
      return importReference(json);
    case 'keras-model':
      return importKerasModel(json);
    case 'keras-schedule':
      return importKerasSchedule(json);
    case 'timm-args':
      return importTimmArgs(json, read);
    case 'hf-training-arguments':
      return importTrainingArguments(json, read);
    case 'lightning-config':
      return importLightningConfig(json, read);
    case undefined: {
      const expected = importFormats.map((entry) => `${entry.format}: ${entry.signature}`).join('; ');
      throw new ScheduleConfigError('importSchedule', [
        {
          path: '',
          expected: `one of the formats (${expected})`,
          received: input,
          message: `importSchedule: the input is none of the formats read (${expected}); received ${shortKeys(input)}.`,
        },
      ]);
    }
  }
}

function shortKeys(input: unknown): string {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return JSON.stringify(input) ?? String(input);
  const keys = Object.keys(input);
  return `an object with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', ...' : ''}`;
}
