/**
 * `trainer.evaluate`: the evaluation session (given, or created on first use from the evaluation
 * graph) and its run on the current parameters.
 */
import { TrainingConfigError } from '../errors';
import { type BatchInputs, toBatch } from '../feeds';
import {
  buildEvaluationGraph,
  type EvaluationGraph,
  type GraphValueInfo,
  type TrainingGraph,
} from '../graph/build';
import type { Dtype } from '../graph/spec';
import type { InferenceSession, Tensor } from '../runtime';
import { createSession, type SessionSettings } from '../session';
import { inputMetadata, LOSS_OUTPUT, runSession } from './session-contract';
import { tensorValues } from './step-loop';

export interface EvaluationResult {
  readonly loss: number;
  /** Fraction of rows whose arg-max equals the label (softmax cross-entropy only). */
  readonly accuracy: number | undefined;
  /** The last layer's output, `[batch, ...outputShape]` row-major. */
  readonly logits: Float32Array | Float64Array;
}

/** Where the evaluation session comes from. */
export interface EvaluationSource {
  /** `evaluationModel` as given to `createTrainer`. */
  readonly model: EvaluationGraph | Uint8Array | InferenceSession | undefined;
  /** The training graph, when it came from `buildTrainingGraph` (its evaluation graph is built from it). */
  readonly trainingGraph: TrainingGraph | undefined;
  readonly dtype: Dtype;
  /** Settings for a session the trainer creates. */
  readonly settings: SessionSettings;
}

interface EvaluationSession {
  readonly session: InferenceSession;
  /** Whether the trainer created it (and releases it). */
  readonly owned: boolean;
  readonly inputs: readonly GraphValueInfo[];
}

const isSession = (value: unknown): value is InferenceSession =>
  typeof value === 'object' && value !== null && 'run' in value && typeof value.run === 'function';

/** The session's inputs; those it reports no metadata for get the graph's dtype and shape `[]`. */
function inputsOf(session: InferenceSession, dtype: Dtype): GraphValueInfo[] {
  const metadata = inputMetadata(session);
  return session.inputNames.map((name) => metadata.get(name) ?? { name, type: dtype, shape: [] });
}

async function openEvaluationSession(source: EvaluationSource): Promise<EvaluationSession> {
  const { model, dtype } = source;
  if (isSession(model)) return { session: model, owned: false, inputs: inputsOf(model, dtype) };
  let evaluationGraph: EvaluationGraph | undefined;
  let bytes: Uint8Array | undefined;
  if (model instanceof Uint8Array) bytes = model;
  else if (model) evaluationGraph = model;
  else if (source.trainingGraph) evaluationGraph = buildEvaluationGraph(source.trainingGraph.options);
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
    ...source.settings,
    caller: 'trainer.evaluate',
  });
  return { session, owned: true, inputs: evaluationGraph?.inputs ?? inputsOf(session, dtype) };
}

/** The evaluation session of one trainer, opened on first use (again after a failed attempt). */
export class Evaluation {
  readonly #source: EvaluationSource;
  #opening: Promise<EvaluationSession> | undefined;

  constructor(source: EvaluationSource) {
    this.#source = source;
  }

  #session(): Promise<EvaluationSession> {
    if (!this.#opening) {
      this.#opening = openEvaluationSession(this.#source);
      this.#opening.catch(() => {
        this.#opening = undefined;
      });
    }
    return this.#opening;
  }

  /** Loss, accuracy and logits of `parameters` (by input name) on the batch (`x`, `y`). */
  async run(
    parameters: ReadonlyMap<string, Tensor>,
    batchInputs: BatchInputs,
    x: unknown,
    y: unknown,
  ): Promise<EvaluationResult> {
    const evaluation = await this.#session();
    const batch = toBatch(
      this.#source.settings.ort.Tensor,
      'trainer.evaluate',
      batchInputs,
      x,
      y,
      evaluation.inputs,
    );
    const feeds: Record<string, Tensor> = { x: batch.x, y: batch.y };
    for (const [name, tensor] of parameters) feeds[name] = tensor;
    const results = await runSession(evaluation.session, feeds, 'trainer.evaluate', evaluation.inputs);
    const [loss, accuracy, logits] = await Promise.all([
      tensorValues(results[LOSS_OUTPUT]!),
      results.accuracy ? tensorValues(results.accuracy) : undefined,
      tensorValues(results.logits!),
    ]);
    return { loss: Number(loss[0]), accuracy: accuracy ? Number(accuracy[0]) : undefined, logits };
  }

  /** Releases the session if the trainer created it (after it finished opening). */
  async release(): Promise<void> {
    const evaluation = await this.#opening?.catch(() => undefined);
    if (evaluation?.owned) await evaluation.session.release();
  }
}
