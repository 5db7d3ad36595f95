/**
 * One call sequence, run by the Node writer in the test and by the browser writer in Chromium
 * (page.ts): every kind of record, sub-runs, NaN and infinities, a flush in the middle, explicit
 * and injected wall times, and a writer whose small queue forces synchronous writes while an
 * asynchronous one is in flight. Browser-safe.
 */

/** What both writers offer (the Node and the browser `SummaryWriter`). */
export interface WriterLike {
  readonly path: string;
  addScalar(tag: string, value: number, step: number, options?: { wallTime?: number }): void;
  addScalars(mainTag: string, values: Record<string, number>, step: number): void;
  addHistogram(tag: string, values: readonly number[], step: number): void;
  addText(tag: string, text: string, step: number): void;
  addHparams(
    hparams: Record<string, string | number | boolean>,
    metrics: Record<string, number>,
    options?: { runName?: string },
  ): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A clock that advances 0.25 s per reading from a fixed start: the same wall times in both writers. */
export function steppingClock(): () => number {
  let readings = 0;
  return () => 1_700_000_000_123 + 250 * readings++;
}

/** Options every writer of the sequence gets (besides its clock and its sink or directory). */
export const sharedOptions = { hostname: 'parity', pid: 7, fileIndex: 3, flushIntervalMs: 60_000 } as const;

/** Options of the second writer: a queue of 64 records, so adding past it writes synchronously. */
export const smallQueueOptions = { hostname: 'parity', pid: 7, fileIndex: 4, maxQueue: 64 } as const;

/** Number of scalars the small-queue writer adds. */
export const SMALL_QUEUE_SCALARS = 3000;

/** The calls of the main writer. */
export async function writeSequence(writer: WriterLike): Promise<void> {
  for (let step = 0; step < 200; step++) {
    writer.addScalar('train/learning_rate', 0.1 * 0.5 ** (step / 50), step);
    writer.addScalar('train/loss', 2 / (1 + step), step, { wallTime: 1_700_000_100 + step / 8 });
  }
  writer.addScalar('edge/nan', Number.NaN, 0);
  writer.addScalar('edge/inf', Number.POSITIVE_INFINITY, 1);
  writer.addScalar('edge/-inf', Number.NEGATIVE_INFINITY, 2);
  await writer.flush();
  writer.addScalars('loss', { train: 0.5, validation: 0.75 }, 3);
  writer.addHistogram('weights/dense', [-1, -0.5, 0, 0.25, 0.5, 2, 1e-9], 4);
  writer.addText('notes', 'trained in **Chromium** (ü, 漢字, 🚀)', 5);
  writer.addHparams(
    { optimizer: 'adam', lr: 0.001, warmup: true },
    { 'hparam/accuracy': 0.91 },
    { runName: 'hp' },
  );
  await writer.close();
}

/** The calls of the small-queue writer. */
export async function writeSmallQueueSequence(writer: WriterLike): Promise<void> {
  for (let step = 0; step < SMALL_QUEUE_SCALARS; step++) writer.addScalar('lr', 1e-3 + step * 1e-7, step);
  await writer.close();
}
