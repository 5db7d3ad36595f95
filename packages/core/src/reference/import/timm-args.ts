/**
 * timm's `args.yaml`, as `train.py` writes it (`yaml.safe_dump(args.__dict__)`: every argument,
 * keys sorted), parsed. Read as timm 1.0's `scheduler_kwargs(args)` and `create_scheduler_v2` read
 * it, defaults included, with the learning rate `train.py` computes when `lr` is null.
 */
import { ScheduleConfigError } from '../../errors';
import type { OptionSpecs } from '../../validate';
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

const builder = 'importSchedule (timm args.yaml)';

/** The `sched` values timm 1.0's `create_scheduler_v2` builds. */
export const timmScheds = ['cosine', 'tanh', 'step', 'multistep', 'plateau', 'poly'] as const;

/** The keys `scheduler_kwargs(cfg)` reads, with its `getattr` defaults. */
const schedulerSpecs: OptionSpecs = {
  sched: { kind: 'string' },
  epochs: { kind: 'number', min: 0, minExclusive: true, default: 100 },
  decay_epochs: { kind: 'number', min: 0, minExclusive: true, default: 30 },
  decay_milestones: { kind: 'numberArray', min: 0, default: [30, 60] },
  warmup_epochs: { kind: 'number', min: 0, default: 5 },
  cooldown_epochs: { kind: 'number', min: 0, default: 0 },
  patience_epochs: { kind: 'number', integer: true, min: 0, default: 10 },
  decay_rate: { kind: 'number', default: 0.1 },
  min_lr: { kind: 'number', min: 0, default: 0 },
  warmup_lr: { kind: 'number', min: 0, default: 1e-5 },
  warmup_prefix: { kind: 'boolean', default: false },
  lr_noise_pct: { kind: 'number', default: 0.67 },
  lr_noise_std: { kind: 'number', default: 1 },
  seed: { kind: 'number', integer: true, min: 0, default: 42 },
  lr_cycle_mul: { kind: 'number', default: 1 },
  lr_cycle_decay: { kind: 'number', default: 0.1 },
  lr_cycle_limit: { kind: 'number', integer: true, default: 1 },
  lr_k_decay: { kind: 'number', default: 1 },
  eval_metric: { kind: 'string', default: 'top1' },
  sched_on_updates: { kind: 'boolean', default: false },
};

/** The keys `train.py` computes the learning rate from when `lr` is null, with its argparse defaults. */
const lrSpecs: OptionSpecs = {
  lr: { kind: 'number', min: 0, optional: true },
  lr_base: { kind: 'number', min: 0, default: 0.1 },
  lr_base_size: { kind: 'number', min: 0, minExclusive: true, default: 256 },
  lr_base_scale: { kind: 'string', default: '' },
  batch_size: { kind: 'number', integer: true, min: 1, default: 128 },
  grad_accum_steps: { kind: 'number', integer: true, min: 1, default: 1 },
  opt: { kind: 'string', default: 'sgd' },
};

/** Which timm parameter each args key becomes (for the reference layer's messages). */
const keyOfParam: Record<string, string> = {
  t_initial: 'epochs',
  lr_min: 'min_lr',
  warmup_t: 'warmup_epochs',
  warmup_lr_init: 'warmup_lr',
  warmup_prefix: 'warmup_prefix',
  cycle_mul: 'lr_cycle_mul',
  cycle_decay: 'lr_cycle_decay',
  cycle_limit: 'lr_cycle_limit',
  k_decay: 'lr_k_decay',
  decay_rate: 'decay_rate',
  power: 'decay_rate',
  patience_t: 'patience_epochs',
  noise_range_t: 'lr_noise',
  noise_pct: 'lr_noise_pct',
  noise_std: 'lr_noise_std',
  noise_seed: 'seed',
  mode: 'eval_metric',
  base_lr: 'lr',
};

