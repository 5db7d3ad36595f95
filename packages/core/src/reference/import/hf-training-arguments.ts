/**
 * Hugging Face `TrainingArguments` as `to_dict()` / `to_json_string()` write them (JSON, or the same
 * keys in YAML), parsed. The scheduler is the one `Trainer.create_scheduler` builds: `get_scheduler(
 * lr_scheduler_type, num_warmup_steps=args.get_warmup_steps(max_steps), num_training_steps=max_steps,
 * scheduler_specific_kwargs=lr_scheduler_kwargs)`, with max_steps as `Trainer` computes it.
 */
import { ScheduleConfigError } from '../../errors';
import { isPlainObject, type OptionSpecs } from '../../validate';
import { ParamIssues, type ReferenceConfig } from '../registry';
import {
  buildReference,
  finish,
  type ImportOptions,
  type ImportResult,
  missingOption,
  ReportBuilder,
  readFileKeys,
  updatesPerEpoch,
} from './report';

const builder = 'importSchedule (transformers TrainingArguments)';

/** transformers' `SchedulerType` values and the function `get_scheduler` calls for each. */
const functions = {
  linear: 'get_linear_schedule_with_warmup',
  cosine: 'get_cosine_schedule_with_warmup',
  cosine_with_restarts: 'get_cosine_with_hard_restarts_schedule_with_warmup',
  polynomial: 'get_polynomial_decay_schedule_with_warmup',
  constant: 'get_constant_schedule',
  constant_with_warmup: 'get_constant_schedule_with_warmup',
  inverse_sqrt: 'get_inverse_sqrt_schedule',
  reduce_lr_on_plateau: 'get_reduce_on_plateau_schedule',
  cosine_with_min_lr: 'get_cosine_with_min_lr_schedule_with_warmup',
  cosine_warmup_with_min_lr: 'get_cosine_with_min_lr_schedule_with_warmup_lr_rate',
  warmup_stable_decay: 'get_wsd_schedule',
} as const;

type SchedulerType = keyof typeof functions;

/** Every `lr_scheduler_type` read here (transformers' `SchedulerType`, without the layer-wise internals). */
export const hfSchedulerTypes = Object.keys(functions) as SchedulerType[];

/** Types `get_scheduler` calls without `num_training_steps` or `scheduler_specific_kwargs`. */
const withoutTraining: readonly SchedulerType[] = [
  'constant',
  'constant_with_warmup',
  'inverse_sqrt',
  'reduce_lr_on_plateau',
];
const withoutKwargs: readonly SchedulerType[] = ['constant', 'constant_with_warmup', 'inverse_sqrt'];
const withoutWarmup: readonly SchedulerType[] = ['constant', 'reduce_lr_on_plateau'];

/** The keys read, with `TrainingArguments`' defaults. */
const specs: OptionSpecs = {
  learning_rate: { kind: 'number', min: 0, default: 5e-5 },
  lr_scheduler_type: { kind: 'string', default: 'linear' },
  warmup_ratio: { kind: 'number', min: 0, max: 1, default: 0 },
  warmup_steps: { kind: 'number', min: 0, default: 0 },
  max_steps: { kind: 'number', integer: true, default: -1 },
  num_train_epochs: { kind: 'number', min: 0, default: 3 },
  gradient_accumulation_steps: { kind: 'number', integer: true, min: 1, default: 1 },
};

/** Keys that look like they matter, and why they do not change the schedule. */
const ignoredWhy: Record<string, string> = {
  optim: 'the optimizer, not the schedule (its learning rate is learning_rate)',
  optim_args: 'the optimizer, not the schedule',
  adafactor: 'the optimizer, not the schedule',
  per_device_train_batch_size: 'sets the dataloader length: give it as options.stepsPerEpoch',
  dataloader_drop_last: 'sets the dataloader length: give it as options.stepsPerEpoch',
  resume_from_checkpoint: 'a resumed run continues on the same schedule',
  ignore_data_skip: 'a resumed run continues on the same schedule',
};

type Args = Record<string, unknown>;

