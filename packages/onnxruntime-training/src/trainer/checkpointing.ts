/**
 * `trainer.saveBytes` and `trainer.loadBytes`: the trainer's state (carried tensors, step,
 * schedule config, model fingerprint) to and from checkpoint bytes. The format itself is
 * ../checkpoint; Node's `trainer.save(path)` and `trainer.load(path)` put these bytes in files.
 */
import { type Schedule, type ScheduleConfig, toConfig } from '@anneal/core';
import {
  CHECKPOINT_VERSION,
  type Checkpoint,
  type CheckpointFingerprint,
  decodeCheckpoint,
  encodeCheckpoint,
} from '../checkpoint';
import { CheckpointError } from '../errors';
import type { Tensor } from '../runtime';
import { sha256Hex } from '../sha256';
import { formatShape } from '../shape';
import type { SessionContract } from './session-contract';
import type { StepLoop } from './step-loop';

export interface LoadOptions {
  /**
   * Accept a checkpoint whose parameters and state match but whose graph bytes differ (for
   * example changed optimizer hyper-parameters). Default false.
   */
  readonly allowModelChange?: boolean;
}

/** The trainer state a checkpoint holds, and what a loaded one is checked against. */
export interface CheckpointedState {
  /** The carried tensors and the contract (dtype, which names are parameters). */
  readonly loop: StepLoop;
  /** Updates applied so far. */
  readonly step: number;
  readonly schedule: Schedule;
  readonly fingerprint: CheckpointFingerprint;
}

/**
 * The fingerprint of a model: SHA-256 of its trainable interface (names, element types and shapes
 * of the parameters, state, `x` and `y`) and, when known, of its bytes.
 */
export function checkpointFingerprint(
  contract: SessionContract,
  modelBytes: Uint8Array | undefined,
): CheckpointFingerprint {
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
  return {
    structure: sha256Hex(JSON.stringify(description)),
    ...(modelBytes ? { model: sha256Hex(modelBytes) } : {}),
  };
}

/** The schedule's JSON config, or null for a custom function (which has no JSON form). */
function scheduleConfigOf(schedule: Schedule): ScheduleConfig | null {
  try {
    return toConfig(schedule);
  } catch {
    return null;
  }
}

/** The checkpoint bytes of `state` (tensors on a device are read back first). */
export async function checkpointBytes(state: CheckpointedState): Promise<Uint8Array> {
  const { loop } = state;
  const data = await Promise.all(loop.carried.map((name) => loop.read(name)));
  return encodeCheckpoint({
    version: CHECKPOINT_VERSION,
    step: state.step,
    dtype: loop.contract.dtype,
    fingerprint: state.fingerprint,
    schedule: scheduleConfigOf(state.schedule),
    tensors: loop.carried.map((name, index) => ({
      name,
      role: loop.contract.parameterNames.includes(name) ? 'parameter' : 'state',
      shape: loop.value(name).dims,
      data: data[index]!,
    })),
  });
}

/** Where loaded bytes came from, for messages: the caller, the file (or "the checkpoint bytes") and the reader to name. */
export interface CheckpointSource {
  readonly caller: string;
  readonly label: string;
  readonly reader: string;
}

/**
 * How the tensors of `checkpoint` differ from those the trainer carries: dtype, missing, extra,
 * reshaped tensors, or a parameter recorded as state (or the reverse). Empty when they match.
 */
function tensorDifferences(checkpoint: Checkpoint, state: CheckpointedState): string[] {
  const { loop } = state;
  const dtype = loop.contract.dtype;
  const byName = new Map(checkpoint.tensors.map((t) => [t.name, t]));
  const differences: string[] = [];
  if (checkpoint.dtype !== dtype) differences.push(`dtype ${checkpoint.dtype} vs ${dtype}`);
  for (const name of loop.carried) {
    const saved = byName.get(name);
    const shape = loop.value(name).dims;
    const role = loop.contract.parameterNames.includes(name) ? 'parameter' : 'state';
    if (!saved) differences.push(`"${name}" missing from the checkpoint`);
    else if (formatShape(saved.shape) !== formatShape(shape))
      differences.push(`"${name}" ${formatShape(saved.shape)} vs ${formatShape(shape)}`);
    else if (saved.role !== role) differences.push(`"${name}" ${saved.role} vs ${role}`);
  }
  for (const name of byName.keys())
    if (!loop.carried.includes(name)) differences.push(`"${name}" not in this model`);
  return differences;
}

/**
 * Throws a `CheckpointError` unless `checkpoint` was saved from the model of `state`: the same
 * fingerprint and exactly the tensors the trainer carries, each with its shape and role.
 */
function checkLoadable(
  source: CheckpointSource,
  checkpoint: Checkpoint,
  state: CheckpointedState,
  options: LoadOptions,
): void {
  const mine = state.fingerprint;
  const differences = tensorDifferences(checkpoint, state);
  if (checkpoint.fingerprint.structure !== mine.structure || differences.length > 0) {
    if (differences.length === 0) differences.push('the x or y inputs differ');
    throw new CheckpointError(
      `${source.caller}: ${source.label} was saved from another model (checkpoint vs this trainer: ${differences.slice(0, 8).join('; ')}${differences.length > 8 ? `; and ${differences.length - 8} more` : ''}); nothing was loaded.`,
      source.label,
    );
  }
  if (
    checkpoint.fingerprint.model &&
    mine.model &&
    checkpoint.fingerprint.model !== mine.model &&
    !options.allowModelChange
  ) {
    throw new CheckpointError(
      `${source.caller}: ${source.label} has the same parameters but was saved from a different graph (other optimizer hyper-parameters, loss or layers); nothing was loaded. Pass { allowModelChange: true } to load it anyway.`,
      source.label,
    );
  }
}

/**
 * Parses checkpoint `bytes`, checks them against `state` (throwing a `CheckpointError` when they do
 * not fit) and builds the tensors to restore in fresh buffers, changing nothing; warns through
 * `onWarning` when they recorded another schedule. The caller swaps the result in at once, so a
 * load that fails leaves the trainer exactly as it was.
 */
export function restoreCheckpoint(
  bytes: Uint8Array,
  source: CheckpointSource,
  state: CheckpointedState,
  options: LoadOptions,
  onWarning: (message: string) => void,
): { values: Map<string, Tensor>; step: number } {
  const checkpoint = decodeCheckpoint(bytes, source.label);
  checkLoadable(source, checkpoint, state, options);
  const byName = new Map(checkpoint.tensors.map((t) => [t.name, t]));
  const values = new Map<string, Tensor>();
  for (const name of state.loop.carried) {
    const saved = byName.get(name)!;
    values.set(name, new state.loop.Tensor(state.loop.contract.dtype, saved.data, saved.shape));
  }
  const current = scheduleConfigOf(state.schedule);
  if (checkpoint.schedule && current && JSON.stringify(checkpoint.schedule) !== JSON.stringify(current)) {
    onWarning(
      `${source.caller}: ${source.label} was saved under a different schedule (${JSON.stringify(checkpoint.schedule)}); the trainer keeps its own (${JSON.stringify(current)}). Rebuild the trainer with fromConfig(checkpoint.schedule) from ${source.reader}() to resume the saved one.`,
    );
  }
  return { values, step: checkpoint.step };
}
