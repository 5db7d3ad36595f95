/**
 * The step loop, the trainer's hot path. Each update is one `session.run` on the batch, the
 * carried parameters and optimizer state, the learning-rate feed and (where the graph takes it)
 * the step; when the loss is finite, the `<name>.next` outputs become the carried values.
 *
 * On a GPU session whose outputs stay on the device (`preferredOutputLocation: 'gpu-buffer'`),
 * the carried tensors are GPU buffers fed back as the next step's inputs; only the loss is read
 * back. Each replaced tensor is disposed at once (so device memory does not grow), except those
 * a snapshot holds.
 */
import type { TensorConstructor } from 'onnxruntime-common';
import { type BatchInputs, scalarTensor, toBatch } from '../feeds';
import type { InferenceSession, Tensor } from '../runtime';
import { batchInputsOf, LOSS_OUTPUT, runSession, type SessionContract } from './session-contract';

/** Whether `tensor` lives on a device (its data must be downloaded and it must be disposed). */
export const onDevice = (tensor: Tensor) =>
  tensor.location !== 'cpu' && tensor.location !== 'cpu-pinned' && tensor.location !== 'none';

/** The values of `tensor` in a fresh array (downloaded from the device where it lives there). */
export async function tensorValues(tensor: Tensor): Promise<Float32Array | Float64Array> {
  if (!onDevice(tensor)) return (tensor.data as Float32Array | Float64Array).slice();
  return (await tensor.getData(false)) as Float32Array | Float64Array;
}

export class StepLoop {
  readonly contract: SessionContract;
  readonly Tensor: TensorConstructor;
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
  /** The tensors of the snapshot taken last (not disposed while it may be restored). */
  #pinned = new Set<Tensor>();

  constructor(
    Tensor: TensorConstructor,
    session: InferenceSession,
    contract: SessionContract,
    values: Map<string, Tensor>,
  ) {
    this.Tensor = Tensor;
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

  /** A copy of the current values of carried input `name` (downloaded from the device if need be). */
  read(name: string): Promise<Float32Array | Float64Array> {
    return tensorValues(this.#values.get(name)!);
  }

  /** The current tensors of every carried input (kept alive until the next `restore`). */
  snapshot(): Map<string, Tensor> {
    this.#pinned = new Set(this.#values.values());
    return new Map(this.#values);
  }

  /** Makes `values` (a snapshot or a loaded checkpoint) the carried tensors, disposing the replaced ones. */
  restore(values: ReadonlyMap<string, Tensor>): void {
    const kept = new Set(values.values());
    for (const tensor of this.#values.values()) if (!kept.has(tensor)) this.#dispose(tensor, true);
    this.#pinned = new Set();
    this.#values = new Map(values);
  }

  /** Disposes every device tensor the loop holds (the trainer is being released). */
  release(): void {
    for (const tensor of this.#values.values()) this.#dispose(tensor, true);
  }

  /**
   * Disposes a tensor the loop owns. Unconditionally (not only while on a device): a GPU tensor
   * read with `getData` reports location 'cpu' afterwards but still holds its GPU buffer.
   */
  #dispose(tensor: Tensor, evenPinned = false): void {
    if (evenPinned || !this.#pinned.has(tensor)) tensor.dispose();
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
    const batch = toBatch(this.Tensor, method, this.batchInputs, x, y, contract.inputs);
    const feeds: Record<string, Tensor> = { x: batch.x, y: batch.y };
    for (const name of this.carried) feeds[name] = this.#values.get(name)!;
    Object.assign(feeds, learningRate);
    if (contract.stepInput) feeds[contract.stepInput] = scalarTensor(this.Tensor, contract.dtype, step + 1);
    const results = await runSession(this.#session, feeds, method, contract.inputs);
    const lossTensor = results[LOSS_OUTPUT]!;
    const loss = Number((await tensorValues(lossTensor))[0]);
    const kept = new Set<Tensor>();
    if (Number.isFinite(loss)) {
      for (const name of this.carried) {
        const next = results[contract.updatedName[name]!]!;
        this.#dispose(this.#values.get(name)!);
        this.#values.set(name, next);
        kept.add(next);
      }
    }
    // outputs not kept (the loss, gradients, a discarded update) are not needed any more
    for (const output of Object.values(results)) if (!kept.has(output)) this.#dispose(output, true);
    return loss;
  }
}