/** Reads TrainingArguments (parsed) into a schedule or a plateau controller; throws `ScheduleConfigError` listing every issue. */
export function importTrainingArguments(input: Args, options: ImportOptions): ImportResult {
  const issues = new ParamIssues(builder);
  const report = new ReportBuilder('hf-training-arguments');
  const args = readFileKeys(specs, input, issues, 'defaulted');
  const type = args.lr_scheduler_type as string;
  if (typeof type === 'string' && !hfSchedulerTypes.includes(type as SchedulerType)) {
    issues.addRule(
      'lr_scheduler_type',
      `unknown lr_scheduler_type ${JSON.stringify(type)}: expected one of ${hfSchedulerTypes.join(', ')}`,
      `one of ${hfSchedulerTypes.join(', ')}`,
      type,
    );
  }
  const kwargs = readKwargs(input.lr_scheduler_kwargs, issues);
  checkDeepSpeed(input.deepspeed, issues, report);
  if (!issues.ok) throw new ScheduleConfigError(builder, issues.issues);
  const name = type as SchedulerType;
  for (const key of Object.keys(specs)) {
    if (key in input && input[key] !== null) report.useKey(key, input[key]);
    else report.assume(key, args[key], `absent: TrainingArguments' default`);
  }
  const total = trainingSteps(name, args, kwargs, options, report);
  const warmup = withoutWarmup.includes(name) ? undefined : warmupCount(args, total, report);
  const reference = hfReference(name, args, kwargs, warmup, total, report);
  for (const key of Object.keys(input)) {
    if (!report.handled(key)) report.ignore(key, ignoredWhy[key]);
  }
  report.note(
    name === 'reduce_lr_on_plateau'
      ? 'Trainer steps ReduceLROnPlateau after each evaluation with the metric it reports (metric_for_best_model, else eval_loss): call report(metric) once per evaluation.'
      : 'Trainer steps the scheduler after every optimizer update: step k of the schedule is the learning rate of update k (k = 0: the first).',
  );
  const built = buildReference(builder, reference, (param) => keyOf(param, args));
  return finish('hf-training-arguments', built, reference, report, undefined);
}

/** `lr_scheduler_kwargs`: an object, a JSON string of one (TrainingArguments parses it), or null. */
function readKwargs(value: unknown, issues: ParamIssues): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = value.trim() === '' ? {} : JSON.parse(value);
    } catch {
      issues.add('lr_scheduler_kwargs', 'an object, or a JSON string of one', value);
      return {};
    }
  }
  if (!isPlainObject(parsed)) {
    issues.add('lr_scheduler_kwargs', 'an object, or a JSON string of one', value);
    return {};
  }
  return parsed;
}

/** A DeepSpeed config with its own `scheduler` replaces Trainer's: that schedule is not in these arguments. */
function checkDeepSpeed(value: unknown, issues: ParamIssues, report: ReportBuilder): void {
  if (value === undefined || value === null) return;
  if (isPlainObject(value) && value.scheduler !== undefined) {
    issues.addRule(
      'deepspeed.scheduler',
      "deepspeed.scheduler is not supported: DeepSpeed's own scheduler replaces the one TrainingArguments describe; remove it to use lr_scheduler_type",
      'absent',
      value.scheduler,
    );
    return;
  }
  report.ignore(
    'deepspeed',
    typeof value === 'string'
      ? `a DeepSpeed config file (${value}) is not read: if it has a "scheduler" section, DeepSpeed's scheduler replaces this one`
      : 'no "scheduler" section: Trainer builds the scheduler',
  );
}

/** max_steps as Trainer computes it, or undefined where the scheduler does not need it and it cannot be known. */
function trainingSteps(
  type: SchedulerType,
  args: Args,
  kwargs: Record<string, unknown>,
  options: ImportOptions,
  report: ReportBuilder,
): number | undefined {
  const maxSteps = args.max_steps as number;
  if (maxSteps > 0) {
    report.note(`num_training_steps = max_steps = ${maxSteps} (max_steps > 0 wins over num_train_epochs).`);
    report.unread('num_train_epochs', 'max_steps > 0 wins');
    report.unread('gradient_accumulation_steps', 'max_steps > 0 counts optimizer updates already');
    return maxSteps;
  }
  const accumulation = args.gradient_accumulation_steps as number;
  const perEpoch = updatesPerEpoch(
    options,
    accumulation,
    report,
    'num_update_steps_per_epoch',
    'Trainer: max(len_dataloader // gradient_accumulation_steps + int(len_dataloader % gradient_accumulation_steps > 0), 1) with len_dataloader = options.stepsPerEpoch; older releases floor it (len_dataloader // gradient_accumulation_steps): give options.updatesPerEpoch to match one',
  );
  const needsTotal =
    !withoutTraining.includes(type) ||
    (!withoutWarmup.includes(type) &&
      !((args.warmup_steps as number) >= 1) &&
      ((args.warmup_steps as number) > 0 || (args.warmup_ratio as number) > 0));
  const stableGiven =
    type === 'warmup_stable_decay' &&
    kwargs.num_stable_steps !== undefined &&
    kwargs.num_stable_steps !== null;
  if (perEpoch === undefined) {
    if (needsTotal && !stableGiven) {
      throw missingOption(
        builder,
        'stepsPerEpoch',
        `max_steps is ${maxSteps}, so Trainer counts the training steps as ceil(num_train_epochs × updates per epoch), and updates per epoch come from the dataloader's length: give stepsPerEpoch (len(train_dataloader)) or updatesPerEpoch`,
      );
    }
    return undefined;
  }
  const total = Math.ceil((args.num_train_epochs as number) * perEpoch);
  report.note(
    `num_training_steps = ceil(num_train_epochs × num_update_steps_per_epoch) = ceil(${args.num_train_epochs} × ${perEpoch}) = ${total}.`,
  );
  return total;
}

