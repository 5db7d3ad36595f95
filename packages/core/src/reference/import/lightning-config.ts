/**
 * A LightningCLI `config.yaml` (as `SaveConfigCallback` or `--print_config` writes it), parsed: the
 * `optimizer` and `lr_scheduler` sections, `{ class_path, init_args }`. LightningCLI's
 * `configure_optimizers` returns the scheduler with Lightning's default interval, `"epoch"`: torch's
 * `scheduler.step()` runs once at the end of each epoch (`ReduceLROnPlateau` with the monitored metric).
 */
import { ScheduleConfigError } from '../../errors';
import { isPlainObject } from '../../validate';
import { listReferenceApis } from '../apis';
import { ParamIssues, type ReferenceConfig } from '../registry';
import {
  buildReference,
  finish,
  type ImportOptions,
  type ImportResult,
  ReportBuilder,
  updatesPerEpoch,
} from './report';

const builder = 'importSchedule (LightningCLI config)';
const torchPrefix = 'torch.optim.lr_scheduler.';
/** LightningCLI's own ReduceLROnPlateau (it adds `monitor`), under its current and former package names. */
const lightningPlateau = [
  'lightning.pytorch.cli.ReduceLROnPlateau',
  'pytorch_lightning.cli.ReduceLROnPlateau',
];
/** torch schedulers LightningCLI cannot build from a config: they take other scheduler objects. */
const composites = ['SequentialLR', 'ChainedScheduler'];

/** The `lr_scheduler.class_path` values read: torch's schedulers by full or short name, and Lightning's ReduceLROnPlateau. */
export function lightningSchedulerClasses(): string[] {
  const torch = listReferenceApis()
    .filter(
      (definition) =>
        definition.library === 'pytorch' && !composites.includes(definition.shortNames?.[0] ?? ''),
    )
    .map((definition) => definition.api);
  return [...torch, ...lightningPlateau];
}

const sectionsWhy: Record<string, string> = {
  trainer: 'the Trainer (the scheduler steps once per epoch, whatever max_epochs is)',
  model: 'the LightningModule',
  data: 'the LightningDataModule',
  seed_everything: 'randomness, not the schedule',
  ckpt_path: 'a resumed run continues on the same schedule',
};

type Config = Record<string, unknown>;

/** Reads a LightningCLI config (parsed) into a schedule or a plateau controller; throws `ScheduleConfigError` listing every issue. */
export function importLightningConfig(input: Config, options: ImportOptions): ImportResult {
  const report = new ReportBuilder('lightning-config');
  const issues = new ParamIssues(builder);
  const config = isPlainObject(input.fit) && !('optimizer' in input) ? input.fit : input;
  const prefix = config === input ? '' : 'fit.';
  if (config !== input) report.note('Read the "fit" subcommand\'s section.');
  checkInjected(config, prefix, issues);
  const baseLr = readOptimizer(config.optimizer, prefix, issues, report);
  const scheduler = readScheduler(config.lr_scheduler, prefix, issues, report);
  if (!issues.ok) throw new ScheduleConfigError(builder, issues.issues);
  for (const key of Object.keys(config)) {
    if (key !== 'optimizer' && key !== 'lr_scheduler') report.ignore(`${prefix}${key}`, sectionsWhy[key]);
  }
  const reference: ReferenceConfig = scheduler
    ? { api: scheduler.api, params: scheduler.params, base_lr: baseLr }
    : { api: `${torchPrefix}ConstantLR`, params: { factor: 1, total_iters: 0 }, base_lr: baseLr };
  if (!scheduler) report.note('No lr_scheduler: the learning rate stays at optimizer.init_args.lr.');
  const isPlateau = reference.api.endsWith('ReduceLROnPlateau');
  report.note(
    isPlateau
      ? 'Lightning steps ReduceLROnPlateau once per epoch with the monitored metric: call report(metric) once per epoch.'
      : 'Lightning steps the scheduler once per epoch (LightningCLI\'s interval is "epoch"): step t of the schedule is epoch t.',
  );
  const updatesPerEpoch = isPlateau ? undefined : lightningUpdatesPerEpoch(config.trainer, options, report);
  const built = buildReference(builder, reference, (param) =>
    param === 'base_lr' ? `${prefix}optimizer.init_args.lr` : `${prefix}lr_scheduler.init_args.${param}`,
  );
  return finish('lightning-config', built, reference, report, { updatesPerEpoch });
}

