/**
 * The widely copied Keras `cosine_decay_with_warmup(global_step, ...)` function and its
 * `WarmUpCosineDecayScheduler` callback (Keras_Bag_of_Tricks), and the TensorFlow
 * object-detection original. Values are f(global_step); the callback uses global_step 0 for the
 * first batch and stores the value in a float32 variable.
 */
import type { ScheduleConfig } from '../schedule';
import { type BuildContext, nextUp, type ParamSpecs, type ParamValues, type ReferenceApi } from './registry';

const params: ParamSpecs = {
  learning_rate_base: { kind: 'number' },
  total_steps: { kind: 'number', integer: true },
  warmup_learning_rate: { kind: 'number', default: 0 },
  warmup_steps: { kind: 'number', integer: true, default: 0 },
  hold_base_rate_steps: { kind: 'number', integer: true, default: 0 },
};

function check(p: ParamValues, context: BuildContext): void {
  const issues = context.issues;
  const total = p.total_steps as number;
  const warmup = p.warmup_steps as number;
  const hold = p.hold_base_rate_steps as number;
  if (total < warmup)
    issues.addRule(
      'total_steps',
      'total_steps must be larger or equal to warmup_steps',
      `>= ${warmup}`,
      total,
    );
  if (warmup > 0 && (p.learning_rate_base as number) < (p.warmup_learning_rate as number)) {
    issues.addRule(
      'learning_rate_base',
      'learning_rate_base must be larger or equal to warmup_learning_rate',
      `>= ${p.warmup_learning_rate}`,
      p.learning_rate_base,
    );
  }
  if (total - warmup - hold === 0) {
    issues.addRule(
      'hold_base_rate_steps',
      'total_steps - warmup_steps - hold_base_rate_steps must not be 0 (the cosine divides by it: ZeroDivisionError)',
      `!= ${total - warmup}`,
      hold,
    );
  }
  for (const field of [
    'warmup_steps',
    'hold_base_rate_steps',
    'learning_rate_base',
    'warmup_learning_rate',
  ]) {
    if (!((p[field] as number) >= 0)) issues.add(field, '>= 0', p[field]);
  }
}

/** The float64 function: native warmupCosineDecay (its hold and its 0 after total_steps agree). */
function float64Config(p: ParamValues): ScheduleConfig {
  const base = p.learning_rate_base as number;
  const total = p.total_steps as number;
  const warmup = p.warmup_steps as number;
  const hold = p.hold_base_rate_steps as number;
  const initial = p.warmup_learning_rate as number;
  if (warmup + hold > total) {
    // The hold outlasts the run: base_lr through total_steps (inclusive), then 0.
    const segments: { schedule: ScheduleConfig; steps?: number }[] = [];
    if (warmup > 0) {
      segments.push({
        schedule: { type: 'linear', initialValue: initial, finalValue: base, transitionSteps: warmup },
        steps: warmup,
      });
    }
    segments.push({ schedule: { type: 'constant', value: base }, steps: nextUp(total) - warmup });
    segments.push({ schedule: { type: 'constant', value: 0 } });
    return { type: 'join', segments };
  }
  return {
    type: 'warmupCosineDecay',
    peakValue: base,
    totalSteps: total,
    warmupSteps: warmup,
    holdSteps: hold,
    initialValue: warmup > 0 ? initial : 0,
    finalValue: 0,
  };
}

const cosineDecayWithWarmupApi: ReferenceApi = {
  api: 'cosine_decay_with_warmup',
  library: 'keras-cosine-decay-with-warmup',
  baseLr: 'ignored',
  summary: 'warmupCosineDecay (finalValue 0)',
  params,
  check,
  build: (p) => float64Config(p),
};

const WarmUpCosineDecaySchedulerApi: ReferenceApi = {
  api: 'WarmUpCosineDecayScheduler',
  library: 'keras-cosine-decay-with-warmup',
  baseLr: 'ignored',
  summary: 'float32 of warmupCosineDecay (the callback stores the lr in a float32 variable)',
  params: {
    ...params,
    global_step_init: {
      kind: 'number',
      integer: true,
      default: 0,
      description: 'Where the callback starts counting; the value at global step s is f(s) either way.',
    },
    verbose: {
      kind: 'number',
      integer: true,
      default: 0,
      description: 'Printing only; no effect on values.',
    },
  },
  check: (p, context) => {
    check(p, context);
    if (!((p.global_step_init as number) >= 0))
      context.issues.add('global_step_init', '>= 0', p.global_step_init);
  },
  build: (p) => ({ type: 'float32', schedule: float64Config(p) }),
};

const objectDetectionCosineDecayWithWarmupApi: ReferenceApi = {
  api: 'object_detection.utils.learning_schedules.cosine_decay_with_warmup',
  library: 'keras-cosine-decay-with-warmup',
  baseLr: 'ignored',
  summary: 'float32WarmupCosineDecay (TensorFlow float32 tensors, operation by operation)',
  params,
  check: (p, context) => {
    check(p, context);
    const total = p.total_steps as number;
    if ((p.warmup_steps as number) + (p.hold_base_rate_steps as number) > total) {
      context.issues.addRule(
        'hold_base_rate_steps',
        `warmup_steps + hold_base_rate_steps must not exceed total_steps (${total}): TensorFlow's cosine then runs on a negative span`,
        `<= ${total}`,
        (p.warmup_steps as number) + (p.hold_base_rate_steps as number),
      );
    }
  },
  build: (p) => ({
    type: 'float32WarmupCosineDecay',
    peakValue: p.learning_rate_base as number,
    totalSteps: p.total_steps as number,
    warmupSteps: p.warmup_steps as number,
    holdSteps: p.hold_base_rate_steps as number,
    initialValue: p.warmup_learning_rate as number,
  }),
};

/** The keras-warmup-cosine APIs, in the order `referenceApis()` lists them. */
export const kerasWarmupCosineApis: readonly ReferenceApi[] = [
  cosineDecayWithWarmupApi,
  WarmUpCosineDecaySchedulerApi,
  objectDetectionCosineDecayWithWarmupApi,
];
