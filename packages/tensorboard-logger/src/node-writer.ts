/**
 * The Node entry's `SummaryWriter`: the writer of `writer.ts` on Node's platform (`node:fs`, the
 * host name and pid in the file name, the process 'exit' hook).
 */

import { nodePlatform } from './node-platform';
import { BaseSummaryWriter } from './writer';
import type { SummaryWriterOptions } from './writer-options';

/**
 * Writes TensorBoard event files to
 * `<logdir>/events.out.tfevents.<seconds>.<host>.<pid>.<n>`. One instance owns one file in
 * `logdir`; `addScalars` and `addHparams({ runName })` open sibling writers in sub-runs, closed
 * with this one.
 *
 * @example
 * const writer = new SummaryWriter('runs/exp1');
 * for (let step = 0; step < 1000; step++) writer.addScalar('train/learning_rate', schedule(step), step);
 * await writer.close();
 */
export class SummaryWriter extends BaseSummaryWriter {
  constructor(logdir: string, options?: SummaryWriterOptions) {
    super(logdir, options, nodePlatform);
  }
}
