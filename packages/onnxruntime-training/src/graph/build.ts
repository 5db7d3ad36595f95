/**
 * `buildTrainingGraph` and `buildEvaluationGraph`: ONNX models (opset 18, IR version 8, standard
 * ops only) whose single `session.run` performs the forward pass, the hand-derived backward pass
 * and the optimizer update, with the learning rate as a graph input.
 */
import { IssueList } from '../errors';
import { attribute, GraphBuilder, IR_VERSION, OPSET_VERSION } from '../onnx/graph-builder';
import type { DataTypeName, Dimension } from '../onnx/protobuf';
import { type AdamFamily, type AdamScalars, emitAdamScalars } from './adam-scalars';
import { emitLayer, type LayerEmission, type ParameterInfo } from './layers';
import {
  type Dtype,
  type EvaluationGraphOptions,
  type NormalizedModel,
  type NormalizedOptimizer,
  normalizeModel,
  normalizeOptimizer,
  type TrainingGraphOptions,
} from './spec';

/** One graph input or output: name, element type and shape (`'batch'` marks the batch axis). */
export interface GraphValueInfo {
  readonly name: string;
  readonly type: DataTypeName;
  readonly shape: readonly Dimension[];
}

/** One optimizer state tensor (PyTorch's per-parameter state names). */
export interface StateInfo {
  readonly name: string;
  readonly shape: readonly number[];
  /** The parameter it belongs to. */
  readonly parameter: string;
}

export interface TrainingGraph {
  readonly kind: 'trainingGraph';
  /** ONNX ModelProto bytes: give them to `createTrainer({ model })` or `InferenceSession.create`. */
  readonly model: Uint8Array;
  readonly dtype: Dtype;
  readonly opsetVersion: number;
  readonly irVersion: number;
  /** Graph inputs in order: parameters, optimizer state, `x`, `y`, `learning_rate`, then `step` where used. */
  readonly inputNames: readonly string[];
  /** `loss`, then `<name>.next` for every parameter and state tensor (then `<parameter>.grad` if asked). */
  readonly outputNames: readonly string[];
  readonly inputs: readonly GraphValueInfo[];
  readonly outputs: readonly GraphValueInfo[];
  readonly parameters: readonly ParameterInfo[];
  readonly state: readonly StateInfo[];
  /** Input name → output name holding its value after the step, for every parameter and state tensor. */
  readonly updatedName: Readonly<Record<string, string>>;
  readonly learningRateInput: 'learning_rate';
  /** `'step'` (the update count including this one, torch's `state['step']`) when the optimizer needs it. */
  readonly stepInput: 'step' | undefined;
  /** Shape of one output row without the batch axis (`[classes]` or `[features]`). */
  readonly outputShape: readonly number[];
  /** The validated options with defaults filled in (used by the trainer to build the evaluation graph). */
  readonly options: NormalizedTrainingOptions;
}

export interface NormalizedTrainingOptions {
  readonly layers: NormalizedModel['layers'];
  readonly loss: NormalizedModel['loss'];
  readonly dtype: Dtype;
  readonly inputShape: readonly number[];
  readonly optimizer: NormalizedOptimizer;
}

export interface EvaluationGraph {
  readonly kind: 'evaluationGraph';
  readonly model: Uint8Array;
  readonly dtype: Dtype;
  /** Parameters, then `x`, `y`. */
  readonly inputNames: readonly string[];
  /** `logits`, `loss`, and `accuracy` for softmax cross-entropy. */
  readonly outputNames: readonly string[];
  readonly inputs: readonly GraphValueInfo[];
  readonly outputs: readonly GraphValueInfo[];
  readonly parameters: readonly ParameterInfo[];
  readonly outputShape: readonly number[];
}

interface Forward {
  readonly g: GraphBuilder;
  readonly model: NormalizedModel;
  readonly parameters: ParameterInfo[];
  readonly gradients: Map<string, string>;
  readonly emissions: LayerEmission[];
  readonly logits: string;
  readonly outputShape: readonly number[];
  readonly inputs: GraphValueInfo[];
}