/** The scheduler keys each `sched` uses beyond the warm-up, noise and `epochs`. */
const cycleKeys = [
  'min_lr',
  'lr_cycle_mul',
  'lr_cycle_decay',
  'lr_cycle_limit',
  'warmup_prefix',
  'cooldown_epochs',
];
const usedBySched: Record<(typeof timmScheds)[number], readonly string[]> = {
  cosine: [...cycleKeys, 'lr_k_decay'],
  tanh: cycleKeys,
  poly: [...cycleKeys, 'lr_k_decay', 'decay_rate'],
  step: ['decay_epochs', 'decay_rate', 'warmup_prefix'],
  multistep: ['decay_milestones', 'decay_rate', 'warmup_prefix'],
  plateau: ['decay_rate', 'patience_epochs', 'min_lr', 'eval_metric'],
};

/** Notes on keys that look like they matter and do not change the schedule. */
const ignoredWhy: Record<string, string> = {
  epoch_repeats: 'repeats the data within an epoch: count the repeated batches in stepsPerEpoch',
  start_epoch: 'a resumed run starts later on the same schedule',
  resume: 'a resumed run starts later on the same schedule',
  lr_decay_fn: 'used only by sched "wsd" and "rsqrt"',
  lr_stable_timescale: 'used only by sched "wsd" and "rsqrt"',
};

type Args = Record<string, unknown>;

/** Reads a timm args.yaml (parsed) into a schedule or a plateau controller; throws `ScheduleConfigError` listing every issue. */
export function importTimmArgs(input: Args, options: ImportOptions): ImportResult {
  const issues = new ParamIssues(builder);
  const report = new ReportBuilder('timm-args');
  const args = readFileKeys(specsFor(input), input, issues, 'optional');
  const sched = args.sched;
  if (typeof sched === 'string' && !(timmScheds as readonly string[]).includes(sched)) {
    issues.addRule(
      'sched',
      `sched ${JSON.stringify(sched)} is not one that timm's create_scheduler_v2 builds here: expected one of ${timmScheds.join(', ')}`,
      `one of ${timmScheds.join(', ')}`,
      sched,
    );
  }
  const noise = readNoise(input.lr_noise, issues);
  if (!issues.ok) throw new ScheduleConfigError(builder, issues.issues);
  const name = sched as (typeof timmScheds)[number];
  const onUpdates = args.sched_on_updates as boolean;
  const updatesPerEpoch = timmUpdatesPerEpoch(args, input, options, report);
  if (onUpdates && name === 'plateau') {
    issues.addRule(
      'sched_on_updates',
      'sched_on_updates must be false with sched "plateau" (timm: Plateau LR only supports step per epoch.)',
      'false',
      true,
    );
    throw new ScheduleConfigError(builder, issues.issues);
  }
  if (onUpdates && updatesPerEpoch === undefined) {
    throw missingOption(
      builder,
      'updatesPerEpoch',
      'sched_on_updates is true, so timm steps the schedule on every optimizer update and multiplies the epoch counts by updates_per_epoch; give updatesPerEpoch, or stepsPerEpoch (len(loader_train)), from which updates_per_epoch = ceil(stepsPerEpoch / grad_accum_steps)',
    );
  }
  const baseLr = timmLearningRate(args, input, options, report);
  const reference = timmReference(name, args, noise, baseLr, onUpdates ? updatesPerEpoch : undefined);
  describe(name, args, input, noise, report, onUpdates ? updatesPerEpoch : undefined);
  const built = buildReference(builder, reference, (param) => keyOfParam[param]);
  return finish('timm-args', built, reference, report, onUpdates ? undefined : { updatesPerEpoch });
}

/** Keys a sched does not use: not validated, since they do not change the schedule (reported as ignored). */
const schedSpecific = [...new Set(Object.values(usedBySched).flat())];

/**
 * The keys worth validating for this file: those its sched uses (all of them when the sched is
 * unknown), and train.py's lr_base keys only when lr is unset.
 */
