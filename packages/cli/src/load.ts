import {
  isPlainObject,
  type PlateauController,
  reduceOnPlateau,
  type Schedule,
  ScheduleConfigError,
  type ValidationIssue,
} from '@anneal/core';
import { type ImportReport, type ImportResult, importSchedule } from '@anneal/core/reference';
import type { EpochOptions } from './args';
import { CliError, ExitCode, inputError, isStackOverflow, nestedTooDeeply } from './errors';

/**
 * What a config file describes: a schedule, or a metric-driven plateau controller; with the config
 * that re-reads to it (native for schedules) and, for files of other libraries, the import report.
 */
export type LoadedConfig =
  | {
      readonly kind: 'schedule';
      readonly schedule: Schedule;
      readonly name: string;
      readonly config: object;
      readonly report: ImportReport | undefined;
    }
  | {
      readonly kind: 'plateau';
      readonly controller: PlateauController;
      readonly name: string;
      readonly config: object;
      readonly report: ImportReport | undefined;
    };

/** The flags behind `importSchedule`'s options, for the "missing option" usage error. */
const OPTION_FLAGS: Readonly<Record<string, string>> = {
  'options.stepsPerEpoch': '--steps-per-epoch',
  'options.updatesPerEpoch': '--updates-per-epoch',
};

/** Core's option names as the CLI's flags: `options.stepsPerEpoch` -> `--steps-per-epoch`. */
function flagWords(message: string): string {
  return message
    .replace(/(options\.)?stepsPerEpoch/g, '--steps-per-epoch')
    .replace(/(options\.)?updatesPerEpoch/g, '--updates-per-epoch');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The scheduler a file names: `StepLR`, `cosine`, `CosineDecay`, ... (undefined when it names none). */
function schedulerOf(json: Record<string, unknown>, result: ImportResult): string | undefined {
  switch (result.format) {
    case 'anneal':
      return text(json.type);
    case 'reference':
      return text(json.api);
    case 'keras-schedule':
      return `keras.optimizers.schedules.${text(json.class_name) ?? '?'}`;
    case 'keras-model':
      return 'Keras model config (compile_config.optimizer.config.learning_rate)';
    case 'timm-args':
      return `timm args (sched ${text(json.sched) ?? '?'})`;
    case 'hf-training-arguments':
      return `transformers TrainingArguments (lr_scheduler_type ${text(json.lr_scheduler_type) ?? 'linear'})`;
    case 'lightning-config':
      return 'LightningCLI config';
  }
}

/** `warmupCosineDecay`, `torch.optim.lr_scheduler.StepLR (as stepDecay)`, `timm args (sched cosine) (as ...)`. */
function nameOf(json: unknown, result: ImportResult): string {
  const scheduler = isPlainObject(json) ? schedulerOf(json, result) : undefined;
  if (result.format === 'anneal') return scheduler ?? 'schedule';
  const native = result.kind === 'schedule' ? result.config.type : undefined;
  const name = scheduler ?? result.format;
  return native ? `${name} (as ${native})` : name;
}

/** The config error as the CLI reports it: a missing option names its flag (usage, exit 2). */
function configError(error: ScheduleConfigError, label: string): CliError {
  const missing = error.issues.find(
    (issue: ValidationIssue) => OPTION_FLAGS[issue.path] !== undefined && issue.received === undefined,
  );
  if (missing) {
    const why = flagWords(missing.message.replace(/^.*? is required: /, '').replace(/\.$/, ''));
    return new CliError(`${label}: missing ${OPTION_FLAGS[missing.path]} N: ${why}`, {
      exitCode: ExitCode.usage,
    });
  }
  const count = error.issues.length;
  return inputError(
    `${label}: invalid config (${count} ${count === 1 ? 'issue' : 'issues'})`,
    error.issues.map((issue) => {
      const located = issue.path && !issue.message.includes(issue.path) ? ` [at ${issue.path}]` : '';
      return `${issue.message}${located}`;
    }),
  );
}

/**
 * Builds what a parsed config describes, through `importSchedule`: native configs, reference
 * configs, Keras schedules and model configs, timm `args.yaml`, Hugging Face `TrainingArguments`,
 * LightningCLI configs and `reduceOnPlateau` configs. `epochs` carries `--steps-per-epoch` and
 * `--updates-per-epoch`. Invalid configs become a `CliError` (exit 1) whose details list every
 * issue; a missing option is a usage error (exit 2) naming its flag.
 */
export function loadConfig(json: unknown, label: string, epochs: EpochOptions = {}): LoadedConfig {
  try {
    if (isPlainObject(json) && json.type === 'reduceOnPlateau') {
      const { type: _type, ...options } = json;
      const controller = reduceOnPlateau(options);
      return {
        kind: 'plateau',
        controller,
        name: 'reduceOnPlateau',
        config: controller.config,
        report: undefined,
      };
    }
    const result = importSchedule(json, epochs);
    const name = nameOf(json, result);
    const report = result.format === 'anneal' ? undefined : result.report;
    if (result.kind === 'plateau') {
      return { kind: 'plateau', controller: result.controller, name, config: result.config, report };
    }
    return { kind: 'schedule', schedule: result.schedule, name, config: result.config, report };
  } catch (error) {
    if (ScheduleConfigError.isInstance(error)) throw configError(error, label);
    if (isStackOverflow(error)) throw nestedTooDeeply(label, 'build');
    throw error;
  }
}

/** The schedule a command needs, or a clear error for a metric-driven controller. */
export function requireSchedule(loaded: LoadedConfig, label: string, command: string): Schedule {
  if (loaded.kind === 'schedule') return loaded.schedule;
  throw inputError(
    `${label}: ${loaded.name} is metric-driven (a plateau controller): it has no value at a step without metrics; ${command} needs a schedule (use \`anneal values --cases\` with a case that lists its metrics)`,
  );
}

/** What the schedule's step counts, in words, when it is not the optimizer update. */
export function stepUnitNote(loaded: LoadedConfig): string | undefined {
  if (loaded.report?.stepUnit !== 'epoch') return undefined;
  return 'its steps count epochs (give --steps-per-epoch N to run it on optimizer updates)';
}

function describeValue(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/**
 * The import report as lines: what was assumed (always worth reading) and how many keys were
 * ignored; with `full`, the notes and every key read and ignored. Empty for native configs.
 */
export function reportLines(loaded: LoadedConfig, full = true): string[] {
  const report = loaded.report;
  if (report === undefined) return [];
  const lines: string[] = [];
  for (const item of report.assumed)
    lines.push(`assumed ${item.key} = ${describeValue(item.value)}: ${flagWords(item.reason)}`);
  if (full) {
    for (const note of report.notes) lines.push(`note: ${flagWords(note)}`);
    for (const item of report.read) lines.push(`read ${item.key} = ${describeValue(item.value)}`);
    for (const item of report.ignored)
      lines.push(`ignored ${item.key}${item.reason ? `: ${flagWords(item.reason)}` : ''}`);
  } else if (report.ignored.length > 0) {
    lines.push(`ignored ${report.ignored.length} keys that do not change the schedule (--report lists them)`);
  }
  return lines;
}