function yInfo(model: NormalizedModel, outputShape: readonly number[]): GraphValueInfo {
  return model.loss === 'softmaxCrossEntropy'
    ? { name: 'y', type: 'int64', shape: ['batch'] }
    : { name: 'y', type: model.dtype, shape: ['batch', ...outputShape] };
}

/** Declares parameters (then whatever `between` adds), `x` and `y`, and emits the forward pass. */
function forward(
  name: string,
  model: NormalizedModel,
  between: (parameters: readonly ParameterInfo[]) => GraphValueInfo[],
): Forward {
  const g = new GraphBuilder(name, model.dtype);
  const parameters: ParameterInfo[] = [];
  const gradients = new Map<string, string>();
  const emissions: LayerEmission[] = [];
  let value = 'x';
  model.layers.forEach((layer, index) => {
    const emission = emitLayer(
      g,
      layer,
      index,
      value,
      model.shapes[index]!,
      model.shapes[index + 1]!,
      parameters,
      gradients,
    );
    emissions.push(emission);
    value = emission.output;
  });
  const outputShape = model.shapes[model.shapes.length - 1]!;
  const inputs: GraphValueInfo[] = [
    ...parameters.map((p) => ({ name: p.name, type: model.dtype, shape: p.shape })),
    ...between(parameters),
    { name: 'x', type: model.dtype, shape: ['batch', ...model.inputShape] },
    yInfo(model, outputShape),
  ];
  return { g, model, parameters, gradients, emissions, logits: value, outputShape, inputs };
}

/** Emits the loss; returns the scalar loss and dL/dlogits. */
function emitLoss(g: GraphBuilder, model: NormalizedModel, logits: string, outputShape: readonly number[]) {
  if (model.loss === 'softmaxCrossEntropy') {
    const classes = outputShape[0]!;
    const logProbabilities = g.op('LogSoftmax', [logits], { axis: attribute.int(1) });
    const labels = g.op('Unsqueeze', ['y', g.int64s([1])]); // [B, 1]
    const oneHot = g.cast(
      g.op('Equal', [labels, g.int64s(Array.from({ length: classes }, (_, k) => k))]),
      model.dtype,
    );
    const batch = g.cast(g.op('Size', ['y']), model.dtype);
    // L = −(1/B) Σ_b log softmax(z_b)[y_b]
    const picked = g.op('ReduceSum', [g.op('Mul', [oneHot, logProbabilities]), g.int64s([1])], {
      keepdims: attribute.int(0),
    });
    const loss = g.op('Div', [
      g.op('Neg', [g.op('ReduceSum', [picked], { keepdims: attribute.int(0) })]),
      batch,
    ]);
    // dL/dz = (softmax(z) − onehot(y)) / B
    const gradient = g.op('Div', [g.op('Sub', [g.op('Exp', [logProbabilities]), oneHot]), batch]);
    return { loss, gradient };
  }
  // L = (1/N) Σ (z − y)², N = every element;  dL/dz = 2 (z − y) / N
  const difference = g.op('Sub', [logits, 'y']);
  const count = g.cast(g.op('Size', [logits]), model.dtype);
  const loss = g.op('ReduceMean', [g.op('Mul', [difference, difference])], { keepdims: attribute.int(0) });
  const gradient = g.op('Div', [g.op('Mul', [difference, g.scalar(2)]), count]);
  return { loss, gradient };
}

function stateNames(optimizer: NormalizedOptimizer): string[] {
  if (optimizer.type === 'sgd') return optimizer.momentum > 0 ? ['momentum_buffer'] : [];
  return ['exp_avg', 'exp_avg_sq'];
}

function needsStep(optimizer: NormalizedOptimizer): boolean {
  return optimizer.type !== 'sgd' || (optimizer.momentum > 0 && optimizer.dampening > 0);
}