function specsFor(input: Args): OptionSpecs {
  const sched = input.sched;
  const used =
    typeof sched === 'string' && Object.hasOwn(usedBySched, sched)
      ? usedBySched[sched as keyof typeof usedBySched]
      : undefined;
  const lrSet = typeof input.lr === 'number' && input.lr > 0;
  const specs: Record<string, OptionSpecs[string]> = {};
  for (const [key, spec] of Object.entries({ ...schedulerSpecs, ...lrSpecs })) {
    if (used && schedSpecific.includes(key) && !used.includes(key)) continue;
    if (lrSet && key in lrSpecs && key !== 'lr' && key !== 'grad_accum_steps') continue;
    specs[key] = spec;
  }
  return specs;
}

/** `lr_noise`: null, a fraction of the schedule, or a list of one or two fractions. */
function readNoise(value: unknown, issues: ParamIssues): number | readonly number[] | undefined {
  if (value === undefined || value === null) return undefined;
  const ok = (item: unknown): item is number =>
    typeof item === 'number' && Number.isFinite(item) && item >= 0;
  if (ok(value)) return value;
  if (Array.isArray(value) && (value.length === 1 || value.length === 2) && value.every(ok)) return value;
  issues.add('lr_noise', 'null, a fraction >= 0 of the schedule, or a list of one or two fractions', value);
  return undefined;
}

/** updates_per_epoch = (len(loader_train) + grad_accum_steps - 1) // grad_accum_steps, as train.py computes it. */
function timmUpdatesPerEpoch(
  args: Args,
  input: Args,
  options: ImportOptions,
  report: ReportBuilder,
): number | undefined {
  const accumulation = args.grad_accum_steps as number;
  if (options.updatesPerEpoch === undefined && options.stepsPerEpoch !== undefined) {
    if ('grad_accum_steps' in input) report.useKey('grad_accum_steps', accumulation);
    else report.assume('grad_accum_steps', accumulation, "train.py's argparse default");
  }
  return updatesPerEpoch(
    options,
    accumulation,
    report,
    'updates_per_epoch',
    `train.py: (len(loader_train) + grad_accum_steps - 1) // grad_accum_steps, grad_accum_steps ${accumulation}`,
  );
}

/** The optimizer's learning rate: `lr`, or (when it is null or 0) train.py's lr_base scaling. */
function timmLearningRate(args: Args, input: Args, options: ImportOptions, report: ReportBuilder): number {
  const lr = args.lr as number | undefined;
  if (lr) {
    report.useKey('lr', lr);
    for (const key of ['lr_base', 'lr_base_size', 'lr_base_scale', 'batch_size', 'grad_accum_steps', 'opt']) {
      if (key in input && !report.handled(key))
        report.ignore(key, 'lr is set, so the lr_base scaling is not used');
    }
    return lr;
  }
  const worldSize = options.worldSize ?? 1;
  report.assume(
    'world_size',
    worldSize,
    options.worldSize === undefined
      ? 'not in args.yaml (train.py sets it from the distributed environment); default 1 (one process): give options.worldSize for a distributed run'
      : 'options.worldSize',
  );
  for (const key of [
    'lr',
    'lr_base',
    'lr_base_size',
    'lr_base_scale',
    'batch_size',
    'grad_accum_steps',
    'opt',
  ]) {
    if (report.handled(key) || report.assumed.some((entry) => entry.key === key)) continue;
    if (key in input) report.useKey(key, input[key]);
    else if (key !== 'lr') report.assume(key, args[key], "train.py's argparse default");
  }
  const globalBatch = (args.batch_size as number) * worldSize * (args.grad_accum_steps as number);
  let ratio = globalBatch / (args.lr_base_size as number);
  let scale = args.lr_base_scale as string;
  if (!scale) {
    const optimizer = (args.opt as string).toLowerCase();
    scale = optimizer.includes('ada') || optimizer.includes('lamb') ? 'sqrt' : 'linear';
    report.assume(
      'lr_base_scale',
      scale,
      `empty: "sqrt" for ada/lamb optimizers, else "linear" (opt ${JSON.stringify(args.opt)})`,
    );
  }
  if (scale === 'sqrt') ratio = ratio ** 0.5;
  const computed = (args.lr_base as number) * ratio;
  report.assume(
    'lr',
    computed,
    `null: train.py computes lr_base × (global batch ${globalBatch} / lr_base_size ${args.lr_base_size})${scale === 'sqrt' ? ' ** 0.5' : ''}, global batch = batch_size × world_size × grad_accum_steps`,
  );
  return computed;
}

