/**
 * `createTrainer`: runs a training-step graph in onnxruntime-node, feeding the learning rate
 * of the schedule at every step and carrying parameters and optimizer state from one step's
 * outputs to the next step's inputs.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  type RangeTestResult,
  type Schedule,
  type ScheduleConfig,
  type ScheduleLike,
  toConfig,
  toSchedule,
} from '@anneal/core';
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { type CheckpointTensor, decodeCheckpoint, encodeCheckpoint, writeFileAtomic } from './checkpoint';
import {
  CheckpointError,
  FeedError,
  formatValue,
  IssueList,
  NonFiniteLossError,
  TrainerReleasedError,
  TrainingConfigError,
} from './errors';
import { describeInputs, formatShape, type TensorLike, throwFeedProblems, toInputTensor } from './feeds';
import {
  type FindLearningRateOptions,
  prepareRangeTest,
  type RangeTestBatches,
  runRangeTest,
} from './find-learning-rate';
import {
  buildEvaluationGraph,
  type EvaluationGraph,
  type GraphValueInfo,
  type TrainingGraph,
} from './graph/build';
import type { Dtype } from './graph/spec';
import { createSession, type ExecutionProvider, emitWarning } from './session';

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

export interface EvaluationResult {
  readonly loss: number;
  /** Fraction of rows whose arg-max equals the label (softmax cross-entropy only). */
  readonly accuracy: number | undefined;
  /** The last layer's output, `[batch, ...outputShape]` row-major. */
  readonly logits: Float32Array | Float64Array;
}

export interface LoadOptions {
  /**
   * Accept a checkpoint whose parameters and state match but whose graph bytes differ (for
   * example changed optimizer hyper-parameters). Default false.
   */
  readonly allowModelChange?: boolean;
}

