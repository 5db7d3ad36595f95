/**
 * The session contract: what the trainer needs from an ONNX Runtime `InferenceSession` that runs
 * a training-step graph. Inputs: the parameters and the optimizer state, `x`, `y`,
 * `learning_rate` and optionally `step`; outputs (the fetches): `loss`, and `<name>.next` for
 * every parameter and state input. Also the run itself, which reports ONNX Runtime's input
 * errors as a `FeedError` listing the graph's inputs.
 */
import { FeedError, type IssueList } from '../errors';
import { type BatchInputs, describeInputs } from '../feeds';
import type { GraphValueInfo, TrainingGraph } from '../graph/build';
import type { Dtype } from '../graph/spec';
import type { InferenceSession, Tensor } from '../runtime';
import type { ParameterValues } from './options';

/** The graph input that receives the learning rate. */
export const LEARNING_RATE_INPUT = 'learning_rate';
/** The graph output holding the batch loss (before the update). */
export const LOSS_OUTPUT = 'loss';
/** Inputs that are neither parameters nor optimizer state. */
const RESERVED_INPUTS = ['x', 'y', LEARNING_RATE_INPUT, 'step'];

/** The trainer's reading of a training-step graph. */
export interface SessionContract {
  /** The graph's inputs with element types and shapes. */
  readonly inputs: readonly GraphValueInfo[];
  readonly parameterNames: readonly string[];
  readonly stateNames: readonly string[];
  /** Input name → the output holding its value after the step, for every parameter and state input. */
  readonly updatedName: Readonly<Record<string, string>>;
  /** `'step'` when the graph takes the update count (including this update). */
  readonly stepInput: string | undefined;
  readonly dtype: Dtype;
  /** Classes of a softmax cross-entropy graph from `buildTrainingGraph` (labels are checked against it). */
  readonly classes: number | undefined;
}

/** The session's tensor inputs by name, as `GraphValueInfo` (a non-fixed first axis is `'batch'`). */
export function inputMetadata(session: InferenceSession): Map<string, GraphValueInfo> {
  const map = new Map<string, GraphValueInfo>();
  for (const item of (session.inputMetadata as readonly InferenceSession.ValueMetadata[] | undefined) ?? []) {
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

/** A `buildTrainingGraph` result says everything itself. */
function contractOfGraph(graph: TrainingGraph): SessionContract {
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

/**
 * Another graph: the keys of `parameterValues` are its parameters, every other non-reserved input
 * is optimizer state, and the element type is the `learning_rate` input's. Records each broken
 * rule of the contract in `issues`.
 */
function contractOfSession(
  session: InferenceSession,
  parameterValues: ParameterValues,
  issues: IssueList,
): SessionContract {
  const { inputNames, outputNames } = session;
  const metadata = inputMetadata(session);
  const inputs: GraphValueInfo[] = inputNames.map(
    // onnxruntime-node before 1.22 reports no input metadata: shapes unknown ('?')
    (name) => metadata.get(name) ?? { name, type: 'float32', shape: ['?'] },
  );
  const listing = `the graph's inputs: ${describeInputs(inputs)}`;
  for (const required of ['x', 'y', LEARNING_RATE_INPUT]) {
    if (!inputNames.includes(required)) {
      issues.addRule(
        'model',
        `model: the graph has no input named "${required}" (${listing})`,
        `an input "${required}"`,
        inputNames,
      );
    }
  }
  if (!outputNames.includes(LOSS_OUTPUT)) {
    issues.addRule('model', 'model: the graph has no output named "loss"', 'an output "loss"', outputNames);
  }
  const parameterNames = Object.keys(parameterValues ?? {});
  const stateNames = inputNames.filter(
    (name) => !RESERVED_INPUTS.includes(name) && !parameterNames.includes(name),
  );
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
  return {
    inputs,
    parameterNames,
    stateNames,
    updatedName,
    stepInput: inputNames.includes('step') ? 'step' : undefined,
    dtype: contractDtype(metadata.get(LEARNING_RATE_INPUT), parameterValues, issues),
    classes: undefined,
  };
}

/** The `learning_rate` input's element type; without metadata, that of the first parameter value. */
function contractDtype(
  learningRate: GraphValueInfo | undefined,
  parameterValues: ParameterValues,
  issues: IssueList,
): Dtype {
  if (learningRate?.type === 'float64' || learningRate?.type === 'float32') return learningRate.type;
  if (learningRate)
    issues.add('model', 'a graph whose learning_rate input is float32 or float64', learningRate.type);
  const first = Object.values(parameterValues ?? {})[0];
  return first instanceof Float64Array || (first as Tensor | undefined)?.type === 'float64'
    ? 'float64'
    : 'float32';
}

/**
 * Works out which inputs are parameters and state, and checks that the graph follows the
 * trainer's contract (problems go to `issues`).
 */
export function resolveContract(
  graph: TrainingGraph | undefined,
  session: InferenceSession,
  parameterValues: ParameterValues,
  issues: IssueList,
): SessionContract {
  return graph ? contractOfGraph(graph) : contractOfSession(session, parameterValues, issues);
}

/** The `x` and `y` inputs (a float `[batch]` stand-in where the graph declares none) and the class count. */
export function batchInputsOf(contract: SessionContract): BatchInputs {
  const find = (name: string): GraphValueInfo =>
    contract.inputs.find((input) => input.name === name) ?? { name, type: contract.dtype, shape: ['batch'] };
  return { x: find('x'), y: find('y'), classes: contract.classes };
}

/** `session.run`, turning ONNX Runtime's input errors into a `FeedError` that lists the graph's inputs. */
export async function runSession(
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
