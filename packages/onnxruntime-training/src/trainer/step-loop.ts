/**
 * The step loop, the trainer's hot path. Each update is one `session.run` on the batch, the
 * carried parameters and optimizer state, the learning-rate feed and (where the graph takes it)
 * the step; when the loss is finite, the `<name>.next` outputs become the carried values.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { type BatchInputs, scalarTensor, toBatch } from '../feeds';
import { batchInputsOf, LOSS_OUTPUT, runSession, type SessionContract } from './session-contract';

export class StepLoop {
  readonly contract: SessionContract;
  /** What `x` and `y` are checked against. */
  readonly batchInputs: BatchInputs;
  /** The carried inputs: parameters, then optimizer state. */
  readonly carried: readonly string[];
  readonly #session: InferenceSession;
  /**
   * The current value of every carried input. ONNX Runtime never writes these tensors in place
   * (each update returns new ones), so a copy of the map is an exact snapshot.
   */
  #values: Map<string, Tensor>;

  constructor(session: InferenceSession, contract: SessionContract, values: Map<string, Tensor>) {
    this.#session = session;
    this.contract = contract;
    this.batchInputs = batchInputsOf(contract);
    this.carried = [...contract.parameterNames, ...contract.stateNames];
    this.#values = values;
  }

  /** The current tensor of carried input `name`. */
  value(name: string): Tensor {
    return this.#values.get(name)!;
  }

  /** The current tensors of every carried input (references: the tensors are never written to). */
  snapshot(): Map<string, Tensor> {
    return new Map(this.#values);
  }

  /** Makes `values` (a snapshot or a loaded checkpoint) the carried tensors. */
  restore(values: ReadonlyMap<string, Tensor>): void {
    this.#values = new Map(values);
  }

  /**
   * Runs the training-step graph once on (`x`, `y`) with the learning-rate feed `learningRate`
   * as update `step` (fed as `step + 1`), and keeps the new parameters and state when the loss is
   * finite. Returns the loss. `method` names the caller in `FeedError` messages.
   */
  async update(
    method: string,
    x: unknown,
    y: unknown,
    learningRate: Readonly<Record<string, Tensor>>,
    step: number,
  ): Promise<number> {
    const { contract } = this;
    const batch = toBatch(method, this.batchInputs, x, y, contract.inputs);
    const feeds: Record<string, Tensor> = { x: batch.x, y: batch.y };
    for (const name of this.carried) feeds[name] = this.#values.get(name)!;
    Object.assign(feeds, learningRate);
    if (contract.stepInput) feeds[contract.stepInput] = scalarTensor(contract.dtype, step + 1);
    const results = await runSession(this.#session, feeds, method, contract.inputs);
    const loss = Number((results[LOSS_OUTPUT]!.data as Float32Array)[0]);
    if (Number.isFinite(loss))
      for (const name of this.carried) this.#values.set(name, results[contract.updatedName[name]!]!);
    return loss;
  }
}
