/**
 * The demo's entry point: `pnpm --filter demo start [-- options]` (see --help).
 * Exit codes: 0 parity holds, 1 parity fails (or a run crashed), 2 bad input, 130 interrupted.
 */
import { parseArgs, UsageError, usage } from './args';
import { BadInputError } from './errors';
import { findLrOptions, runFindLr } from './find-lr';
import { defaultOutDir, type Interruption, runDemo } from './run';
import type { Output } from './terminal';

async function main(): Promise<number> {
  const output: Output = {
    write: (text) => process.stdout.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    columns: process.stdout.columns || 100,
  };
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`demo: ${error.message}\n\n${usage}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (options.findLr) {
    try {
      const report = await runFindLr(findLrOptions(options, options.outDir ?? defaultOutDir()), output);
      return report.suggestedPeak === undefined ? 1 : 0;
    } catch (error) {
      if (BadInputError.isInstance(error)) {
        process.stderr.write(`demo: ${(error as Error).message}\n`);
        return 2;
      }
      throw error;
    }
  }
  const interruption: Interruption = { requested: false };
  process.on('SIGINT', () => {
    if (interruption.requested) process.exit(130);
    interruption.requested = true;
    process.stderr.write(
      '\ndemo: interrupted; finishing the current step, flushing TensorBoard logs and writing an incomplete report (Ctrl-C again to quit at once).\n',
    );
  });
  try {
    const result = await runDemo(options, output, interruption);
    return result.exitCode;
  } catch (error) {
    if (BadInputError.isInstance(error)) {
      process.stderr.write(`demo: ${(error as Error).message}\n`);
      return 2;
    }
    process.stderr.write(`demo: unexpected failure: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

main().then(
  (code) => {
    // The wasm backend and ORT keep handles open; exit explicitly once the output is flushed.
    process.stdout.write('', () => process.exit(code));
  },
  (error) => {
    process.stderr.write(`demo: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
