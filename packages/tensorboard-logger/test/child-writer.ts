/**
 * Child process for test/reliability.test.ts. Modes:
 * - `flush-forever <dir>`: writes scalars 1000 at a time, awaits flush() and prints `flushed <n>`
 *   (n records confirmed in the file), until killed.
 * - `exit-without-close <dir> <count>`: adds <count> scalars and lets the process end without
 *   flush() or close().
 * - `process-exit <dir> <count>`: adds <count> scalars and calls process.exit(0) at once.
 */

import { SummaryWriter } from '../src/index';

const [mode, directory, countText] = process.argv.slice(2);
if (directory === undefined) throw new Error('usage: child-writer <mode> <dir> [count]');
const writer = new SummaryWriter(directory, { flushIntervalMs: 60_000 });

if (mode === 'flush-forever') {
  let step = 0;
  for (;;) {
    for (let i = 0; i < 1000; i++) {
      writer.addScalar('loss', Math.sin(step), step);
      step++;
    }
    await writer.flush();
    process.stdout.write(`flushed ${step}\n`);
  }
} else {
  const count = Number(countText);
  for (let step = 0; step < count; step++) writer.addScalar('loss', step, step);
  if (mode === 'process-exit') process.exit(0);
}
