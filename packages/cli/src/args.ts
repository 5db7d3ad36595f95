import { parseArgs } from 'node:util';
import { usageError } from './errors';

/** One option a command accepts. String options take a value (`--steps 0:10` or `--steps=0:10`). */
export interface OptionSpec {
  readonly name: string;
  readonly kind: 'string' | 'boolean';
  /** One-letter alias, e.g. `h` for `-h`. */
  readonly short?: string;
}

export interface ParsedArguments {
  readonly positionals: readonly string[];
  readonly options: ReadonlyMap<string, string | true>;
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];
type OptionToken = Extract<Token, { kind: 'option' }>;

/**
 * A value given as the next argument: anything but an option (`-` is stdin, `-1` a negative
 * number that the option's own check rejects with its own message).
 */
function isSeparateValue(arg: string): boolean {
  return arg === '-' || !arg.startsWith('-') || /^-\d/.test(arg);
}

/**
 * The spec `token` names, or undefined for an unknown option. A one-dash argument must be
 * exactly `-<short>`: `node:util` splits `-hq` and `-h=x` into single letters, which anneal
 * rejects whole.
 */
function specOf(token: OptionToken, arg: string, specs: readonly OptionSpec[]): OptionSpec | undefined {
  if (!arg.startsWith('--') && arg !== token.rawName) return undefined;
  return specs.find((spec) => spec.name === token.name);
}

/** The value of `token` for `spec`; throws the usage error for a flag with a value or a value-less option. */
function optionValue(token: OptionToken, spec: OptionSpec): string | true {
  if (spec.kind === 'boolean') {
    if (token.inlineValue) throw usageError(`option --${spec.name} takes no value`);
    return true;
  }
  const { value } = token;
  if (value === undefined || (token.inlineValue === false && !isSeparateValue(value))) {
    throw usageError(`option --${spec.name} needs a value`);
  }
  return value;
}

/**
 * Parses `argv` with `node:util`'s `parseArgs` (its tokens, so every message can name the
 * argument as typed): long options with `--name value` / `--name=value`, boolean flags,
 * one-letter aliases, `-` as a positional (stdin) and `--` to end options. Unknown options,
 * missing values and repeated options are usage errors (exit code 2), the first one in `argv`.
 */
export function parseArguments(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArguments {
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      specs.map((spec) => [spec.name, { type: spec.kind, ...(spec.short ? { short: spec.short } : {}) }]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const arg = argv[token.index]!;
    const spec = specOf(token, arg, specs);
    if (!spec) {
      const known = specs.map((candidate) => `--${candidate.name}`).join(', ');
      throw usageError(`unknown option ${arg.split('=')[0]} (expected one of ${known})`);
    }
    if (options.has(spec.name)) throw usageError(`option --${spec.name} given more than once`);
    options.set(spec.name, optionValue(token, spec));
  }
  return { positionals, options };
}

/** The one `<config.json | ->` argument of a command; a usage error when it is missing or repeated. */
export function configArgument(positionals: readonly string[]): string {
  if (positionals.length === 0) throw usageError('missing <config.json | -> argument');
  if (positionals.length > 1) {
    throw usageError(`unexpected argument ${JSON.stringify(positionals[1])} (one config at a time)`);
  }
  return positionals[0]!;
}

/** Reads an integer option within `range`, or undefined when absent (a usage error when malformed). */
export function optionalIntegerOption(
  options: ReadonlyMap<string, string | true>,
  name: string,
  range: { min: number; max: number },
): number | undefined {
  const raw = options.get(name);
  if (raw === undefined || raw === true) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw usageError(
      `--${name} must be an integer from ${range.min} to ${range.max}; received ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/** Reads a positive integer option (chart sizes), or `fallback` when absent. */
export function integerOption(
  options: ReadonlyMap<string, string | true>,
  name: string,
  range: { min: number; max: number },
  fallback: number,
): number {
  return optionalIntegerOption(options, name, range) ?? fallback;
}

/** The options a file cannot state about the run, as `importSchedule` takes them. */
export interface EpochOptions {
  readonly stepsPerEpoch?: number;
  readonly updatesPerEpoch?: number;
}

/** Specs of `--steps-per-epoch N` and `--updates-per-epoch N`, shared by every command that reads a config. */
export const epochOptionSpecs: readonly OptionSpec[] = [
  { name: 'steps-per-epoch', kind: 'string' },
  { name: 'updates-per-epoch', kind: 'string' },
];

/** `--steps-per-epoch` and `--updates-per-epoch` (integers from 1 to 2^53 - 1), each only when given. */
export function epochOptions(options: ReadonlyMap<string, string | true>): EpochOptions {
  const range = { min: 1, max: Number.MAX_SAFE_INTEGER };
  const stepsPerEpoch = optionalIntegerOption(options, 'steps-per-epoch', range);
  const updatesPerEpoch = optionalIntegerOption(options, 'updates-per-epoch', range);
  return {
    ...(stepsPerEpoch === undefined ? {} : { stepsPerEpoch }),
    ...(updatesPerEpoch === undefined ? {} : { updatesPerEpoch }),
  };
}
