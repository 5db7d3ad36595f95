/**
 * The initial values of the tensors the trainer carries from step to step (parameters and
 * optimizer state), checked against the session contract and copied into ORT tensors.
 */
import type { TensorConstructor } from 'onnxruntime-common';
import type { IssueList } from '../errors';
import { describeInputs, isTensorLike, zerosTensor } from '../feeds';
import type { GraphValueInfo } from '../graph/build';
import type { Dtype } from '../graph/spec';
import type { Tensor } from '../runtime';
import { elementCount, formatShape } from '../shape';
import type { ParameterValues } from './options';
import type { SessionContract } from './session-contract';

/** A copy of `value` as a tensor of `dtype` in the input's shape, or undefined after recording why not. */
function toCarriedTensor(
  Tensor: TensorConstructor,
  value: unknown,
  info: GraphValueInfo | undefined,
  dtype: Dtype,
  path: string,
  issues: IssueList,
): Tensor | undefined {
  const shape = info?.shape.every((d) => typeof d === 'number') ? (info.shape as number[]) : undefined;
  const Array_ = dtype === 'float64' ? Float64Array : Float32Array;
  const expected = `${shape ? `${elementCount(shape)} values (shape ${formatShape(shape)})` : 'values'} as a ${Array_.name}, number array or ${dtype} tensor`;
  if (isTensorLike(value)) {
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
  if (!data || data.length !== elementCount(shape)) {
    issues.add(path, expected, value);
    return undefined;
  }
  return new Tensor(dtype, data, shape);
}

/** Records the names in `given` that are not among the graph's `known` parameter (or state) names. */
function addExtraNames(
  field: 'parameters' | 'state',
  given: ParameterValues,
  known: readonly string[],
  listing: string,
  issues: IssueList,
): void {
  const extra = Object.keys(given).filter((name) => !known.includes(name));
  if (extra.length === 0) return;
  issues.addRule(
    field,
    `${field} has names the graph does not take: ${extra.map((n) => JSON.stringify(n)).join(', ')} (${listing})`,
    `only the graph's ${field === 'parameters' ? 'parameter' : 'state'} names`,
    extra,
  );
}

/**
 * Copies of the initial parameters and state as tensors, by input name: every graph parameter
 * given, nothing extra, each of the right size and type; state entries given or zeros. Throws
 * one `TrainingConfigError` (through `issues`) listing every missing, extra or malformed value.
 */
export function initialValues(
  Tensor: TensorConstructor,
  contract: SessionContract,
  parameters: ParameterValues,
  state: ParameterValues,
  issues: IssueList,
): Map<string, Tensor> {
  const listing = `the graph's inputs: ${describeInputs(contract.inputs)}`;
  const values = new Map<string, Tensor>();
  const infoOf = (name: string) => contract.inputs.find((input) => input.name === name);
  const missing = contract.parameterNames.filter((name) => !(name in parameters));
  if (missing.length > 0) {
    issues.addRule(
      'parameters',
      `parameters lacks ${missing.map((n) => JSON.stringify(n)).join(', ')} (${listing})`,
      'a value for every parameter',
      Object.keys(parameters),
    );
  }
  addExtraNames('parameters', parameters, contract.parameterNames, listing, issues);
  for (const name of contract.parameterNames) {
    if (!(name in parameters)) continue;
    const tensor = toCarriedTensor(
      Tensor,
      parameters[name],
      infoOf(name),
      contract.dtype,
      `parameters["${name}"]`,
      issues,
    );
    if (tensor) values.set(name, tensor);
  }
  addExtraNames('state', state, contract.stateNames, listing, issues);
  for (const name of contract.stateNames) {
    const info = infoOf(name);
    if (name in state) {
      const tensor = toCarriedTensor(Tensor, state[name], info, contract.dtype, `state["${name}"]`, issues);
      if (tensor) values.set(name, tensor);
    } else if (info?.shape.every((d) => typeof d === 'number')) {
      values.set(name, zerosTensor(Tensor, contract.dtype, info.shape as number[]));
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
  return values;
}
