/** `createTrainer`'s options: their types, their defaults, and their validation. */
import type { Schedule, ScheduleLike } from '@anneal/core';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { IssueList } from '../errors';
import type { EvaluationGraph, TrainingGraph } from '../graph/build';
import { readScheduleOption } from '../schedule-option';
import { type ExecutionProvider, emitWarning, type SessionSettings } from '../session';

export type ParameterValues = Readonly<
  Record<string, Float32Array | Float64Array | readonly number[] | Tensor>
>;

export interface TrainerOptions {
  /**
   * The training-step graph: a `buildTrainingGraph` result, or ONNX bytes of a graph that
   * follows the same contract (inputs: parameters, state, `x`, `y`, `learning_rate`, optional
   * `step`; outputs: `loss` and `<input>.next` for every parameter and state input).
   */
  readonly model?: TrainingGraph | Uint8Array;
  /** A session you created on such a graph (instead of `model`); the trainer does not release it. */
  readonly session?: InferenceSession;
  /** Evaluation graph for `evaluate` (built automatically when `model` comes from `buildTrainingGraph`). */
  readonly evaluationModel?: EvaluationGraph | Uint8Array | InferenceSession;
  /** The learning-rate schedule: a schedule, a JSON config, or a plain function of the step. */
  readonly schedule: ScheduleLike;
  /** Initial values of every parameter, by input name (e.g. from `initParameters`). Copied. */
  readonly parameters: ParameterValues;
  /** Initial optimizer state by input name; missing entries start at zero (PyTorch's fresh state). Copied. */
  readonly state?: ParameterValues;
  /** Default `['cpu']`. `'cuda'` falls back to the CPU with one warning when CUDA is unavailable. */
  readonly executionProviders?: readonly ExecutionProvider[];
  /** Default 1 (two threads are erratic on small machines). */
  readonly intraOpNumThreads?: number;
  /** Throw `ExecutionProviderError` instead of falling back to the CPU. Default false. */
  readonly strict?: boolean;
  /** Receives warnings (provider fallback, a schedule that differs from a loaded checkpoint's). Default: `process.emitWarning`. */
  readonly onWarning?: (message: string) => void;
  /**
   * A NaN or infinite loss: `'throw'` (default) raises `NonFiniteLossError` naming the step;
   * `'skip'` discards the update and leaves the step count unchanged. Either way parameters
   * and state keep their values from before the step.
   */
  readonly onNonFiniteLoss?: 'throw' | 'skip';
}

/** What the trainer does with a NaN or infinite loss. */
export type NonFiniteLossPolicy = NonNullable<TrainerOptions['onNonFiniteLoss']>;

/** The defaults of the optional settings (`onWarning` defaults to `process.emitWarning`). */
export const TRAINER_DEFAULTS = {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  strict: false,
  onNonFiniteLoss: 'throw',
} as const satisfies Partial<TrainerOptions>;

/** The option names `createTrainer` knows, in the order its messages list them. */
const KNOWN_OPTIONS = [
  'model',
  'session',
  'evaluationModel',
  'schedule',
  'parameters',
  'state',
  'executionProviders',
  'intraOpNumThreads',
  'strict',
  'onWarning',
  'onNonFiniteLoss',
];

/** Valid options with the defaults filled in. */
export interface ResolvedTrainerOptions {
  /** `model` when it is a `buildTrainingGraph` result. */
  readonly graph: TrainingGraph | undefined;
  /** The ONNX bytes of `model` (undefined when a session was given). */
  readonly modelBytes: Uint8Array | undefined;
  /** The session given as `session`. */
  readonly session: InferenceSession | undefined;
  readonly evaluationModel: EvaluationGraph | Uint8Array | InferenceSession | undefined;
  readonly schedule: Schedule;
  readonly parameters: ParameterValues;
  readonly state: ParameterValues;
  /** Session creation settings, `executionProviders` as requested (or defaulted). */
  readonly sessionSettings: SessionSettings;
  readonly onNonFiniteLoss: NonFiniteLossPolicy;
}