/**
 * torch.optim.SGD's update of one parameter `p` with gradient `gradient`; returns the new values
 * keyed by input name.
 */
function emitSgdUpdate(
  g: GraphBuilder,
  optimizer: Extract<NormalizedOptimizer, { type: 'sgd' }>,
  p: string,
  gradient: string,
): Record<string, string> {
  // g ← g + λp;  buf ← g (first step) or μ·buf + (1 − τ)·g;  g ← g + μ·buf (Nesterov) or buf;  p ← p − lr·g
  let grad =
    optimizer.weightDecay > 0
      ? g.op('Add', [gradient, g.op('Mul', [p, g.scalar(optimizer.weightDecay)])])
      : gradient;
  const result: Record<string, string> = {};
  if (optimizer.momentum > 0) {
    const buffer = `${p}.momentum_buffer`;
    const dampened = optimizer.dampening > 0 ? g.op('Mul', [grad, g.scalar(1 - optimizer.dampening)]) : grad;
    let next = g.op('Add', [g.op('Mul', [buffer, g.scalar(optimizer.momentum)]), dampened]);
    // torch starts the buffer as a copy of the first gradient; with zero dampening μ·0 + g is that already
    if (optimizer.dampening > 0) next = g.op('Where', [g.op('Less', ['step', g.scalar(1.5)]), grad, next]);
    result[buffer] = next;
    grad = optimizer.nesterov ? g.op('Add', [grad, g.op('Mul', [next, g.scalar(optimizer.momentum)])]) : next;
  }
  result[p] = g.op('Sub', [p, g.op('Mul', [grad, 'learning_rate'])]);
  return result;
}

/**
 * torch.optim.Adam / AdamW's update (single-tensor path) of one parameter `p` with gradient
 * `gradient`, given the graph's shared `scalars`; returns the new values keyed by input name.
 */
function emitAdamUpdate(
  g: GraphBuilder,
  optimizer: AdamFamily,
  scalars: AdamScalars,
  p: string,
  gradient: string,
): Record<string, string> {
  const { beta1, beta2, epsilon, weightDecay } = optimizer;
  let grad = gradient;
  let param = p;
  if (weightDecay > 0 && optimizer.type === 'adam')
    grad = g.op('Add', [grad, g.op('Mul', [p, g.scalar(weightDecay)])]);
  // AdamW: p ← p (1 − lr λ)
  if (scalars.decayFactor) param = g.op('Mul', [p, scalars.decayFactor]);
  const m = `${p}.exp_avg`;
  const v = `${p}.exp_avg_sq`;
  // m ← lerp(m, g, 1 − β1) as torch's lerp_: m + w (g − m) for w < 0.5, else g − (g − m)(1 − w)
  const weight = 1 - beta1;
  const mNext =
    weight < 0.5
      ? g.op('Add', [m, g.op('Mul', [g.op('Sub', [grad, m]), g.scalar(weight)])])
      : g.op('Sub', [grad, g.op('Mul', [g.op('Sub', [grad, m]), g.scalar(1 - weight)])]);
  // v ← β2 v + (1 − β2) g²
  const vNext = g.op('Add', [
    g.op('Mul', [v, g.scalar(beta2)]),
    g.op('Mul', [g.op('Mul', [grad, grad]), g.scalar(1 - beta2)]),
  ]);
  // p ← p − (lr / (1 − β1ᵗ)) · m / (sqrt(v) / sqrt(1 − β2ᵗ) + ε)
  const denominator = g.op('Add', [
    g.op('Div', [g.op('Sqrt', [vNext]), scalars.bias2Sqrt]),
    g.scalar(epsilon),
  ]);
  const pNext = g.op('Sub', [param, g.op('Mul', [g.op('Div', [mNext, denominator]), scalars.stepSize])]);
  return { [p]: pNext, [m]: mNext, [v]: vNext };
}

