/**
 * What `importSchedule` returns and the pieces every format's importer shares: the options a file
 * cannot state (steps and updates per epoch), the report of what was read, assumed and ignored, and
 * the step from a library config to an anneal schedule (errors restated in the file's own keys).
 */
import { epochSchedule } from '../../compose/epochs';
import { isPlateauController, type PlateauController } from '../../compose/plateau';
import { toConfig } from '../../config';
import { ScheduleConfigError, type ValidationIssue } from '../../errors';
import type { Schedule, ScheduleConfig } from '../../schedule';
import { IssueCollector, isPlainObject, type OptionSpecs, validateOptions } from '../../validate';
import { fromReference } from '../from-reference';
import type { ReferenceConfig } from '../registry';

/** The formats `importSchedule` recognizes, as `format` names them. */
export type ImportFormat =
  | 'anneal'
  | 'reference'
  | 'keras-schedule'
  | 'keras-model'
  | 'timm-args'
  | 'hf-training-arguments'
  | 'lightning-config';

/** What a file cannot say about the run, given by the caller. */
export interface ImportOptions {
  /**
   * Batches per epoch, per process: `len(train_loader)` (timm, Lightning), `len(train_dataloader)`
   * (transformers `Trainer`). Updates per epoch follow from it as each library computes them.
   */
  readonly stepsPerEpoch?: number;
  /** Optimizer updates per epoch, when known directly (overrides the count from `stepsPerEpoch`). */
  readonly updatesPerEpoch?: number;
  /** timm: the number of processes of the distributed run (`args.world_size`, absent from args.yaml). Default 1. */
  readonly worldSize?: number;
}

export const importOptionSpecs: OptionSpecs = {
  stepsPerEpoch: {
    kind: 'number',
    integer: true,
    min: 1,
    optional: true,
    description: 'Batches per epoch (len(train_loader)), per process.',
  },
  updatesPerEpoch: {
    kind: 'number',
    integer: true,
    min: 1,
    optional: true,
    description: 'Optimizer updates per epoch (overrides the count derived from stepsPerEpoch).',
  },
  worldSize: {
    kind: 'number',
    integer: true,
    min: 1,
    optional: true,
    description: 'timm: processes in the distributed run (args.world_size). Default 1.',
  },
};

/** A key of the file that was read, with the value used. */
export interface ReadKey {
  readonly key: string;
  readonly value: unknown;
}

/** A value the file did not give (or could not give), with the value used and why. */
export interface Assumption {
  readonly key: string;
  readonly value: unknown;
  readonly reason: string;
}

/** A key of the file that does not change the schedule, and why where it is not obvious. */
export interface IgnoredKey {
  readonly key: string;
  readonly reason?: string;
}

/**
 * What the schedule's step counts: optimizer updates, batches (Keras with gradient accumulation
 * calls the schedule on every batch), epochs (a per-epoch schedule), or reported metrics (a plateau
 * controller: one `report(metric)` per evaluation).
 */
export type StepUnit = 'update' | 'batch' | 'epoch' | 'report';

export interface ImportReport {
  readonly format: ImportFormat;
  readonly stepUnit: StepUnit;
  readonly read: readonly ReadKey[];
  readonly assumed: readonly Assumption[];
  readonly ignored: readonly IgnoredKey[];
  /** Facts about the run worth knowing (how the library steps the scheduler, totals it computes). */
  readonly notes: readonly string[];
}

interface ImportBase {
  readonly format: ImportFormat;
  readonly report: ImportReport;
}

/** A schedule, and its native anneal config (re-read by `fromConfig` or `fromAnyConfig`). */
export interface ScheduleImport extends ImportBase {
  readonly kind: 'schedule';
  readonly schedule: Schedule;
  readonly config: ScheduleConfig;
}

/** A metric-driven scheduler: a plateau controller, and the reference config `fromReference` re-reads. */
export interface PlateauImport extends ImportBase {
  readonly kind: 'plateau';
  readonly controller: PlateauController;
  readonly config: ReferenceConfig;
}

export type ImportResult = ScheduleImport | PlateauImport;

/** Collects the report while a format is read. */
export class ReportBuilder {
  readonly read: ReadKey[] = [];
  readonly assumed: Assumption[] = [];
  readonly ignored: IgnoredKey[] = [];
  readonly notes: string[] = [];

  constructor(readonly format: ImportFormat) {}

  useKey(key: string, value: unknown): void {
    this.read.push({ key, value });
  }

  assume(key: string, value: unknown, reason: string): void {
    this.assumed.push({ key, value, reason });
  }

  ignore(key: string, reason?: string): void {
    this.ignored.push(reason === undefined ? { key } : { key, reason });
  }

  /** Moves a key read earlier to the ignored ones (it turned out not to change the schedule). */
  unread(key: string, reason: string): void {
    const index = this.read.findIndex((entry) => entry.key === key);
    if (index >= 0) {
      this.read.splice(index, 1);
      this.ignore(key, reason);
    }
    const assumed = this.assumed.findIndex((entry) => entry.key === key);
    if (assumed >= 0) this.assumed.splice(assumed, 1);
  }

