/** `createTrainer`'s options: their types, their defaults, and their validation. */
import type { Schedule, ScheduleLike } from '@anneal/core';
import type { IssueList } from '../errors';
import type { EvaluationGraph, TrainingGraph } from '../graph/build';
import { type InferenceSession, isOrtRuntime, ORT_EXPECTED, type OrtRuntime, type Tensor } from '../runtime';
import { readScheduleOption } from '../schedule-option';
import type { ExecutionProvider, HostProviders, SessionSettings } from '../session';

export type ParameterValues = Readonly<
  Record<string, Float32Array | Float64Array | readonly number[] | Tensor>
>;

export interface TrainerOptions {
  /**
   * The ONNX Runtime module to train on: `import * as ort from 'onnxruntime-web/webgpu'` (or
   * `'onnxruntime-web'`, `'onnxruntime-node'`). Default in Node: onnxruntime-node; required in
   * the browser entry. Its `Tensor` makes every feed; its `InferenceSession` the sessions.
   */
  readonly ort?: OrtRuntime;
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
  /**
   * Node: default `['cpu']`; `'cuda'` falls back to the CPU with one warning when CUDA is
   * unavailable. Browser: default `['wasm']`; `'webgpu'` keeps parameters and optimizer state on
   * the GPU between steps.
   */
  readonly executionProviders?: readonly ExecutionProvider[];
  /**
   * Where parameters and optimizer state live between steps, as ONNX Runtime names it:
   * `'gpu-buffer'` (default on the `webgpu` provider: the step's outputs stay on the GPU and are
   * fed back; only the loss is read back) or `'cpu'` (every step copies them to CPU memory and
   * back; the default elsewhere). Applies to sessions the trainer creates.
   */
  readonly preferredOutputLocation?: OutputLocation;
  /** Default 1 (two threads are erratic on small machines). */
  readonly intraOpNumThreads?: number;
  /**
   * Throw `ExecutionProviderError` instead of falling back (to the CPU in Node, to wasm in the
   * browser). Default false in Node, true in the browser.
   */
  readonly strict?: boolean;
  /**
   * Receives warnings (provider fallback, a schedule that differs from a loaded checkpoint's).
   * Default: `process.emitWarning` in Node; in the browser an `anneal:warning` `CustomEvent` on
   * `globalThis` (`detail.message`).
   */
  readonly onWarning?: (message: string) => void;
  /**
   * A NaN or infinite loss: `'throw'` (default) raises `NonFiniteLossError` naming the step;
   * `'skip'` discards the update and leaves the step count unchanged. Either way parameters
   * and state keep their values from before the step.
   */
  readonly onNonFiniteLoss?: 'throw' | 'skip';
}

/** Where the carried tensors live between steps. */
export type OutputLocation = 'cpu' | 'gpu-buffer';

/** What the trainer does with a NaN or infinite loss. */
export type NonFiniteLossPolicy = NonNullable<TrainerOptions['onNonFiniteLoss']>;

/** The defaults of the optional settings shared by Node and the browser. */
export const TRAINER_DEFAULTS = {
  intraOpNumThreads: 1,
  onNonFiniteLoss: 'throw',
} as const satisfies Partial<TrainerOptions>;

/** What the Node and browser entries set: default runtime, providers, strictness, warnings. */
export interface TrainerHost {
  /** onnxruntime-node in Node; none in the browser (`ort` is required there). */
  readonly defaultRuntime: OrtRuntime | undefined;
  readonly defaultExecutionProviders: readonly ExecutionProvider[];
  readonly defaultStrict: boolean;
  readonly defaultOnWarning: (message: string) => void;
  readonly providers: HostProviders;
}

/** The option names `createTrainer` knows, in the order its messages list them. */
const KNOWN_OPTIONS = [
  'ort',
  'model',
  'session',
  'evaluationModel',
  'schedule',
  'parameters',
  'state',
  'executionProviders',
  'preferredOutputLocation',
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
  readonly ort: OrtRuntime;
  /** The session given as `session`. */
  readonly session: InferenceSession | undefined;
  readonly evaluationModel: EvaluationGraph | Uint8Array | InferenceSession | undefined;
  readonly schedule: Schedule;
  readonly parameters: ParameterValues;
  readonly state: ParameterValues;
  /** Session creation settings, `executionProviders` as requested (or defaulted). */
  readonly sessionSettings: SessionSettings;
  readonly onNonFiniteLoss: NonFiniteLossPolicy;
  /** `preferredOutputLocation` as given (undefined: the provider's default). */
  readonly outputLocation: OutputLocation | undefined;
}

export const isTrainingGraph = (value: unknown): value is TrainingGraph =>
  typeof value === 'object' && value !== null && (value as TrainingGraph).kind === 'trainingGraph';