/** `create_scheduler_v2`'s call of the scheduler class, as a reference config. */
function timmReference(
  sched: (typeof timmScheds)[number],
  args: Args,
  noise: number | readonly number[] | undefined,
  baseLr: number,
  updatesPerEpoch: number | undefined,
): ReferenceConfig {
  const per = updatesPerEpoch ?? 1;
  const t = (args.epochs as number) * per;
  const warmup = {
    warmup_lr_init: args.warmup_lr,
    warmup_t: (args.warmup_epochs as number) * per,
    ...(sched === 'plateau' ? {} : { warmup_prefix: args.warmup_prefix }),
  };
  const noiseRange =
    noise === undefined ? undefined : Array.isArray(noise) ? noise.map((n) => n * t) : (noise as number) * t;
  const noiseArgs = {
    ...(noiseRange === undefined
      ? {}
      : { noise_range_t: Array.isArray(noiseRange) && noiseRange.length === 1 ? noiseRange[0] : noiseRange }),
    noise_pct: args.lr_noise_pct,
    noise_std: args.lr_noise_std,
    noise_seed: args.seed,
  };
  const cycles = {
    cycle_mul: args.lr_cycle_mul,
    cycle_decay: args.lr_cycle_decay,
    cycle_limit: args.lr_cycle_limit,
  };
  const stepping = { t_in_epochs: updatesPerEpoch === undefined };
  const api = `timm.scheduler.${apiNames[sched]}`;
  const params: Record<string, unknown> = (() => {
    switch (sched) {
      case 'cosine':
        return {
          t_initial: t,
          lr_min: args.min_lr,
          ...stepping,
          ...cycles,
          ...warmup,
          ...noiseArgs,
          k_decay: args.lr_k_decay,
        };
      case 'tanh':
        return { t_initial: t, lr_min: args.min_lr, ...stepping, ...cycles, ...warmup, ...noiseArgs };
      case 'poly':
        return {
          power: args.decay_rate,
          t_initial: t,
          lr_min: args.min_lr,
          ...stepping,
          k_decay: args.lr_k_decay,
          ...cycles,
          ...warmup,
          ...noiseArgs,
        };
      case 'step':
        return {
          decay_t: (args.decay_epochs as number) * per,
          decay_rate: args.decay_rate,
          ...stepping,
          ...warmup,
          ...noiseArgs,
        };
      case 'multistep':
        return {
          decay_t: (args.decay_milestones as number[]).map((m) => m * per),
          decay_rate: args.decay_rate,
          ...stepping,
          ...warmup,
          ...noiseArgs,
        };
      case 'plateau':
        return {
          decay_rate: args.decay_rate,
          patience_t: args.patience_epochs,
          cooldown_t: 0,
          ...warmup,
          lr_min: args.min_lr,
          mode: (args.eval_metric as string).includes('loss') ? 'min' : 'max',
          ...noiseArgs,
        };
    }
  })();
  return { api, params, base_lr: baseLr };
}

const apiNames = {
  cosine: 'CosineLRScheduler',
  tanh: 'TanhLRScheduler',
  poly: 'PolyLRScheduler',
  step: 'StepLRScheduler',
  multistep: 'MultiStepLRScheduler',
  plateau: 'PlateauLRScheduler',
} as const;

