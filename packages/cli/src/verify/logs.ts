import { createReadStream } from 'node:fs';
import path from 'node:path';
import { isPlainObject } from '@anneal/core';
import { CliError, inputError } from '../errors';
import { readLimited, statInput } from '../input';
import type { CliIo } from '../io';
import { describeSystemError } from '../system-error';
import { readTensorBoardLog } from './tensorboard';

/**
 * The learning rates a run logged, read from the files trainers write: a Hugging Face
 * `trainer_state.json`, TensorBoard event files (a file or a log folder) or a CSV (`step,lr`, or
 * TensorBoard's export `Wall time,Step,Value`).
 */

/** One logged learning rate: the step as the log states it and the value. */
export interface LoggedPoint {
  readonly step: number;
  readonly value: number;
}

/**
 * How the log counts steps: `huggingface` (step s = updates done; which update's rate is logged
 * depends on the transformers version), `epoch-end` (Keras: one value per epoch, step = epoch
 * index), `step` (the step is the update whose rate was logged: Lightning, CSV, other tags).
 */
export type LogKind = 'huggingface' | 'epoch-end' | 'step';

export interface LoggedRates {
  /** What was read, in words: `trainer_state.json log_history[].learning_rate`, `TensorBoard tag lr-SGD (run .)`. */
  readonly source: string;
  /** The trainer whose convention the tag follows, when recognized by name. */
  readonly writer?: string;
  readonly kind: LogKind;
  readonly points: readonly LoggedPoint[];
}

/** Logs (trainer_state.json, CSV) larger than this are refused; event files are streamed. */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;

async function readText(file: string, label: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readLimited(createReadStream(file), label, {
      bytes: MAX_LOG_BYTES,
      tooLarge: () =>
        inputError(`${label} is too large: more than 64 MiB; the limit for a text log is 64 MiB`),
    });
  } catch (error) {
    if (CliError.isInstance(error)) throw error;
    throw inputError(`cannot read ${label}: ${describeSystemError(error)}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw inputError(
      `${label} is not valid UTF-8 text; expected a trainer_state.json, a CSV or TensorBoard event files`,
    );
  }
}

/** `log_history[].learning_rate` at `step`, as transformers' `TrainerState.save_to_json` writes it. */
function readTrainerState(text: string, label: string): LoggedRates {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw inputError(`${label}: invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isPlainObject(state) || !Array.isArray(state.log_history)) {
    const keys = isPlainObject(state) ? Object.keys(state).slice(0, 12).join(', ') : typeof state;
    throw inputError(
      `${label}: expected a Hugging Face trainer_state.json with a log_history array; found ${keys || 'an empty object'}`,
    );
  }
  const points: LoggedPoint[] = [];
  const keysSeen = new Set<string>();
  state.log_history.forEach((entry: unknown, index: number) => {
    if (!isPlainObject(entry)) return;
    for (const key of Object.keys(entry)) keysSeen.add(key);
    if (!('learning_rate' in entry)) return;
    const { learning_rate: value, step } = entry;
    if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isSafeInteger(step)) {
      throw inputError(
        `${label}: log_history[${index}] must hold a finite learning_rate and an integer step; received learning_rate ${JSON.stringify(value)}, step ${JSON.stringify(step)}`,
      );
    }
    points.push({ step: step as number, value });
  });
  if (points.length === 0) {
    const keys = [...keysSeen].sort().join(', ') || 'no entries';
    throw inputError(`${label}: no learning_rate in log_history (its entries hold ${keys})`);
  }
  return {
    source: `${label}: log_history[].learning_rate`,
    writer: 'Hugging Face Trainer',
    kind: 'huggingface',
    points,
  };
}

const STEP_COLUMNS = ['step', 'Step'];
const VALUE_COLUMNS = ['lr', 'learning_rate', 'Value', 'value'];

/** `step,lr` (also `learning_rate`), or TensorBoard's CSV export `Wall time,Step,Value`. */
function readCsv(text: string, label: string): LoggedRates {
  const lines = text.split(/\r?\n/);
  const header = lines[0]!.split(',').map((name) => name.trim().replace(/^"|"$/g, ''));
  const stepColumn = header.findIndex((name) => STEP_COLUMNS.includes(name));
  const valueColumn = header.findIndex((name) => VALUE_COLUMNS.includes(name));
  if (stepColumn < 0 || valueColumn < 0) {
    throw inputError(
      `${label}: expected a CSV header with a step column (step or Step) and a learning-rate column (lr, learning_rate or Value); received ${JSON.stringify(lines[0]!.slice(0, 120))}`,
    );
  }
  const points: LoggedPoint[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const step = Number(cells[stepColumn]);
    const value = Number(cells[valueColumn]);
    if (
      !Number.isSafeInteger(step) ||
      step < 0 ||
      !Number.isFinite(value) ||
      cells[valueColumn]?.trim() === ''
    ) {
      throw inputError(
        `${label}:${index + 1}: expected an integer step >= 0 and a finite learning rate; received ${JSON.stringify(line.slice(0, 120))}`,
      );
    }
    points.push({ step, value });
  }
  if (points.length === 0) throw inputError(`${label}: the CSV has a header but no rows`);
  return {
    source: `${label}: CSV columns ${header[stepColumn]}, ${header[valueColumn]}`,
    kind: 'step',
    points,
  };
}

/**
 * Reads the learning rates of `arg` (relative to `io.cwd`): a folder or an event file is a
 * TensorBoard log (`tag` picks the tag; by default the first learning-rate tag of a known trainer);
 * other files are a trainer_state.json (a JSON object) or a CSV.
 */
export async function readLoggedRates(arg: string, io: CliIo, tag: string | undefined): Promise<LoggedRates> {
  const file = path.resolve(io.cwd, arg);
  const info = await statInput(file, arg);
  if (info.isDirectory() || path.basename(file).includes('tfevents')) {
    return readTensorBoardLog(file, arg, info.isDirectory(), tag);
  }
  if (tag !== undefined) {
    throw inputError(`${arg}: --tag picks a TensorBoard tag; ${arg} is not an event file or a log folder`);
  }
  const text = await readText(file, arg);
  if (text.trim() === '')
    throw inputError(`${arg} is empty; expected a trainer_state.json, a CSV or TensorBoard event files`);
  return /^\s*\{/.test(text) ? readTrainerState(text, arg) : readCsv(text, arg);
}