/**
 * Emits the optimizer update of every parameter (PyTorch semantics), in parameter order; returns
 * the new value of each parameter and state tensor, keyed by input name.
 */
function emitUpdates(
  g: GraphBuilder,
  optimizer: NormalizedOptimizer,
  parameters: readonly ParameterInfo[],
  gradients: ReadonlyMap<string, string>,
): Map<string, string> {
  const updates = new Map<string, string>();
  // Adam's shared scalars come once, just before the first parameter's update
  const adamScalars =
    optimizer.type === 'sgd' || parameters.length === 0 ? undefined : emitAdamScalars(g, optimizer);
  for (const p of parameters) {
    const gradient = gradients.get(p.name)!;
    const update =
      optimizer.type === 'sgd'
        ? emitSgdUpdate(g, optimizer, p.name, gradient)
        : emitAdamUpdate(g, optimizer, adamScalars!, p.name, gradient);
    for (const [name, value] of Object.entries(update)) updates.set(name, value);
  }
  return updates;
}

/** Records each option of a graph builder's `options` that neither builder knows. */
function rejectUnknownOptions(options: unknown, issues: IssueList): void {
  // buildEvaluationGraph accepts (and ignores) the training-only options, so one options object serves both
  if (options && typeof options === 'object')
    issues.addUnknownKeys(options, ['layers', 'loss', 'dtype', 'inputShape', 'optimizer', 'outputGradients']);
}

/**
 * Builds the training-step graph. One `session.run` computes the loss of the batch, the
 * gradients and the optimizer update; the updated parameters and state come out under
 * distinct names (`<name>.next`), never aliasing an input.
 *
 * @example
 * const graph = buildTrainingGraph({
 *   inputShape: [784],
 *   layers: [{ type: 'dense', units: 128 }, { type: 'relu' }, { type: 'dense', units: 10 }],
 *   loss: 'softmaxCrossEntropy',
 *   optimizer: { type: 'adam' },
 * });
 */
export function buildTrainingGraph(options: TrainingGraphOptions): TrainingGraph {
  const issues = new IssueList('buildTrainingGraph');
  const model = normalizeModel(options, issues);
  if (typeof options !== 'object' || options === null) issues.throwIfAny();
  const optimizer = normalizeOptimizer((options as { optimizer?: unknown } | undefined)?.optimizer, issues);
  const outputGradients = (options as { outputGradients?: unknown } | undefined)?.outputGradients ?? false;
  if (typeof outputGradients !== 'boolean')
    issues.add('outputGradients', 'a boolean (default false)', outputGradients);
  rejectUnknownOptions(options, issues);
  issues.throwIfAny();
  if (!model || !optimizer) throw new Error('unreachable: validation passed without a model');

  const suffixes = stateNames(optimizer);
  const state: StateInfo[] = [];
  const stepInput = needsStep(optimizer) ? ('step' as const) : undefined;
  const f = forward('anneal_training_step', model, (parameters) => {
    for (const suffix of suffixes) {
      for (const p of parameters)
        state.push({ name: `${p.name}.${suffix}`, shape: p.shape, parameter: p.name });
    }
    return state.map((s) => ({ name: s.name, type: model.dtype, shape: s.shape }));
  });
  const { g } = f;
  for (const input of f.inputs) g.input(input.name, input.type, input.shape);
  g.input('learning_rate', model.dtype, []);
  if (stepInput) g.input(stepInput, model.dtype, []);
  const inputs: GraphValueInfo[] = [
    ...f.inputs,
    { name: 'learning_rate', type: model.dtype, shape: [] },
    ...(stepInput ? [{ name: stepInput, type: model.dtype, shape: [] as Dimension[] }] : []),
  ];

  const { loss, gradient } = emitLoss(g, model, f.logits, f.outputShape);
  let upstream: string | undefined = gradient;
  for (let index = f.emissions.length - 1; index >= 0; index--) {
    // the input gradient is needed only while a trainable layer lies further back
    const needInput = model.layers
      .slice(0, index)
      .some((layer) => layer.type === 'dense' || layer.type === 'conv2d');
    upstream = f.emissions[index]!.backward(upstream!, needInput);
    if (!needInput) break;
  }

  const outputs: GraphValueInfo[] = [{ name: 'loss', type: model.dtype, shape: [] }];
  g.output(loss, 'loss', model.dtype, []);
  const updatedName: Record<string, string> = {};
  const updates = emitUpdates(g, optimizer, f.parameters, f.gradients);
  for (const item of [...f.parameters, ...state]) {
    const outputName = `${item.name}.next`;
    updatedName[item.name] = outputName;
    g.output(updates.get(item.name)!, outputName, model.dtype, item.shape);
    outputs.push({ name: outputName, type: model.dtype, shape: item.shape });
  }
  if (outputGradients) {
    for (const p of f.parameters) {
      g.output(f.gradients.get(p.name)!, `${p.name}.grad`, model.dtype, p.shape);
      outputs.push({ name: `${p.name}.grad`, type: model.dtype, shape: p.shape });
    }
  }
  const normalized: NormalizedTrainingOptions = {
    layers: model.layers,
    loss: model.loss,
    dtype: model.dtype,
    inputShape: model.inputShape,
    optimizer,
  };
  return {
    kind: 'trainingGraph',
    model: g.encode({ 'anneal.options': JSON.stringify(normalized) }),
    dtype: model.dtype,
    opsetVersion: OPSET_VERSION,
    irVersion: IR_VERSION,
    inputNames: inputs.map((i) => i.name),
    outputNames: outputs.map((o) => o.name),
    inputs,
    outputs,
    parameters: f.parameters,
    state,
    updatedName,
    learningRateInput: 'learning_rate',
    stepInput,
    outputShape: f.outputShape,
    options: normalized,
  };
}

