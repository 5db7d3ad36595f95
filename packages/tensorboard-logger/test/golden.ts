/**
 * The content of the byte-exact golden files: one writer per scalar encoding with an injected
 * clock, host name, pid and file index. `npm run golden:update` rewrites test/fixtures/golden
 * (review the diff: test/golden.test.ts checks the bytes independently against FORMAT.md).
 */

import { SummaryWriter } from '../src/index';

export const GOLDEN_OPTIONS = {
  nowMs: () => 1_700_000_000_250,
  hostname: 'golden-host',
  pid: 4242,
  fileIndex: 0,
  flushOnExit: false,
} as const;

/** Writes the golden run into `directory`; returns the event file path. */
export async function writeGolden(
  directory: string,
  scalarEncoding: 'simpleValue' | 'tensor',
): Promise<string> {
  const writer = new SummaryWriter(directory, { ...GOLDEN_OPTIONS, scalarEncoding });
  writer.addScalar('train/learning_rate', 0.001, 0);
  writer.addScalar('train/learning_rate', 0.1, 1, { wallTime: 1_700_000_001.5 });
  writer.addScalar('train/learning_rate', Number.NaN, 300);
  writer.addHistogram(
    'weights',
    { min: -1, max: 3, num: 6, sum: 4.5, sumSquares: 12.25, bucketLimits: [0, 1, 3], buckets: [2, 1, 3] },
    2,
  );
  writer.addHistogram('from_values', [0.5, 2], 3);
  writer.addText('notes', 'warmup **cosine**', 4);
  writer.addHparams({ peakValue: 0.1, optimizer: 'adam', nesterov: false }, { 'hparam/loss': 0.25 });
  await writer.close();
  return writer.path;
}