/** The report: the keys each scheduler read, the defaults it applied, what it ignored, how timm steps it. */
function describe(
  sched: (typeof timmScheds)[number],
  args: Args,
  input: Args,
  noise: number | readonly number[] | undefined,
  report: ReportBuilder,
  updatesPerEpoch: number | undefined,
): void {
  const noiseKeys = ['lr_noise_pct', 'lr_noise_std', 'seed'];
  const used = ['sched', 'epochs', 'warmup_lr', 'warmup_epochs', 'sched_on_updates', ...usedBySched[sched]];
  for (const key of used) {
    if (key in input) report.useKey(key, input[key]);
    else report.assume(key, args[key], `absent: scheduler_kwargs' default (getattr(cfg, "${key}", ...))`);
  }
  report.useKey('lr_noise', input.lr_noise ?? null);
  for (const key of noiseKeys) {
    if (noise === undefined) {
      if (key in input) report.ignore(key, 'lr_noise is null (no noise)');
    } else if (key in input) report.useKey(key, input[key]);
    else report.assume(key, args[key], `absent: scheduler_kwargs' default (getattr(cfg, "${key}", ...))`);
  }
  if (sched === 'plateau') {
    if ('warmup_prefix' in input)
      report.ignore('warmup_prefix', 'create_scheduler_v2 drops it for sched "plateau"');
    if ('cooldown_epochs' in input)
      report.ignore('cooldown_epochs', 'create_scheduler_v2 passes cooldown_t=0 to PlateauLRScheduler');
    report.note(
      `The plateau mode is ${(args.eval_metric as string).includes('loss') ? '"min"' : '"max"'} (eval_metric ${JSON.stringify(args.eval_metric)}): timm reports the eval metric once per epoch, after epoch t, as step(t + 1, metric).`,
    );
  }
  const handled = (key: string) => report.handled(key);
  for (const key of Object.keys(schedulerSpecs)) {
    if (key in input && !handled(key)) report.ignore(key, `not used by sched "${sched}"`);
  }
  for (const key of Object.keys(input)) {
    if (!handled(key)) report.ignore(key, ignoredWhy[key]);
  }
  if (noise !== undefined) {
    report.note(
      "lr_noise: anneal adds timm's noise (the same range, distribution, bound and seed) from its own seeded generator: the random draws differ from torch.Generator's, so noisy values differ from timm's run.",
    );
  }
  report.note(
    updatesPerEpoch === undefined
      ? 'timm steps this scheduler once per epoch (lr_scheduler.step(epoch)): step t of the schedule is epoch t, and the learning rate is constant within an epoch.'
      : `sched_on_updates: timm steps this scheduler on every optimizer update (step_update(num_updates), t_in_epochs=False): step t is update t; the epoch counts were multiplied by updates_per_epoch (${updatesPerEpoch}).`,
  );
  report.note(
    `timm trains for ${timmNumEpochs(sched, args, updatesPerEpoch)} epochs (create_scheduler_v2's num_epochs).`,
  );
}

/**
 * create_scheduler_v2's num_epochs: for cosine, tanh and poly, get_cycle_length() + cooldown (in
 * updates, floor-divided by updates_per_epoch when stepping on updates); otherwise epochs.
 */
export function timmNumEpochs(sched: string, args: Args, updatesPerEpoch: number | undefined): number {
  if (!['cosine', 'tanh', 'poly'].includes(sched)) return args.epochs as number;
  const per = updatesPerEpoch ?? 1;
  const initial = (args.epochs as number) * per;
  const cycles = Math.max(1, args.lr_cycle_limit as number);
  const mul = args.lr_cycle_mul as number;
  let length = mul === 1 ? initial * cycles : Math.floor((-initial * (mul ** cycles - 1)) / (1 - mul));
  if (args.warmup_prefix) length += (args.warmup_epochs as number) * per;
  const total = length + (args.cooldown_epochs as number) * per;
  return updatesPerEpoch === undefined ? total : Math.floor(total / updatesPerEpoch);
}
