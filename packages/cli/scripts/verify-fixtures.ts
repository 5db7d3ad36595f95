/**
 * Writes the TensorBoard and CSV fixtures of `anneal verify`'s tests from the golden files (values
 * the reference libraries printed, never anneal's): each file logs a golden case's learning rates
 * the way its trainer does. Run: `pnpm --filter @anneal/cli exec tsx --conditions=@anneal/source
 * scripts/verify-fixtures.ts`. Deterministic (fixed clock, host, pid, file index).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SummaryWriter } from '@anneal/tensorboard-logger';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const golden = path.resolve(packageRoot, '../../../shared/golden');
const out = path.join(packageRoot, 'test/fixtures/verify');

interface GoldenCase {
  readonly id: string;
  readonly steps: readonly (number | null)[];
  readonly lr: readonly number[];
}

/** The golden learning rate of case `id` of `file` at `step`. */
function goldenAt(file: string, id: string): (step: number) => number {
  const cases = (JSON.parse(readFileSync(path.join(golden, file), 'utf8')) as { cases: GoldenCase[] }).cases;
  const found = cases.find((item) => item.id === id);
  if (!found) throw new Error(`${file}: no case ${id}`);
  return (step) => {
    const index = found.steps.indexOf(step);
    if (index < 0) throw new Error(`${file} ${id}: no step ${step}`);
    return found.lr[index]!;
  };
}

async function write(
  folder: string,
  scalarEncoding: 'simpleValue' | 'tensor',
  points: readonly { tag: string; step: number; value: number }[],
): Promise<void> {
  const logdir = path.join(out, folder);
  rmSync(logdir, { recursive: true, force: true });
  mkdirSync(logdir, { recursive: true });
  const writer = new SummaryWriter(logdir, {
    scalarEncoding,
    nowMs: () => 1_765_000_000_000,
    hostname: 'fixture',
    pid: 1,
    fileIndex: 0,
    flushOnExit: false,
    filenameSuffix: scalarEncoding === 'tensor' ? '.v2' : '',
  });
  for (const point of points) writer.addScalar(point.tag, point.value, point.step);
  await writer.close();
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// Hugging Face Trainer + TensorBoardCallback: train/learning_rate at step s (updates done) is the
// rate of update s, schedule step s - 1 (transformers since PR #36973), logging_steps = 1.
const hfCosine = goldenAt('transformers.json', 'hf-cosine-w10-t50-c0.5');
await write(
  'tensorboard/huggingface',
  'simpleValue',
  range(1, 50).map((step) => ({ tag: 'train/learning_rate', step, value: hfCosine(step - 1) })),
);

// Keras 3 TensorBoard callback (TF2 tensor scalars in the `train` run): epoch_learning_rate at
// epoch e is the optimizer's rate after the epoch, schedule step (e + 1) * 5 with 5 steps per epoch.
const kerasCosine = goldenAt('keras.json', 'keras-cosine');
await write(
  'tensorboard/keras/train',
  'tensor',
  range(0, 11).map((epoch) => ({
    tag: 'epoch_learning_rate',
    step: epoch,
    value: kerasCosine((epoch + 1) * 5),
  })),
);

// Lightning LearningRateMonitor(logging_interval='step'): lr-SGD at step k is the rate of update k.
const oneCycle = goldenAt('pytorch.json', 'torch-onecycle-cos');
await write(
  'tensorboard/lightning/version_0',
  'simpleValue',
  range(0, 29).map((step) => ({ tag: 'lr-SGD', step, value: oneCycle(step) })),
);

// CSV: anneal's own `step,lr` and TensorBoard's export (`Wall time,Step,Value`), torch CosineAnnealingLR.
const cosine = goldenAt('pytorch.json', 'torch-cosine-tmax10');
writeFileSync(
  path.join(out, 'cosine-step-lr.csv'),
  `step,lr\n${range(0, 20)
    .map((step) => `${step},${cosine(step)}`)
    .join('\n')}\n`,
);
writeFileSync(
  path.join(out, 'cosine-tensorboard-export.csv'),
  `Wall time,Step,Value\n${range(0, 20)
    .map((step) => `${1_765_000_000 + step},${step},${Math.fround(cosine(step))}`)
    .join('\n')}\n`,
);
