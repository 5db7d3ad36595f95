import { stringify } from 'yaml';
import { configArgument, epochOptionSpecs, epochOptions, parseArguments } from '../args';
import { usageError } from '../errors';
import { readConfigInput } from '../input';
import type { CliIo } from '../io';
import { loadConfig, reportLines } from '../load';
import { writeChunks } from '../output';

export const convertHelp = `Usage:
  anneal convert <config | -> [--steps-per-epoch N] [--updates-per-epoch N]
                 [--format json|yaml] [--report]

Prints the native anneal config equivalent to a file (a Keras schedule or model config or
.keras archive, timm args.yaml, Hugging Face TrainingArguments, a LightningCLI config.yaml,
a reference config), so you migrate once and keep a readable file: it loads back to the same
learning rate at every step.

Arguments:
  <config | ->          any config anneal reads; "-" reads stdin

Options:
  --steps-per-epoch N   batches per epoch, for files that count epochs (timm, Lightning,
                        TrainingArguments with num_train_epochs)
  --updates-per-epoch N optimizer updates per epoch, when it differs (gradient accumulation)
  --format json|yaml    json (default, 2-space indent) or yaml
  --report              also list on stderr what was read, assumed and ignored
  -h, --help            show this help

Examples:
  anneal convert args.yaml --steps-per-epoch 1251 > schedule.json
  anneal convert model.keras --format yaml
`;

/** `anneal convert`: the native config of any accepted file, on stdout. */
export async function convertCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals, options } = parseArguments(argv, [
    ...epochOptionSpecs,
    { name: 'format', kind: 'string' },
    { name: 'report', kind: 'boolean' },
    { name: 'help', kind: 'boolean', short: 'h' },
  ]);
  const format = options.get('format') ?? 'json';
  if (format !== 'json' && format !== 'yaml') {
    throw usageError(`--format must be json or yaml; received ${JSON.stringify(format)}`);
  }
  const file = configArgument(positionals);
  const input = await readConfigInput(file, io);
  const loaded = loadConfig(input.value, input.label, epochOptions(options));
  if (loaded.report?.stepUnit === 'epoch') {
    throw usageError(
      `${input.label}: missing --steps-per-epoch N: it describes a per-epoch schedule, and a native anneal config counts optimizer updates`,
    );
  }
  const { config } = loaded;
  if (options.has('report')) {
    const lines = reportLines(loaded);
    if (lines.length > 0) io.stderr.write(`${lines.join('\n')}\n`);
  }
  const text = format === 'yaml' ? stringify(config) : `${JSON.stringify(config, null, 2)}\n`;
  await writeChunks(io.stdout, [text]);
  return 0;
}