/** Records the problems of `model`, `session` and `executionProviders` (which depend on each other). */
function checkModelAndSession(options: TrainerOptions, host: TrainerHost, issues: IssueList): void {
  const { model, session } = options;
  if ((model === undefined) === (session === undefined)) {
    issues.addRule('model', 'pass exactly one of model and session', 'one of model, session', {
      model,
      session,
    });
  } else if (model !== undefined && !isTrainingGraph(model) && !(model instanceof Uint8Array)) {
    issues.add('model', 'a buildTrainingGraph result or ONNX model bytes (Uint8Array)', model);
  } else if (session !== undefined && (typeof session !== 'object' || typeof session.run !== 'function')) {
    issues.add('session', 'an ONNX Runtime InferenceSession', session);
  }
  const executionProviders = options.executionProviders ?? host.defaultExecutionProviders;
  if (!Array.isArray(executionProviders) || executionProviders.length === 0) {
    issues.add(
      'executionProviders',
      host.defaultRuntime
        ? 'a non-empty array such as ["cpu"] or ["cuda", "cpu"]'
        : 'a non-empty array such as ["webgpu"] or ["wasm"]',
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

/** Records the problems of `preferredOutputLocation` (a location the requested providers can use). */
function checkOutputLocation(options: TrainerOptions, issues: IssueList): void {
  const location = options.preferredOutputLocation;
  if (location === undefined) return;
  if (location !== 'cpu' && location !== 'gpu-buffer') {
    issues.add('preferredOutputLocation', '"cpu" or "gpu-buffer"', location);
  } else if (options.session !== undefined) {
    issues.addRule(
      'preferredOutputLocation',
      'preferredOutputLocation applies to sessions the trainer creates; set it on your session instead',
      'no preferredOutputLocation with session',
      location,
    );
  } else if (
    location === 'gpu-buffer' &&
    Array.isArray(options.executionProviders) &&
    !options.executionProviders.some((p) => (typeof p === 'string' ? p : p?.name) === 'webgpu')
  ) {
    issues.addRule(
      'preferredOutputLocation',
      'preferredOutputLocation "gpu-buffer" needs the "webgpu" execution provider',
      'executionProviders including "webgpu"',
      options.executionProviders,
    );
  }
}

/**
 * Validates every option and fills in the defaults; throws one `TrainingConfigError` (through
 * `issues`) listing every problem. What the options mean for the graph (parameter names, shapes)
 * is checked later, against the session.
 */
export function resolveTrainerOptions(
  options: TrainerOptions,
  host: TrainerHost,
  issues: IssueList,
): ResolvedTrainerOptions {
  if (typeof options !== 'object' || options === null) {
    issues.add('', 'an options object { model | session, schedule, parameters, ... }', options);
    issues.throwIfAny();
  }
  issues.addUnknownKeys(options, KNOWN_OPTIONS);
  const ort = options.ort ?? host.defaultRuntime;
  if (!isOrtRuntime(ort)) issues.add('ort', ORT_EXPECTED, options.ort);
  checkModelAndSession(options, host, issues);
  const threads = options.intraOpNumThreads ?? TRAINER_DEFAULTS.intraOpNumThreads;
  if (!Number.isInteger(threads) || threads < 1)
    issues.add('intraOpNumThreads', 'a positive integer (default 1)', options.intraOpNumThreads);
  const strict = options.strict ?? host.defaultStrict;
  if (typeof strict !== 'boolean')
    issues.add('strict', `a boolean (default ${host.defaultStrict})`, options.strict);
  const onWarning = options.onWarning ?? host.defaultOnWarning;
  if (typeof onWarning !== 'function')
    issues.add('onWarning', 'a function (message) => void', options.onWarning);
  const onNonFiniteLoss = options.onNonFiniteLoss ?? TRAINER_DEFAULTS.onNonFiniteLoss;
  if (onNonFiniteLoss !== 'throw' && onNonFiniteLoss !== 'skip')
    issues.add('onNonFiniteLoss', '"throw" or "skip" (default "throw")', options.onNonFiniteLoss);
  checkOutputLocation(options, issues);
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
    ort: ort!,
    session: options.session,
    evaluationModel: options.evaluationModel,
    schedule: schedule!,
    parameters: options.parameters,
    state: options.state ?? {},
    sessionSettings: {
      ort: ort!,
      host: host.providers,
      executionProviders: options.executionProviders ?? [...host.defaultExecutionProviders],
      intraOpNumThreads: threads,
      strict,
      onWarning,
      caller: 'createTrainer',
    },
    onNonFiniteLoss,
    outputLocation: options.preferredOutputLocation,
  };
}
