/** TensorBoard logging of one run: one folder per runtime under <out>/tensorboard, one SummaryWriter each. */
import { SummaryWriter } from '@anneal/tensorboard-logger';

export type HParamValue = string | number | boolean;

export interface RunLog {
  /** Receives the per-step and per-epoch scalars (Keras tags). */
  readonly writer: Pick<SummaryWriter, 'addScalar'>;
  histogram(tag: string, values: Float32Array, step: number): void;
  hparams(hparams: Record<string, HParamValue>, metrics: Record<string, number>): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** The first write failure, if any (reported, never thrown mid-training). */
  readonly errors: readonly Error[];
}

export function openRunLog(directory: string): RunLog {
  const errors: Error[] = [];
  const writer = new SummaryWriter(directory, { onError: (error) => errors.push(error) });
  return {
    writer,
    histogram: (tag, values, step) => writer.addHistogram(tag, values, step),
    hparams: (hparams, metrics) => writer.addHparams(hparams, metrics),
    flush: () => writer.flush(),
    close: () => writer.close(),
    errors,
  };
}
