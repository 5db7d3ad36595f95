import {
  HUGGING_FACE_LEARNING_RATE,
  KERAS_LEARNING_RATE,
  readEventFile,
  readLogdir,
  type ScalarPoint,
  TensorBoardLoggerError,
} from '@anneal/tensorboard-logger';
import { inputError } from '../errors';
import type { LoggedRates, LogKind } from './logs';

/** One scalar series of a log: the run (folder relative to the log folder, `.` for itself) and the tag. */
interface Series {
  readonly run: string;
  readonly tag: string;
  readonly points: readonly ScalarPoint[];
}

/** The learning-rate tags of the trainers anneal knows, in the order they are looked for. */
const KNOWN_TAGS: readonly {
  readonly test: (tag: string) => boolean;
  readonly kind: LogKind;
  readonly who: string;
}[] = [
  { test: (tag) => tag === HUGGING_FACE_LEARNING_RATE.tag, kind: 'huggingface', who: 'Hugging Face Trainer' },
  { test: (tag) => tag === KERAS_LEARNING_RATE.tag, kind: 'epoch-end', who: 'Keras TensorBoard callback' },
  { test: (tag) => tag === 'epoch_lr', kind: 'epoch-end', who: 'Keras TensorBoard callback (lr)' },
  {
    test: (tag) => /^lr-[A-Za-z0-9_]+(\/pg\d+)?$/.test(tag),
    kind: 'step',
    who: 'Lightning LearningRateMonitor',
  },
  { test: (tag) => tag === 'learning_rate', kind: 'step', who: 'a learning_rate scalar' },
];

/** How the log counts steps for a tag picked by name (with --tag). */
function kindOf(tag: string): LogKind {
  if (tag === HUGGING_FACE_LEARNING_RATE.tag) return 'huggingface';
  if (tag.startsWith('epoch_')) return 'epoch-end';
  return 'step';
}

async function scalarsOf(file: string, label: string, isDirectory: boolean): Promise<Series[]> {
  try {
    if (!isDirectory) {
      const run = await readEventFile(file);
      return Object.entries(run.scalars).map(([tag, points]) => ({ run: '.', tag, points }));
    }
    const runs = await readLogdir(file);
    const series: Series[] = [];
    for (const [run, data] of Object.entries(runs)) {
      for (const [tag, points] of Object.entries(data.scalars)) series.push({ run, tag, points });
    }
    if (Object.keys(runs).length === 0) {
      throw inputError(
        `${label}: no TensorBoard event files (names containing "tfevents") in this folder or below`,
      );
    }
    return series;
  } catch (error) {
    if (TensorBoardLoggerError.isInstance(error)) throw inputError(`${label}: ${error.message}`);
    throw error;
  }
}

/** `epoch_loss, epoch_accuracy (run train); ...`: the tags a log holds, for messages. */
function listTags(series: readonly Series[]): string {
  if (series.length === 0) return 'no scalar tags at all';
  const shown = series
    .slice(0, 20)
    .map((item) => (item.run === '.' ? item.tag : `${item.tag} (run ${item.run})`));
  const more = series.length > shown.length ? `, ... (${series.length} series)` : '';
  return `${shown.join(', ')}${more}`;
}

function pick(
  series: readonly Series[],
  label: string,
  tag: string | undefined,
): { item: Series; kind: LogKind; who?: string } {
  if (tag !== undefined) {
    const found = series.filter((item) => item.tag === tag);
    if (found.length === 0)
      throw inputError(`${label}: no scalar tag ${JSON.stringify(tag)}; the log holds ${listTags(series)}`);
    return { item: single(found, label), kind: kindOf(tag) };
  }
  for (const known of KNOWN_TAGS) {
    const found = series.filter((item) => known.test(item.tag));
    if (found.length === 0) continue;
    const tags = [...new Set(found.map((item) => item.tag))];
    if (tags.length > 1) {
      throw inputError(`${label}: several learning-rate tags (${tags.join(', ')}); pick one with --tag`);
    }
    return { item: single(found, label), kind: known.kind, who: known.who };
  }
  throw inputError(
    `${label}: no learning-rate tag (looked for train/learning_rate, epoch_learning_rate, epoch_lr, lr-<Optimizer>, learning_rate); the log holds ${listTags(series)}; name one with --tag`,
  );
}

/** The one run holding a tag: Keras's `train` run when the tag is in several, else an error naming them. */
function single(found: readonly Series[], label: string): Series {
  if (found.length === 1) return found[0]!;
  const train = found.find((item) => item.run === KERAS_LEARNING_RATE.run);
  if (train) return train;
  const runs = found.map((item) => item.run).join(', ');
  throw inputError(
    `${label}: ${found[0]!.tag} is in ${found.length} runs (${runs}); point --against at one run's folder`,
  );
}

/** The learning rates of a TensorBoard log: one event file, or every run under a folder. */
export async function readTensorBoardLog(
  file: string,
  label: string,
  isDirectory: boolean,
  tag: string | undefined,
): Promise<LoggedRates> {
  const series = await scalarsOf(file, label, isDirectory);
  const { item, kind, who } = pick(series, label, tag);
  const run = item.run === '.' ? '' : ` (run ${item.run})`;
  return {
    source: `${label}: TensorBoard tag ${item.tag}${run}`,
    ...(who === undefined ? {} : { writer: who }),
    kind,
    points: item.points.map((point) => ({ step: point.step, value: point.value })),
  };
}
