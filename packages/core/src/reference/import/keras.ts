/**
 * Keras schedules as `keras.optimizers.schedules.serialize()` writes them (Keras 3 and 2 shapes), and
 * a Keras model's config (the `config.json` of a `.keras` archive), whose schedule is
 * `compile_config.optimizer.config.learning_rate`. Keras calls the schedule with the optimizer's
 * iteration count: step k is update k.
 */
import { toConfig } from '../../config';
import { isPlainObject } from '../../validate';
import { fromAnyConfig, scheduleFromReference } from '../from-reference';
import { type ImportResult, ReportBuilder } from './report';

const stepping =
  'Keras calls the schedule with optimizer.iterations: step k is the learning rate of update k (k = 0: the first).';

/** Reads a serialized Keras schedule; throws `ScheduleConfigError` listing every issue. */
export function importKerasSchedule(input: Record<string, unknown>): ImportResult {
  const report = new ReportBuilder('keras-schedule');
  const schedule = scheduleFromReference(input);
  describeSerialized(input, '', report);
  report.note(stepping);
  return {
    kind: 'schedule',
    format: 'keras-schedule',
    schedule,
    config: toConfig(schedule),
    report: report.build('update'),
  };
}

/** Reads a Keras model config's learning rate; throws `ScheduleConfigError` naming the missing level. */
export function importKerasModel(input: Record<string, unknown>): ImportResult {
  const report = new ReportBuilder('keras-model');
  const schedule = fromAnyConfig(input);
  const compile = input.compile_config as Record<string, unknown>;
  const optimizer = compile.optimizer as Record<string, unknown>;
  const optimizerConfig = optimizer.config as Record<string, unknown>;
  const learningRate = optimizerConfig.learning_rate;
  const path = 'compile_config.optimizer.config.learning_rate';
  if (isPlainObject(learningRate)) describeSerialized(learningRate, `${path}.`, report);
  else report.useKey(path, learningRate);
  for (const key of Object.keys(input))
    if (key !== 'compile_config') report.ignore(key, 'the model, not the schedule');
  for (const key of Object.keys(compile)) {
    if (key !== 'optimizer') report.ignore(`compile_config.${key}`, 'compilation, not the schedule');
  }
  for (const key of Object.keys(optimizer)) {
    if (key !== 'config') report.ignore(`compile_config.optimizer.${key}`, 'the optimizer, not the schedule');
  }
  const accumulation = optimizerConfig.gradient_accumulation_steps;
  const accumulates = typeof accumulation === 'number' && accumulation > 1;
  for (const key of Object.keys(optimizerConfig)) {
    const keyPath = `compile_config.optimizer.config.${key}`;
    if (key === 'learning_rate') continue;
    if (key === 'gradient_accumulation_steps' && accumulates) report.useKey(keyPath, accumulation);
    else report.ignore(keyPath, 'the optimizer, not the schedule');
  }
  report.note(
    accumulates
      ? `gradient_accumulation_steps ${accumulation}: Keras still calls the schedule with optimizer.iterations, which counts every batch (its "real" iterations), so step k is batch k, not update k.`
      : stepping,
  );
  const unit = accumulates ? 'batch' : 'update';
  return {
    kind: 'schedule',
    format: 'keras-model',
    schedule,
    config: toConfig(schedule),
    report: report.build(unit),
  };
}

function describeSerialized(json: Record<string, unknown>, prefix: string, report: ReportBuilder): void {
  report.useKey(`${prefix}class_name`, json.class_name);
  const config = json.config as Record<string, unknown>;
  for (const [key, value] of Object.entries(config)) {
    if (key === 'name') report.ignore(`${prefix}config.name`, 'a name only');
    else report.useKey(`${prefix}config.${key}`, value);
  }
  for (const key of ['module', 'registered_name']) {
    if (key in json) report.ignore(`${prefix}${key}`, 'Keras bookkeeping, not the schedule');
  }
}