/**
 * Builds the evaluation graph of the same model: inputs are the parameters, `x` and `y`;
 * outputs `logits` (the last layer's output), `loss`, and `accuracy` (fraction of rows whose
 * arg-max equals the label) for softmax cross-entropy.
 */
export function buildEvaluationGraph(options: EvaluationGraphOptions): EvaluationGraph {
  const issues = new IssueList('buildEvaluationGraph');
  const model = normalizeModel(options, issues);
  rejectUnknownOptions(options, issues);
  issues.throwIfAny();
  if (!model) throw new Error('unreachable: validation passed without a model');
  const f = forward('anneal_evaluation', model, () => []);
  const { g } = f;
  for (const input of f.inputs) g.input(input.name, input.type, input.shape);
  const { loss } = emitLoss(g, model, f.logits, f.outputShape);
  const outputs: GraphValueInfo[] = [
    { name: 'logits', type: model.dtype, shape: ['batch', ...f.outputShape] },
    { name: 'loss', type: model.dtype, shape: [] },
  ];
  g.output(f.logits, 'logits', model.dtype, ['batch', ...f.outputShape]);
  g.output(loss, 'loss', model.dtype, []);
  if (model.loss === 'softmaxCrossEntropy') {
    const predicted = g.op('ArgMax', ['logits'], { axis: attribute.int(1), keepdims: attribute.int(0) });
    const correct = g.cast(g.op('Equal', [predicted, 'y']), model.dtype);
    g.output(g.op('ReduceMean', [correct], { keepdims: attribute.int(0) }), 'accuracy', model.dtype, []);
    outputs.push({ name: 'accuracy', type: model.dtype, shape: [] });
  }
  return {
    kind: 'evaluationGraph',
    model: g.encode(),
    dtype: model.dtype,
    inputNames: f.inputs.map((i) => i.name),
    outputNames: outputs.map((o) => o.name),
    inputs: f.inputs,
    outputs,
    parameters: f.parameters,
    outputShape: f.outputShape,
  };
}