/** TrainingArguments.get_warmup_steps: int(warmup_steps) when >= 1, else ceil(total × ratio) for a fraction below 1 (v5) or warmup_ratio. */
function warmupCount(args: Args, total: number | undefined, report: ReportBuilder): number {
  const steps = args.warmup_steps as number;
  const ratio = args.warmup_ratio as number;
  if (steps >= 1) {
    report.unread('warmup_ratio', 'warmup_steps >= 1 overrides it');
    if (Number.isInteger(steps)) return steps;
    const whole = Math.trunc(steps);
    report.assume(
      'num_warmup_steps',
      whole,
      `int(warmup_steps) = int(${steps}), as transformers 5's get_warmup_steps truncates it`,
    );
    return whole;
  }
  const fraction = steps > 0 ? steps : ratio;
  if (fraction === 0) return 0;
  const count = Math.ceil((total as number) * fraction);
  report.note(
    `num_warmup_steps = ceil(num_training_steps × ${steps > 0 ? 'warmup_steps (a fraction below 1, transformers 5)' : 'warmup_ratio'}) = ceil(${total} × ${fraction}) = ${count}.`,
  );
  return count;
}

function hfReference(
  type: SchedulerType,
  args: Args,
  kwargs: Record<string, unknown>,
  warmup: number | undefined,
  total: number | undefined,
  report: ReportBuilder,
): ReferenceConfig {
  const baseLr = args.learning_rate as number;
  if (type === 'reduce_lr_on_plateau') {
    for (const key of [
      'warmup_steps',
      'warmup_ratio',
      'max_steps',
      'num_train_epochs',
      'gradient_accumulation_steps',
    ]) {
      report.unread(key, 'reduce_lr_on_plateau has no warm-up and no length');
    }
    report.useKey('lr_scheduler_kwargs', kwargs);
    return { api: 'torch.optim.lr_scheduler.ReduceLROnPlateau', params: kwargs, base_lr: baseLr };
  }
  if (withoutKwargs.includes(type)) {
    for (const key of Object.keys(kwargs)) {
      report.ignore(
        `lr_scheduler_kwargs.${key}`,
        `get_scheduler does not pass lr_scheduler_kwargs to ${functions[type]}`,
      );
    }
  } else {
    report.useKey('lr_scheduler_kwargs', kwargs);
  }
  if (type === 'constant') {
    for (const key of ['warmup_steps', 'warmup_ratio']) {
      report.unread(key, 'get_scheduler builds "constant" without a warm-up');
    }
  }
  const params: Record<string, unknown> = {
    ...(type === 'constant' ? {} : { num_warmup_steps: warmup }),
    ...(withoutTraining.includes(type) || total === undefined ? {} : { num_training_steps: total }),
    ...(withoutKwargs.includes(type) ? {} : kwargs),
  };
  return { api: `transformers.optimization.${functions[type]}`, params, base_lr: baseLr };
}

/** The TrainingArguments key behind a parameter of the schedule function. */
function keyOf(param: string, args: Args): string {
  if (param === 'base_lr') return 'learning_rate';
  if (param === 'num_warmup_steps')
    return (args.warmup_steps as number) > 0 ? 'warmup_steps' : 'warmup_ratio';
  if (param === 'num_training_steps')
    return (args.max_steps as number) > 0 ? 'max_steps' : 'num_train_epochs';
  return `lr_scheduler_kwargs.${param}`;
}
