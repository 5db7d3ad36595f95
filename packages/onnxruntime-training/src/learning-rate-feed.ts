/** `learningRateFeed`: the learning-rate feed for graphs you built yourself. */
import type { Schedule, ScheduleLike } from '@anneal/core';
import type { TensorConstructor } from 'onnxruntime-common';
import { IssueList } from './errors';
import { scalarTensor } from './feeds';
import type { Dtype } from './graph/spec';
import { type InferenceSession, isOrtRuntime, ORT_EXPECTED, type OrtRuntime, type Tensor } from './runtime';
import { readScheduleOption } from './schedule-option';

export interface LearningRateFeedOptions {
  /** The learning-rate schedule: a schedule, a JSON config, or a plain function of the step. */
  readonly schedule: ScheduleLike;
  /** Name of the graph's learning-rate input. Default `'learning_rate'` (as in ONNX Runtime training artifacts). */
  readonly inputName?: string;
  /** Element type of that input. Default `'float32'`; float32 feeds `Math.fround(schedule(step))`. */
  readonly dtype?: 'float32' | 'float64';
  /** Optional: the session the feeds are for; its inputs are checked for `inputName` and its type. */
  readonly session?: InferenceSession;
  /**
   * The ONNX Runtime module whose `Tensor` the feeds are (`import * as ort from 'onnxruntime-web'`).
   * Default in Node: onnxruntime-node; required in the browser entry.
   */
  readonly ort?: OrtRuntime;
}

/** Returns `{ [inputName]: scalar tensor }` holding the learning rate of `step`. */
export type LearningRateFeed = ((step: number) => Record<string, Tensor>) & { readonly schedule: Schedule };

/**
 * Feeds for a graph that takes the learning rate as a scalar input (your own training-step
 * graph built from standard ONNX ops).
 *
 * @example
 * const lr = learningRateFeed({ schedule, session });
 * await session.run({ ...otherFeeds, ...lr(step) });
 */
export function createLearningRateFeed(
  options: LearningRateFeedOptions,
  defaultRuntime: OrtRuntime | undefined,
): LearningRateFeed {
  const issues = new IssueList('learningRateFeed');
  if (typeof options !== 'object' || options === null) {
    issues.add('', 'an options object { schedule, inputName?, dtype?, session?, ort? }', options);
    issues.throwIfAny();
  }
  issues.addUnknownKeys(options, ['schedule', 'inputName', 'dtype', 'session', 'ort']);
  const ort = options.ort ?? defaultRuntime;
  if (!isOrtRuntime(ort)) issues.add('ort', ORT_EXPECTED, options.ort);
  const schedule = readScheduleOption(options.schedule, issues);
  const inputName = options.inputName ?? 'learning_rate';
  if (typeof inputName !== 'string' || inputName.length === 0)
    issues.add('inputName', 'a non-empty string (default "learning_rate")', options.inputName);
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64')
    issues.add('dtype', '"float32" or "float64" (default "float32")', options.dtype);
  const session = options.session;
  if (session !== undefined) {
    if (typeof session !== 'object' || session === null || !Array.isArray(session.inputNames)) {
      issues.add('session', 'an ONNX Runtime InferenceSession', session);
    } else if (typeof inputName === 'string' && !session.inputNames.includes(inputName)) {
      issues.addRule(
        'inputName',
        `the session has no input named ${JSON.stringify(inputName)}; its inputs are ${session.inputNames.map((n) => JSON.stringify(n)).join(', ')}`,
        'the name of a session input',
        inputName,
      );
    } else {
      const metadata = (session.inputMetadata ?? []).find((item) => item.name === inputName);
      if (metadata?.isTensor) {
        if (metadata.type !== dtype) {
          issues.addRule(
            'dtype',
            `the session's ${JSON.stringify(inputName)} input is ${metadata.type}, not ${dtype}`,
            metadata.type,
            dtype,
          );
        }
        if (metadata.shape.length > 1 || (metadata.shape.length === 1 && metadata.shape[0] !== 1)) {
          issues.addRule(
            'inputName',
            `the session's ${JSON.stringify(inputName)} input has shape [${metadata.shape.join(', ')}], not a scalar`,
            'a scalar or [1] input',
            metadata.shape,
          );
        }
      }
    }
  }
  issues.throwIfAny();
  const name = inputName as string;
  const metadata = session ? (session.inputMetadata ?? []).find((item) => item.name === name) : undefined;
  const dims = metadata?.isTensor && metadata.shape.length === 1 ? [1] : [];
  return scheduleFeed(ort!.Tensor, schedule!, name, dtype, dims);
}

/** The feed `{ [name]: scalar tensor of schedule(step) }` (validated arguments). */
export function scheduleFeed(
  Tensor: TensorConstructor,
  schedule: Schedule,
  name: string,
  dtype: Dtype,
  dims: readonly number[] = [],
): LearningRateFeed {
  const feed = (step: number) => ({ [name]: scalarTensor(Tensor, dtype, schedule(step), dims) });
  return Object.assign(feed, { schedule });
}
