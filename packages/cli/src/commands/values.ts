import { InvalidStepError } from '@anneal/core';
import { configArgument, epochOptionSpecs, epochOptions, parseArguments } from '../args';
import { inputError, usageError } from '../errors';
import { checkValues, evaluateBlocks } from '../evaluate';
import { readConfigInput } from '../input';
import type { CliIo } from '../io';
import { loadConfig, requireSchedule } from '../load';
import { csvChunks, jsonArrayChunks, writeChunks } from '../output';
import { parseSteps } from '../steps';
import { runCases } from './cases';

export const valuesHelp = `Usage:
  anneal values <config.json | -> --steps <A:B | A:B:S | list> [--format json|csv]
  anneal values --cases <cases.json>

Prints the learning rate of a schedule at the given steps.

Arguments:
  <config.json | ->   a schedule config: native ({"type": ...}) or a reference-library
                      config ({"api", "params", "base_lr"}); "-" reads it from stdin

Options:
  --steps A:B         integer steps A..B inclusive
  --steps A:B:S       every S-th step from A up to B
  --steps x,y,z       each listed step (fractional steps allowed), in order
  --format json|csv   json (default): a plain array of numbers, full float64 precision;
                      csv: a "step,lr" header, then one row per step
  --cases <file>      batch mode: a file shaped like the golden files ({"cases": [...]});
                      prints {"<case id>": [values at that case's steps]}; plateau cases
                      replay their metrics; "lr" fields in the file are ignored
  -h, --help          show this help

Step k (0-based) is the learning rate used by the update that moves the optimizer's
count from k to k+1.

Examples:
  anneal values examples/warmup-cosine.json --steps 0:10
  anneal values examples/warmup-cosine.json --steps 0,250.5,500 --format csv
  echo '{"type":"constant","value":0.1}' | anneal values - --steps 0:3
`;

/** `anneal values`: prints values at steps (or runs a batch of reference cases). */
export async function valuesCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals, options } = parseArguments(argv, [
    { name: 'steps', kind: 'string' },
    { name: 'format', kind: 'string' },
    { name: 'cases', kind: 'string' },
    ...epochOptionSpecs,
    { name: 'help', kind: 'boolean', short: 'h' },
  ]);
  const format = options.get('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') {
    throw usageError(`--format must be json or csv; received ${JSON.stringify(format)}`);
  }
  const casesFile = options.get('cases');
  if (casesFile !== undefined) {
    if (positionals.length > 0) {
      throw usageError(
        `--cases takes the cases file; remove the extra argument ${JSON.stringify(positionals[0])}`,
      );
    }
    if (options.has('steps'))
      throw usageError('--cases cannot be combined with --steps (each case lists its steps)');
    if (format !== 'json') throw usageError('--cases prints JSON only; remove --format csv');
    return runCases(String(casesFile), io);
  }
  const file = configArgument(positionals);
  const rawSteps = options.get('steps');
  if (rawSteps === undefined) throw usageError('missing --steps <A:B | A:B:S | list>');
  const selection = parseSteps(String(rawSteps));
  const input = await readConfigInput(file, io);
  const loaded = loadConfig(input.value, input.label, epochOptions(options));
  const schedule = requireSchedule(loaded, input.label, 'anneal values');
  try {
    // Two passes, nothing kept in between: every value is checked before the first byte is printed,
    // then evaluated again while it is written (a schedule is a pure function of the step).
    checkValues(schedule, selection, input.label, loaded.name);
    const blocks = evaluateBlocks(schedule, selection);
    await writeChunks(io.stdout, format === 'csv' ? csvChunks(blocks) : jsonArrayChunks(blocks));
  } catch (error) {
    if (InvalidStepError.isInstance(error)) throw inputError(`${input.label}: ${error.message}`);
    throw error;
  }
  return 0;
}