  /** Was `key` read or ignored already? */
  handled(key: string): boolean {
    return this.read.some((entry) => entry.key === key) || this.ignored.some((entry) => entry.key === key);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** Every key of `input` not already read or ignored, under `prefix`, as ignored. */
  ignoreRest(input: Record<string, unknown>, prefix = ''): void {
    const seen = new Set([...this.read.map((entry) => entry.key), ...this.ignored.map((entry) => entry.key)]);
    for (const key of Object.keys(input)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (!seen.has(path)) this.ignore(path);
    }
  }

  build(stepUnit: StepUnit): ImportReport {
    return {
      format: this.format,
      stepUnit,
      read: [...this.read],
      assumed: [...this.assumed],
      ignored: [...this.ignored],
      notes: [...this.notes],
    };
  }
}

/**
 * Validates the keys a format reads against their specs (other keys pass: they are reported as
 * ignored) and applies the library's defaults; `null` means "not given" as `nullIsAbsent` says.
 */
export function readFileKeys(
  specs: OptionSpecs,
  input: Record<string, unknown>,
  issues: IssueCollector,
  nullIsAbsent: 'optional' | 'defaulted',
): Record<string, unknown> {
  return validateOptions(specs, input, issues, { ignoreKeys: Object.keys(input), nullIsAbsent }).options;
}

/** Validates `importSchedule`'s options; throws `ScheduleConfigError` naming each bad option. */
export function readImportOptions(options: unknown): ImportOptions {
  const issues = new IssueCollector('importSchedule', 'options');
  if (options === undefined) return {};
  if (!isPlainObject(options)) {
    issues.add('', 'an options object { stepsPerEpoch?, updatesPerEpoch?, worldSize? }', options);
    throw new ScheduleConfigError('importSchedule', issues.issues);
  }
  const { options: read } = validateOptions(importOptionSpecs, options, issues);
  if (!issues.ok) throw new ScheduleConfigError('importSchedule', issues.issues);
  return read as ImportOptions;
}

/**
 * Optimizer updates per epoch: `options.updatesPerEpoch`, else ceil(options.stepsPerEpoch /
 * accumulation), as the library counts them (`why` says how); undefined when neither was given.
 * Recorded in the report as assumed under `key`.
 */
export function updatesPerEpoch(
  options: ImportOptions,
  accumulation: number,
  report: ReportBuilder,
  key: string,
  why: string,
): number | undefined {
  if (options.updatesPerEpoch !== undefined) {
    report.assume(key, options.updatesPerEpoch, 'options.updatesPerEpoch');
    return options.updatesPerEpoch;
  }
  if (options.stepsPerEpoch === undefined) return undefined;
  const updates = Math.ceil(options.stepsPerEpoch / accumulation);
  report.assume(key, updates, `${why}, with options.stepsPerEpoch ${options.stepsPerEpoch}`);
  return updates;
}

/** The issue for an option the file needs and the caller did not give. */
export function missingOption(builder: string, option: string, why: string): ScheduleConfigError {
  return new ScheduleConfigError(builder, [
    {
      path: `options.${option}`,
      expected: 'an integer >= 1',
      received: undefined,
      message: `${builder}: options.${option} is required: ${why}.`,
    },
  ]);
}

/**
 * Builds a reference config and restates the reference layer's issues in the file's keys:
 * `keyOf(param)` names the file's key behind a library parameter (undefined: the parameter itself).
 */
export function buildReference(
  builder: string,
  reference: ReferenceConfig,
  keyOf: (param: string) => string | undefined,
): Schedule | PlateauController {
  try {
    return fromReference(reference);
  } catch (error) {
    if (!ScheduleConfigError.isInstance(error)) throw error;
    const issues: ValidationIssue[] = error.issues.map((issue) => {
      const param = issue.path.replace(/^params\./, '').replace(/^native\./, '');
      const key = keyOf(param.split(/[.[]/)[0] ?? param) ?? issue.path;
      return { ...issue, path: key, message: `${builder}: ${key}: ${issue.message}` };
    });
    throw new ScheduleConfigError(builder, issues);
  }
}

/**
 * The result of a format whose library config became `built`. A per-epoch schedule runs on optimizer
 * updates when `updatesPerEpoch` is known (constant within each epoch, via `epochSchedule`).
 */
export function finish(
  format: ImportFormat,
  built: Schedule | PlateauController,
  reference: ReferenceConfig,
  report: ReportBuilder,
  perEpoch: { readonly updatesPerEpoch: number | undefined } | undefined,
): ImportResult {
  if (isPlateauController(built)) {
    return { kind: 'plateau', format, controller: built, config: reference, report: report.build('report') };
  }
  if (perEpoch?.updatesPerEpoch === undefined) {
    const config = toConfig(built);
    return {
      kind: 'schedule',
      format,
      schedule: built,
      config,
      report: report.build(perEpoch ? 'epoch' : 'update'),
    };
  }
  const schedule = epochSchedule({ schedule: built, stepsPerEpoch: perEpoch.updatesPerEpoch });
  report.note(
    `The per-epoch schedule runs on optimizer updates: update k uses the value of epoch floor(k / ${perEpoch.updatesPerEpoch}).`,
  );
  return { kind: 'schedule', format, schedule, config: toConfig(schedule), report: report.build('update') };
}