export const isTrainingGraph = (value: unknown): value is TrainingGraph =>
  typeof value === 'object' && value !== null && (value as TrainingGraph).kind === 'trainingGraph';

/** Records the problems of `model`, `session` and `executionProviders` (which depend on each other). */
function checkModelAndSession(options: TrainerOptions, issues: IssueList): void {
  const { model, session } = options;
  if ((model === undefined) === (session === undefined)) {
    issues.addRule('model', 'pass exactly one of model and session', 'one of model, session', {
      model,
      session,
    });
  } else if (model !== undefined && !isTrainingGraph(model) && !(model instanceof Uint8Array)) {
    issues.add('model', 'a buildTrainingGraph result or ONNX model bytes (Uint8Array)', model);
  } else if (session !== undefined && (typeof session !== 'object' || typeof session.run !== 'function')) {
    issues.add('session', 'an onnxruntime-node InferenceSession', session);
  }
  const executionProviders = options.executionProviders ?? TRAINER_DEFAULTS.executionProviders;
  if (!Array.isArray(executionProviders) || executionProviders.length === 0) {
    issues.add(
      'executionProviders',
      'a non-empty array such as ["cpu"] or ["cuda", "cpu"]',
      options.executionProviders,
    );
  } else if (session && options.executionProviders) {
    issues.addRule(
      'executionProviders',
      'executionProviders applies to sessions the trainer creates; set them on your session instead',
      'no executionProviders with session',
      options.executionProviders,
    );
  }
}

/**
 * Validates every option and fills in the defaults; throws one `TrainingConfigError` (through
 * `issues`) listing every problem. What the options mean for the graph (parameter names, shapes)
 * is checked later, against the session.
 */
export function resolveTrainerOptions(options: TrainerOptions, issues: IssueList): ResolvedTrainerOptions {
  if (typeof options !== 'object' || options === null) {
    issues.add('', 'an options object { model | session, schedule, parameters, ... }', options);
    issues.throwIfAny();
  }
  issues.addUnknownKeys(options, KNOWN_OPTIONS);
  checkModelAndSession(options, issues);
  const threads = options.intraOpNumThreads ?? TRAINER_DEFAULTS.intraOpNumThreads;
  if (!Number.isInteger(threads) || threads < 1)
    issues.add('intraOpNumThreads', 'a positive integer (default 1)', options.intraOpNumThreads);
  const strict = options.strict ?? TRAINER_DEFAULTS.strict;
  if (typeof strict !== 'boolean') issues.add('strict', 'a boolean (default false)', options.strict);
  const onWarning = options.onWarning ?? emitWarning;
  if (typeof onWarning !== 'function')
    issues.add('onWarning', 'a function (message) => void', options.onWarning);
  const onNonFiniteLoss = options.onNonFiniteLoss ?? TRAINER_DEFAULTS.onNonFiniteLoss;
  if (onNonFiniteLoss !== 'throw' && onNonFiniteLoss !== 'skip')
    issues.add('onNonFiniteLoss', '"throw" or "skip" (default "throw")', options.onNonFiniteLoss);
  const schedule = readScheduleOption(options.schedule, issues);
  if (typeof options.parameters !== 'object' || options.parameters === null) {
    issues.add(
      'parameters',
      'an object of initial values by parameter name (e.g. initParameters({ graph, seed }))',
      options.parameters,
    );
  }
  issues.throwIfAny();
  const graph = isTrainingGraph(options.model) ? options.model : undefined;
  return {
    graph,
    modelBytes: graph ? graph.model : (options.model as Uint8Array | undefined),
    session: options.session,
    evaluationModel: options.evaluationModel,
    schedule: schedule!,
    parameters: options.parameters,
    state: options.state ?? {},
    sessionSettings: {
      executionProviders: options.executionProviders ?? [...TRAINER_DEFAULTS.executionProviders],
      intraOpNumThreads: threads,
      strict,
      onWarning,
      caller: 'createTrainer',
    },
    onNonFiniteLoss,
  };
}
