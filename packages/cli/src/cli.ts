import { AnnealError } from '@anneal/core';
import packageJson from '../package.json' with { type: 'json' };
import { convertCommand, convertHelp } from './commands/convert';
import { plotCommand, plotHelp } from './commands/plot';
import { validateCommand, validateHelp } from './commands/validate';
import { valuesCommand, valuesHelp } from './commands/values';
import { verifyCommand, verifyHelp } from './commands/verify';
import { CliError, ExitCode, isStackOverflow, nestedTooDeeply, usageError } from './errors';
import { type CliIo, palette, useColor } from './io';

export const VERSION: string = packageJson.version;

export const mainHelp = `anneal ${VERSION}: print, plot, validate, convert and verify learning-rate schedules

Usage:
  anneal <command> [options]

Commands:
  values     learning rates at steps (json or csv), or a batch of reference cases
  plot       a line chart in the terminal, and an SVG file with --out
  validate   check a config: a one-line summary, or every issue
  convert    print the native anneal config of any accepted file
  verify     compare a schedule with the learning rates a run logged

Options:
  -h, --help       show help (also: anneal <command> --help, anneal help <command>)
  -v, --version    print the version

Configs are JSON or YAML: native ({"type": "warmupCosineDecay", ...}), reference-library
({"api": "torch.optim.lr_scheduler.StepLR", "params": {...}, "base_lr": 0.1}), or the files the
libraries write: Keras serialize() and model config.json (or the .keras archive), timm
args.yaml, Hugging Face TrainingArguments, LightningCLI config.yaml; "-" reads stdin.
Exit codes: 0 ok, 1 invalid or unreadable input, 2 usage error, 3 output not writable
(verify: 0 match, 1 mismatch, 2 bad input).

Examples:
  anneal values examples/warmup-cosine.json --steps 0:10
  anneal plot examples/warmup-cosine.json --out runs/warmup-cosine.svg
  anneal validate examples/warmup-cosine.json
  anneal convert args.yaml --steps-per-epoch 1251
  anneal verify args.yaml --steps-per-epoch 1251 --against runs/exp1
`;

interface Command {
  readonly run: (argv: readonly string[], io: CliIo) => Promise<number>;
  readonly help: string;
}

const commands: Readonly<Record<string, Command>> = {
  values: { run: valuesCommand, help: valuesHelp },
  plot: { run: plotCommand, help: plotHelp },
  validate: { run: validateCommand, help: validateHelp },
  convert: { run: convertCommand, help: convertHelp },
  verify: { run: verifyCommand, help: verifyHelp },
};

const commandList = Object.keys(commands).join(', ');

function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  return options.includes('--help') || options.includes('-h');
}

/**
 * Runs the `anneal` command with `argv` (without `node` and the script) against `io` and
 * resolves to the exit code. Never throws for bad input: every error is one message on
 * stderr (stack traces only with ANNEAL_DEBUG=1 and only for unexpected errors).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  let prefix = 'anneal';
  try {
    if (first === undefined) {
      io.stderr.write(mainHelp);
      return ExitCode.usage;
    }
    if (first === '--help' || first === '-h') {
      io.stdout.write(mainHelp);
      return ExitCode.ok;
    }
    if (first === 'help') {
      const topic = rest[0];
      if (topic === undefined) {
        io.stdout.write(mainHelp);
        return ExitCode.ok;
      }
      const command = commands[topic];
      if (!command)
        throw usageError(`unknown command ${JSON.stringify(topic)} (expected one of ${commandList})`);
      io.stdout.write(command.help);
      return ExitCode.ok;
    }
    if (first === '--version' || first === '-v') {
      io.stdout.write(`${VERSION}\n`);
      return ExitCode.ok;
    }
    if (first.startsWith('-')) {
      throw usageError(`unknown option ${first} (expected a command: ${commandList}; or --help, --version)`);
    }
    const command = Object.hasOwn(commands, first) ? commands[first] : undefined;
    if (!command)
      throw usageError(`unknown command ${JSON.stringify(first)} (expected one of ${commandList})`);
    prefix = `anneal ${first}`;
    if (wantsHelp(rest)) {
      io.stdout.write(command.help);
      return ExitCode.ok;
    }
    return await command.run(rest, io);
  } catch (error) {
    return report(error, prefix, io);
  }
}

function report(error: unknown, prefix: string, io: CliIo): number {
  if (isStackOverflow(error)) error = nestedTooDeeply(undefined, 'evaluate');
  const colors = palette(useColor(io.stderr, io.env));
  const head = colors.red(colors.bold(`${prefix}:`));
  if (CliError.isInstance(error)) {
    const lines = [`${head} ${error.message}`, ...error.details.map((detail) => `  - ${detail}`)];
    if (error.usageHint) lines.push(colors.dim(`Run "${prefix} --help" for usage.`));
    io.stderr.write(`${lines.join('\n')}\n`);
    return error.exitCode;
  }
  if (AnnealError.isInstance(error)) {
    io.stderr.write(`${head} ${error.message}\n`);
    return ExitCode.invalidInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`${head} internal error: ${message}\n`);
  if (io.env.ANNEAL_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return ExitCode.invalidInput;
}