/** A model that receives its optimizer or scheduler as init arguments builds them itself: not readable here. */
function checkInjected(config: Config, prefix: string, issues: ParamIssues): void {
  const model = config.model;
  const initArgs = isPlainObject(model) && isPlainObject(model.init_args) ? model.init_args : undefined;
  if (!initArgs || 'optimizer' in config || 'lr_scheduler' in config) return;
  for (const key of ['optimizer', 'lr_scheduler', 'scheduler']) {
    if (initArgs[key] === undefined || initArgs[key] === null) continue;
    issues.addRule(
      `${prefix}model.init_args.${key}`,
      `${prefix}model.init_args.${key} is not supported: the model builds its own optimizer and scheduler from it in configure_optimizers, which the config does not describe; move them to the top-level optimizer and lr_scheduler sections`,
      'absent',
      initArgs[key],
    );
  }
}

function readOptimizer(
  value: unknown,
  prefix: string,
  issues: ParamIssues,
  report: ReportBuilder,
): number | undefined {
  const path = `${prefix}optimizer`;
  if (!isPlainObject(value) || typeof value.class_path !== 'string') {
    issues.add(
      path,
      'an optimizer { class_path, init_args: { lr, ... } } (its lr is the base learning rate)',
      value,
    );
    return undefined;
  }
  const initArgs = value.init_args ?? {};
  const lr = isPlainObject(initArgs) ? initArgs.lr : undefined;
  if (!(typeof lr === 'number' && Number.isFinite(lr) && lr >= 0)) {
    issues.add(`${path}.init_args.lr`, "a finite number >= 0 (the optimizer's learning rate)", lr);
    return undefined;
  }
  report.useKey(`${path}.init_args.lr`, lr);
  report.ignore(`${path}.class_path`, 'the optimizer, not the schedule');
  for (const key of Object.keys(initArgs as Config)) {
    if (key !== 'lr') report.ignore(`${path}.init_args.${key}`, 'the optimizer, not the schedule');
  }
  return lr;
}

interface SchedulerSection {
  readonly api: string;
  readonly params: Record<string, unknown>;
}

function readScheduler(
  value: unknown,
  prefix: string,
  issues: ParamIssues,
  report: ReportBuilder,
): SchedulerSection | undefined {
  const path = `${prefix}lr_scheduler`;
  if (value === undefined || value === null) return undefined;
  const classes = lightningSchedulerClasses();
  const short = (name: string) => name.slice(name.lastIndexOf('.') + 1);
  const classPath = isPlainObject(value) ? value.class_path : undefined;
  const match =
    typeof classPath === 'string'
      ? classes.find((name) => name === classPath || short(name) === classPath)
      : undefined;
  if (!isPlainObject(value) || !match) {
    issues.addRule(
      `${path}.class_path`,
      `unknown ${path}.class_path ${typeof classPath === 'string' ? JSON.stringify(classPath) : '(missing)'}: expected one of ${classes.join(', ')} (or a short name such as CosineAnnealingLR)`,
      `one of ${classes.join(', ')}`,
      classPath,
    );
    return undefined;
  }
  const initArgs = value.init_args ?? {};
  if (!isPlainObject(initArgs)) {
    issues.add(`${path}.init_args`, "an object of the scheduler's arguments", initArgs);
    return undefined;
  }
  report.useKey(`${path}.class_path`, classPath);
  const params: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(initArgs)) {
    if (key === 'verbose') report.ignore(`${path}.init_args.verbose`, 'printing only');
    else if (key === 'monitor')
      report.ignore(`${path}.init_args.monitor`, 'the metric Lightning reports: report(metric) takes it');
    else {
      params[key] = item;
      report.useKey(`${path}.init_args.${key}`, item);
    }
  }
  for (const key of Object.keys(value)) {
    if (key !== 'class_path' && key !== 'init_args') report.ignore(`${path}.${key}`);
  }
  if (match === `${torchPrefix}ReduceLROnPlateau`) {
    report.note(
      "torch's ReduceLROnPlateau has no monitor, which Lightning requires of a ReduceLROnPlateau scheduler: LightningCLI's lightning.pytorch.cli.ReduceLROnPlateau (with init_args.monitor) is the one a LightningCLI run can use.",
    );
  }
  const api = lightningPlateau.includes(match) ? `${torchPrefix}ReduceLROnPlateau` : match;
  return { api, params };
}

/** Optimizer updates per epoch: options.updatesPerEpoch, or ceil(batches / trainer.accumulate_grad_batches). */
function lightningUpdatesPerEpoch(
  trainer: unknown,
  options: ImportOptions,
  report: ReportBuilder,
): number | undefined {
  const accumulate = isPlainObject(trainer) ? trainer.accumulate_grad_batches : undefined;
  const every =
    typeof accumulate === 'number' && Number.isSafeInteger(accumulate) && accumulate >= 1 ? accumulate : 1;
  return updatesPerEpoch(
    options,
    every,
    report,
    'updates_per_epoch',
    `ceil(batches / trainer.accumulate_grad_batches (${every})): Lightning also steps the optimizer on an epoch's last, partial accumulation`,
  );
}