export interface Trainer {
  /**
   * One update on the batch (`x`, `y`) with learning rate `learningRate(currentStep)`;
   * returns the batch loss (before the update). Calls run one at a time, in call order.
   */
  step(x: TensorLike, y: TensorLike): Promise<number>;
  /** Loss, accuracy and logits of the current parameters on a batch (no update). */
  evaluate(x: TensorLike, y: TensorLike): Promise<EvaluationResult>;
  /** Copies of the current parameters, by name. */
  parameters(): Record<string, Float32Array | Float64Array>;
  /** Copies of the current optimizer state, by name. */
  optimizerState(): Record<string, Float32Array | Float64Array>;
  /** Updates applied so far; the next `step` uses `learningRate(currentStep)`. */
  readonly currentStep: number;
  /** Steps whose non-finite loss was skipped (with `onNonFiniteLoss: 'skip'`). */
  readonly skippedSteps: number;
  /** The value fed as `learning_rate` at `step`: `Math.fround(schedule(step))` (float32 graphs) or `schedule(step)` (float64). */
  learningRate(step: number): number;
  readonly schedule: Schedule;
  readonly dtype: Dtype;
  /** The providers in use after any fallback. */
  readonly executionProviders: readonly ExecutionProvider[];
  /** The graph's inputs with element types and shapes. */
  readonly inputs: readonly GraphValueInfo[];
  /** Writes parameters, optimizer state, step, schedule config and model fingerprint atomically. */
  save(path: string): Promise<void>;
  /**
   * Restores a checkpoint of this model (parameters, state, step). The trainer keeps its own
   * schedule; if the checkpoint recorded a different schedule config, `onWarning` says so.
   */
  load(path: string, options?: LoadOptions): Promise<void>;
  /**
   * The learning-rate range test (@anneal/core `createRangeTest`): one update per batch while
   * the learning rate sweeps from `minValue` to `maxValue` (exponentially by default) in place of
   * the schedule, until the smoothed loss diverges, a loss is NaN or infinite, or `steps` ran.
   * `batches` is repeated while the sweep needs more. Afterwards the parameters, optimizer state
   * and `currentStep` are exactly as before (also when it throws); the sweep's updates continue
   * the step count (`step` input) from `currentStep`, and `onNonFiniteLoss` does not apply (a
   * non-finite loss ends the test). Resolves to the series, `stopReason`, `divergenceValue` and
   * `suggestions` (undefined, with `unavailableReason`, when the curve supports none). Throws
   * `RangeTestConfigError` for invalid batches or options, `FeedError` for a batch the graph rejects.
   */
  findLearningRate(batches: RangeTestBatches, options?: FindLearningRateOptions): Promise<RangeTestResult>;
  /** Releases the sessions the trainer created. Later calls throw `TrainerReleasedError`. */
  release(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface Contract {
  readonly inputs: readonly GraphValueInfo[];
  readonly parameterNames: readonly string[];
  readonly stateNames: readonly string[];
  readonly updatedName: Readonly<Record<string, string>>;
  readonly stepInput: string | undefined;
  readonly dtype: Dtype;
  readonly classes: number | undefined;
}

const RESERVED = ['x', 'y', 'learning_rate', 'step'];
const isGraph = (value: unknown): value is TrainingGraph =>
  typeof value === 'object' && value !== null && (value as TrainingGraph).kind === 'trainingGraph';

const product = (values: readonly number[]) => values.reduce((a, b) => a * b, 1);

function metadataOf(session: InferenceSession, which: 'input' | 'output'): Map<string, GraphValueInfo> {
  const map = new Map<string, GraphValueInfo>();
  const list = (which === 'input' ? session.inputMetadata : session.outputMetadata) as
    | readonly InferenceSession.ValueMetadata[]
    | undefined;
  for (const item of list ?? []) {
    if (item.isTensor) {
      map.set(item.name, {
        name: item.name,
        type: item.type as GraphValueInfo['type'],
        shape: item.shape.map((d, i) =>
          typeof d === 'number' && d >= 0 ? d : i === 0 ? 'batch' : String(d),
        ),
      });
    }
  }
  return map;
}

/** Works out which inputs are parameters and state, and checks the graph follows the trainer's contract. */
function resolveContract(
  graph: TrainingGraph | undefined,
  session: InferenceSession,
  parameterValues: ParameterValues,
  issues: IssueList,
): Contract | undefined {
  if (graph) {
    return {
      inputs: graph.inputs,
      parameterNames: graph.parameters.map((p) => p.name),
      stateNames: graph.state.map((s) => s.name),
      updatedName: graph.updatedName,
      stepInput: graph.stepInput,
      dtype: graph.dtype,
      classes: graph.options.loss === 'softmaxCrossEntropy' ? graph.outputShape[0] : undefined,
    };
  }
  const inputNames = session.inputNames;
  const outputNames = session.outputNames;
  const metadata = metadataOf(session, 'input');
  const inputs: GraphValueInfo[] = inputNames.map(
    // onnxruntime-node before 1.22 reports no input metadata: shapes unknown ('?')
    (name) => metadata.get(name) ?? { name, type: 'float32', shape: ['?'] },
  );
  const listing = `the graph's inputs: ${describeInputs(inputs)}`;
  for (const required of ['x', 'y', 'learning_rate']) {
    if (!inputNames.includes(required)) {
      issues.addRule(
        'model',
        `model: the graph has no input named "${required}" (${listing})`,
        `an input "${required}"`,
        inputNames,
      );
    }
  }
  if (!outputNames.includes('loss')) {
    issues.addRule('model', 'model: the graph has no output named "loss"', 'an output "loss"', outputNames);
  }
  const parameterNames = Object.keys(parameterValues ?? {});
  const stateNames = inputNames.filter((name) => !RESERVED.includes(name) && !parameterNames.includes(name));
  const updatedName: Record<string, string> = {};
  for (const name of [...parameterNames, ...stateNames]) {
    if (!outputNames.includes(`${name}.next`)) {
      issues.addRule(
        'model',
        `model: the graph has no output "${name}.next" carrying the updated "${name}"`,
        `an output "${name}.next"`,
        outputNames,
      );
    }
    updatedName[name] = `${name}.next`;
  }
  const lr = metadata.get('learning_rate');
  let dtype: Dtype | undefined =
    lr?.type === 'float64' ? 'float64' : lr?.type === 'float32' ? 'float32' : undefined;
  if (lr && !dtype) issues.add('model', 'a graph whose learning_rate input is float32 or float64', lr.type);
  if (!dtype) {
    const first = Object.values(parameterValues ?? {})[0];
    dtype =
      first instanceof Float64Array || (first instanceof Tensor && first.type === 'float64')
        ? 'float64'
        : 'float32';
  }
  return {
    inputs,
    parameterNames,
    stateNames,
    updatedName,
    stepInput: inputNames.includes('step') ? 'step' : undefined,
    dtype,
    classes: undefined,
  };
}

function toStateTensor(
  value: unknown,
  info: GraphValueInfo | undefined,
  dtype: Dtype,
  path: string,
  issues: IssueList,
): Tensor | undefined {
  const shape = info?.shape.every((d) => typeof d === 'number') ? (info.shape as number[]) : undefined;
  const Array_ = dtype === 'float64' ? Float64Array : Float32Array;
  const expected = `${shape ? `${product(shape)} values (shape ${formatShape(shape)})` : 'values'} as a ${Array_.name}, number array or ${dtype} tensor`;
  if (value instanceof Tensor) {
    if (value.type !== dtype || (shape && formatShape(value.dims) !== formatShape(shape))) {
      issues.add(
        path,
        `a ${dtype} tensor of shape ${shape ? formatShape(shape) : '(graph shape)'}`,
        `${value.type} ${formatShape(value.dims)}`,
      );
      return undefined;
    }
    return new Tensor(dtype, (value.data as Float32Array).slice(), value.dims);
  }
  if (!shape) {
    issues.add(
      path,
      `a ${dtype} onnxruntime-node Tensor (this onnxruntime-node version does not report the graph's input shapes)`,
      value,
    );
    return undefined;
  }
  let data: Float32Array | Float64Array | undefined;
  if (value instanceof Array_) data = value.slice();
  else if (Array.isArray(value) && value.every((v) => typeof v === 'number')) data = Array_.from(value);
  if (!data || data.length !== product(shape)) {
    issues.add(path, expected, value);
    return undefined;
  }
  return new Tensor(dtype, data, shape);
}

const modelHash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Creates a trainer. Validates every option (one `TrainingConfigError` listing every problem),
 * creates the session (CPU, one intra-op thread by default) and copies the initial values.
 *
 * @example
 * const graph = buildTrainingGraph({ inputShape: [784], layers, loss: 'softmaxCrossEntropy', optimizer: { type: 'adam' } });
 * const trainer = await createTrainer({
 *   model: graph,
 *   schedule: warmupCosineDecay({ peakValue: 1e-3, warmupSteps: 100, totalSteps: 1000 }),
 *   parameters: initParameters({ graph, seed: 0 }),
 * });
 * const loss = await trainer.step(xBatch, yBatch); // uses learning rate schedule(0)
 */
export async function createTrainer(options: TrainerOptions): Promise<Trainer> {
  const issues = new IssueList('createTrainer');
  if (typeof options !== 'object' || options === null) {
    issues.add('', 'an options object { model | session, schedule, parameters, ... }', options);
    issues.throwIfAny();
  }
  const known = [
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
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      issues.add(
        key,
        `absent (known options: ${known.join(', ')})`,
        (options as unknown as Record<string, unknown>)[key],
      );
  }
  const { model, session: givenSession } = options;
  if ((model === undefined) === (givenSession === undefined)) {
    issues.addRule('model', 'pass exactly one of model and session', 'one of model, session', {
      model,
      session: givenSession,
    });
  } else if (model !== undefined && !isGraph(model) && !(model instanceof Uint8Array)) {
    issues.add('model', 'a buildTrainingGraph result or ONNX model bytes (Uint8Array)', model);
  } else if (
    givenSession !== undefined &&
    (typeof givenSession !== 'object' || typeof givenSession.run !== 'function')
  ) {
    issues.add('session', 'an onnxruntime-node InferenceSession', givenSession);
  }
  const executionProviders = options.executionProviders ?? ['cpu'];
  if (!Array.isArray(executionProviders) || executionProviders.length === 0) {
    issues.add(
      'executionProviders',
      'a non-empty array such as ["cpu"] or ["cuda", "cpu"]',
      options.executionProviders,
    );
  } else if (givenSession && options.executionProviders) {
    issues.addRule(
      'executionProviders',
      'executionProviders applies to sessions the trainer creates; set them on your session instead',
      'no executionProviders with session',
      options.executionProviders,
    );
  }
  const threads = options.intraOpNumThreads ?? 1;
  if (!Number.isInteger(threads) || threads < 1)
    issues.add('intraOpNumThreads', 'a positive integer (default 1)', options.intraOpNumThreads);
  const strict = options.strict ?? false;
  if (typeof strict !== 'boolean') issues.add('strict', 'a boolean (default false)', options.strict);
  const onWarning = options.onWarning ?? emitWarning;
  if (typeof onWarning !== 'function')
    issues.add('onWarning', 'a function (message) => void', options.onWarning);
  const onNonFiniteLoss = options.onNonFiniteLoss ?? 'throw';
  if (onNonFiniteLoss !== 'throw' && onNonFiniteLoss !== 'skip')
    issues.add('onNonFiniteLoss', '"throw" or "skip" (default "throw")', options.onNonFiniteLoss);
  let schedule: Schedule | undefined;
  try {
    schedule = toSchedule(options.schedule);
  } catch (error) {
    issues.add(
      'schedule',
      `a schedule, a schedule config or a function of the step (${(error as Error).message})`,
      options.schedule,
    );
  }
  if (typeof options.parameters !== 'object' || options.parameters === null) {
    issues.add(
      'parameters',
      'an object of initial values by parameter name (e.g. initParameters({ graph, seed }))',
      options.parameters,
    );
  }
  issues.throwIfAny();

  const graph = isGraph(model) ? model : undefined;
  const modelBytes = graph ? graph.model : (model as Uint8Array | undefined);
  const settings = {
    intraOpNumThreads: threads,
    strict,
    onWarning,
    caller: 'createTrainer',
  };
  let session: InferenceSession;
  let providers: readonly ExecutionProvider[];
  if (givenSession) {
    session = givenSession;
    providers = [];
  } else {
    const created = await createSession(modelBytes!, { ...settings, executionProviders });
    session = created.session;
    providers = created.executionProviders;
  }
  const ownsSession = !givenSession;
  try {
    const contract = resolveContract(graph, session, options.parameters, issues);
    issues.throwIfAny();
    const c = contract!;
    const infoByName = new Map(c.inputs.map((input) => [input.name, input]));
    // parameters: every graph parameter given, nothing extra, each the right size and type
    const values = new Map<string, Tensor>();
    const given = options.parameters;
    const listing = `the graph's inputs: ${describeInputs(c.inputs)}`;
    const missing = c.parameterNames.filter((name) => !(name in given));
    if (missing.length > 0) {
      issues.addRule(
        'parameters',
        `parameters lacks ${missing.map((n) => JSON.stringify(n)).join(', ')} (${listing})`,
        'a value for every parameter',
        Object.keys(given),
      );
    }
    const extra = Object.keys(given).filter((name) => !c.parameterNames.includes(name));
    if (extra.length > 0) {
      issues.addRule(
        'parameters',
        `parameters has names the graph does not take: ${extra.map((n) => JSON.stringify(n)).join(', ')} (${listing})`,
        "only the graph's parameter names",
        extra,
      );
    }
    for (const name of c.parameterNames) {
      if (!(name in given)) continue;
      const tensor = toStateTensor(
        given[name],
        infoByName.get(name),
        c.dtype,
        `parameters["${name}"]`,
        issues,
      );
      if (tensor) values.set(name, tensor);
    }
    const givenState = options.state ?? {};
    const extraState = Object.keys(givenState).filter((name) => !c.stateNames.includes(name));
    if (extraState.length > 0) {
      issues.addRule(
        'state',
        `state has names the graph does not take: ${extraState.map((n) => JSON.stringify(n)).join(', ')} (${listing})`,
        "only the graph's state names",
        extraState,
      );
    }
    for (const name of c.stateNames) {
      const info = infoByName.get(name);
      if (name in givenState) {
        const tensor = toStateTensor(givenState[name], info, c.dtype, `state["${name}"]`, issues);
        if (tensor) values.set(name, tensor);
      } else if (info?.shape.every((d) => typeof d === 'number')) {
        const shape = info.shape as number[];
        values.set(
          name,
          new Tensor(
            c.dtype,
            c.dtype === 'float64' ? new Float64Array(product(shape)) : new Float32Array(product(shape)),
            shape,
          ),
        );
      } else {
        issues.addRule(
          'state',
          `state["${name}"] is needed: the graph does not declare its shape (${listing})`,
          'a value',
          undefined,
        );
      }
    }
    issues.throwIfAny();
    return new OrtTrainer({
      contract: c,
      graph,
      session,
      ownsSession,
      evaluationSource: options.evaluationModel,
      schedule: schedule!,
      values,
      providers,
      settings: { ...settings, executionProviders: providers.length > 0 ? providers : executionProviders },
      onNonFiniteLoss,
      fingerprint: {
        structure: structureFingerprint(c),
        ...(modelBytes ? { model: modelHash(modelBytes) } : {}),
      },
    });
  } catch (error) {
    if (ownsSession) await session.release().catch(() => undefined);
    throw error;
  }
}

function structureFingerprint(contract: Contract): string {
  const describe = (name: string) => {
    const info = contract.inputs.find((input) => input.name === name);
    return [name, info?.type, info?.shape];
  };
  const description = {
    dtype: contract.dtype,
    parameters: [...contract.parameterNames].sort().map(describe),
    state: [...contract.stateNames].sort().map(describe),
    x: describe('x'),
    y: describe('y'),
  };
  return createHash('sha256').update(JSON.stringify(description)).digest('hex');
}

interface TrainerInit {
  contract: Contract;
  graph: TrainingGraph | undefined;
  session: InferenceSession;
  ownsSession: boolean;
  evaluationSource: EvaluationGraph | Uint8Array | InferenceSession | undefined;
  schedule: Schedule;
  values: Map<string, Tensor>;
  providers: readonly ExecutionProvider[];
  settings: {
    intraOpNumThreads: number;
    strict: boolean;
    onWarning: (message: string) => void;
    caller: string;
    executionProviders: readonly ExecutionProvider[];
  };
  onNonFiniteLoss: 'throw' | 'skip';
  fingerprint: { structure: string; model?: string };
}

class OrtTrainer implements Trainer {
  readonly schedule: Schedule;
  readonly dtype: Dtype;
  readonly executionProviders: readonly ExecutionProvider[];
  readonly inputs: readonly GraphValueInfo[];
  #step = 0;
  #skipped = 0;
  #released = false;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #init: TrainerInit;
  readonly #values: Map<string, Tensor>;
  readonly #carried: readonly string[];
  readonly #xInfo: GraphValueInfo;
  readonly #yInfo: GraphValueInfo;
  #evaluation:
    | Promise<{ session: InferenceSession; owned: boolean; inputs: readonly GraphValueInfo[] }>
    | undefined;

  constructor(init: TrainerInit) {
    this.#init = init;
    this.schedule = init.schedule;
    this.dtype = init.contract.dtype;
    this.executionProviders = init.providers;
    this.inputs = init.contract.inputs;
    this.#values = init.values;
    this.#carried = [...init.contract.parameterNames, ...init.contract.stateNames];
    const find = (name: string) =>
      init.contract.inputs.find((input) => input.name === name) ?? {
        name,
        type: this.dtype,
        shape: ['batch'],
      };
    this.#xInfo = find('x');
    this.#yInfo = find('y');
  }

  get currentStep(): number {
    return this.#step;
  }

  get skippedSteps(): number {
    return this.#skipped;
  }

  learningRate(step: number): number {
    const value = this.schedule(step);
    return this.dtype === 'float32' ? Math.fround(value) : value;
  }

  /** Runs `task` after every earlier call has finished (calls never interleave). */
  #enqueue<T>(method: string, task: () => Promise<T>): Promise<T> {
    if (this.#released) return Promise.reject(new TrainerReleasedError(method));
    const run = this.#queue.then(() => {
      if (this.#released) throw new TrainerReleasedError(method);
      return task();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #batch(
    method: string,
    x: TensorLike,
    y: TensorLike,
    inputs: readonly GraphValueInfo[],
  ): { x: Tensor; y: Tensor } {
    const problems: string[] = [];
    const xTensor = toInputTensor(this.#xInfo, x, problems);
    const yTensor = toInputTensor(this.#yInfo, y, problems);
    if (xTensor && yTensor && xTensor.dims[0] !== yTensor.dims[0]) {
      problems.push(
        `x and y must hold the same number of rows; received ${xTensor.dims[0]} and ${yTensor.dims[0]}`,
      );
    }
    const classes = this.#init.contract.classes;
    if (yTensor && classes !== undefined) {
      const labels = yTensor.data as BigInt64Array;
      const limit = BigInt(classes);
      for (let i = 0; i < labels.length; i++) {
        const label = labels[i]!;
        if (label < 0n || label >= limit) {
          problems.push(`y must hold class labels in [0, ${classes - 1}]; received ${label} at index ${i}`);
          break;
        }
      }
    }
    throwFeedProblems(method, problems, inputs);
    return { x: xTensor!, y: yTensor! };
  }

  step(x: TensorLike, y: TensorLike): Promise<number> {
    return this.#enqueue('step', async () => {
      const step = this.#step;
      const learningRate = this.learningRate(step);
      const loss = await this.#update('trainer.step', x, y, learningRate, step);
      if (!Number.isFinite(loss)) {
        if (this.#init.onNonFiniteLoss === 'throw') throw new NonFiniteLossError(step, loss, learningRate);
        this.#skipped++;
        return loss;
      }
      this.#step = step + 1;
      return loss;
    });
  }

  /**
   * Runs the training-step graph once on (`x`, `y`) at `learningRate` as update `step` (fed as
   * `step + 1`), and keeps the new parameters and state when the loss is finite. Returns the loss.
   */
  async #update(
    method: string,
    x: TensorLike,
    y: TensorLike,
    learningRate: number,
    step: number,
  ): Promise<number> {
    const { contract, session } = this.#init;
    const batch = this.#batch(method, x, y, contract.inputs);
    const feeds: Record<string, Tensor> = { x: batch.x, y: batch.y };
    for (const name of this.#carried) feeds[name] = this.#values.get(name)!;
    feeds.learning_rate = new Tensor(
      this.dtype,
      this.dtype === 'float64' ? new Float64Array([learningRate]) : new Float32Array([learningRate]),
      [],
    );
    if (contract.stepInput) {
      feeds[contract.stepInput] = new Tensor(
        this.dtype,
        this.dtype === 'float64' ? new Float64Array([step + 1]) : new Float32Array([step + 1]),
        [],
      );
    }
    const results = await runChecked(session, feeds, method, contract.inputs);
    const loss = Number((results.loss!.data as Float32Array)[0]);
    if (Number.isFinite(loss))
      for (const name of this.#carried) this.#values.set(name, results[contract.updatedName[name]!]!);
    return loss;
  }

  findLearningRate(batches: RangeTestBatches, options?: FindLearningRateOptions): Promise<RangeTestResult> {
    let test: ReturnType<typeof prepareRangeTest>;
    try {
      test = prepareRangeTest(batches, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#enqueue('findLearningRate', async () => {
      // ORT tensors are never written in place (each update returns new ones): keeping the
      // references is an exact snapshot.
      const saved = new Map(this.#values);
      const start = this.#step;
      try {
        return await runRangeTest(
          test,
          batches,
          (x, y, learningRate, step) =>
            this.#update('trainer.findLearningRate', x, y, learningRate, start + step),
          this.dtype,
        );
      } finally {
        for (const [name, tensor] of saved) this.#values.set(name, tensor);
        this.#step = start;
      }
    });
  }

  evaluate(x: TensorLike, y: TensorLike): Promise<EvaluationResult> {
    return this.#enqueue('evaluate', async () => {
      const evaluation = await this.#evaluationSession();
      const batch = this.#batch('trainer.evaluate', x, y, evaluation.inputs);
      const feeds: Record<string, Tensor> = { x: batch.x, y: batch.y };
      for (const name of this.#init.contract.parameterNames) feeds[name] = this.#values.get(name)!;
      const results = await runChecked(evaluation.session, feeds, 'trainer.evaluate', evaluation.inputs);
      return {
        loss: Number((results.loss!.data as Float32Array)[0]),
        accuracy: results.accuracy ? Number((results.accuracy.data as Float32Array)[0]) : undefined,
        logits: (results.logits!.data as Float32Array | Float64Array).slice(),
      };
    });
  }

  #evaluationSession() {
    if (!this.#evaluation) {
      this.#evaluation = (async () => {
        const source = this.#init.evaluationSource;
        if (source && typeof source === 'object' && 'run' in source && typeof source.run === 'function') {
          const session = source as InferenceSession;
          const metadata = metadataOf(session, 'input');
          return {
            session,
            owned: false,
            inputs: session.inputNames.map(
              (n) => metadata.get(n) ?? { name: n, type: this.dtype, shape: [] },
            ),
          };
        }
        let evaluationGraph: EvaluationGraph | undefined;
        let bytes: Uint8Array | undefined;
        if (source instanceof Uint8Array) bytes = source;
        else if (source) evaluationGraph = source as EvaluationGraph;
        else if (this.#init.graph) evaluationGraph = buildEvaluationGraph(this.#init.graph.options);
        else {
          throw new TrainingConfigError('trainer.evaluate', [
            {
              path: 'evaluationModel',
              expected: 'an evaluation graph',
              received: undefined,
              message:
                'trainer.evaluate: no evaluation graph: pass evaluationModel to createTrainer (one is built automatically only when model comes from buildTrainingGraph).',
            },
          ]);
        }
        const { session } = await createSession(evaluationGraph ? evaluationGraph.model : bytes!, {
          ...this.#init.settings,
          caller: 'trainer.evaluate',
        });
        const metadata = metadataOf(session, 'input');
        const inputs =
          evaluationGraph?.inputs ??
          session.inputNames.map((n) => metadata.get(n) ?? { name: n, type: this.dtype, shape: [] });
        return { session, owned: true, inputs };
      })();
      this.#evaluation.catch(() => {
        this.#evaluation = undefined;
      });
    }
    return this.#evaluation;
  }

  parameters(): Record<string, Float32Array | Float64Array> {
    return this.#copy(this.#init.contract.parameterNames);
  }

  optimizerState(): Record<string, Float32Array | Float64Array> {
    return this.#copy(this.#init.contract.stateNames);
  }

  #copy(names: readonly string[]): Record<string, Float32Array | Float64Array> {
    if (this.#released) throw new TrainerReleasedError('parameters');
    const out: Record<string, Float32Array | Float64Array> = {};
    for (const name of names)
      out[name] = (this.#values.get(name)!.data as Float32Array | Float64Array).slice();
    return out;
  }

  save(path: string): Promise<void> {
    return this.#enqueue('save', async () => {
      let schedule: ScheduleConfig | null;
      try {
        schedule = toConfig(this.schedule);
      } catch {
        schedule = null; // a custom function has no JSON form
      }
      const tensors: CheckpointTensor[] = this.#carried.map((name) => ({
        name,
        role: this.#init.contract.parameterNames.includes(name) ? 'parameter' : 'state',
        shape: this.#values.get(name)!.dims,
        data: this.#values.get(name)!.data as Float32Array | Float64Array,
      }));
      const bytes = encodeCheckpoint({
        version: 1,
        step: this.#step,
        dtype: this.dtype,
        fingerprint: this.#init.fingerprint,
        schedule,
        tensors,
      });
      await writeFileAtomic(path, bytes);
    });
  }

  load(path: string, options: LoadOptions = {}): Promise<void> {
    return this.#enqueue('load', async () => {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (error) {
        throw new CheckpointError(`trainer.load: cannot read ${path}: ${(error as Error).message}`, path, {
          cause: error,
        });
      }
      const checkpoint = decodeCheckpoint(bytes, path);
      const mine = this.#init.fingerprint;
      const byName = new Map(checkpoint.tensors.map((t) => [t.name, t]));
      if (checkpoint.fingerprint.structure !== mine.structure || checkpoint.dtype !== this.dtype) {
        const differences: string[] = [];
        if (checkpoint.dtype !== this.dtype) differences.push(`dtype ${checkpoint.dtype} vs ${this.dtype}`);
        for (const name of this.#carried) {
          const saved = byName.get(name);
          const shape = this.#values.get(name)!.dims;
          if (!saved) differences.push(`"${name}" missing from the checkpoint`);
          else if (formatShape(saved.shape) !== formatShape(shape))
            differences.push(`"${name}" ${formatShape(saved.shape)} vs ${formatShape(shape)}`);
        }
        for (const name of byName.keys())
          if (!this.#carried.includes(name)) differences.push(`"${name}" not in this model`);
        if (differences.length === 0) differences.push('the x or y inputs differ');
        throw new CheckpointError(
          `trainer.load: ${path} was saved from another model (checkpoint vs this trainer: ${differences.slice(0, 8).join('; ')}${differences.length > 8 ? `; and ${differences.length - 8} more` : ''}); nothing was loaded.`,
          path,
        );
      }
      if (
        checkpoint.fingerprint.model &&
        mine.model &&
        checkpoint.fingerprint.model !== mine.model &&
        !options.allowModelChange
      ) {
        throw new CheckpointError(
          `trainer.load: ${path} has the same parameters but was saved from a different graph (other optimizer hyper-parameters, loss or layers); nothing was loaded. Pass { allowModelChange: true } to load it anyway.`,
          path,
        );
      }
      if (!Number.isInteger(checkpoint.step) || checkpoint.step < 0) {
        throw new CheckpointError(
          `trainer.load: ${path} records an invalid step ${formatValue(checkpoint.step)}.`,
          path,
        );
      }
      let current: ScheduleConfig | null;
      try {
        current = toConfig(this.schedule);
      } catch {
        current = null;
      }
      if (checkpoint.schedule && current && JSON.stringify(checkpoint.schedule) !== JSON.stringify(current)) {
        this.#init.settings.onWarning(
          `trainer.load: ${path} was saved under a different schedule (${JSON.stringify(checkpoint.schedule)}); the trainer keeps its own (${JSON.stringify(current)}). Rebuild the trainer with fromConfig(checkpoint.schedule) from readCheckpoint() to resume the saved one.`,
        );
      }
      for (const name of this.#carried) {
        const saved = byName.get(name)!;
        this.#values.set(name, new Tensor(this.dtype, saved.data, saved.shape));
      }
      this.#step = checkpoint.step;
    });
  }

  async release(): Promise<void> {
    if (this.#released) return;
    await this.#queue;
    this.#released = true;
    if (this.#init.ownsSession) await this.#init.session.release();
    const evaluation = await this.#evaluation?.catch(() => undefined);
    if (evaluation?.owned) await evaluation.session.release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }
}

/** `session.run`, turning ONNX Runtime's input errors into a `FeedError` that lists the graph's inputs. */
async function runChecked(
  session: InferenceSession,
  feeds: Record<string, Tensor>,
  method: string,
  inputs: readonly GraphValueInfo[],
): Promise<InferenceSession.ReturnType> {
  try {
    return await session.run(feeds);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FeedError(
      `${method}: ONNX Runtime rejected the inputs: ${message.split('\n')[0]}\nThe graph's inputs: ${describeInputs(inputs)}.`,
      [message],
    );
  }
}
