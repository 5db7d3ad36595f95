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

/**
 * A deliberately small parser: long options with `--name value` / `--name=value`, boolean
 * flags, one-letter aliases, `-` as a positional (stdin) and `--` to end options. Unknown
 * options, missing values and repeated options are usage errors (exit code 2).
 */
export function parseArguments(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArguments {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  const known = specs.map((spec) => `--${spec.name}`).join(', ');
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index]!;
    index += 1;
    if (arg === '--') {
      positionals.push(...argv.slice(index));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inlineValue: string | undefined;
    let spec: OptionSpec | undefined;
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
      inlineValue = equals === -1 ? undefined : arg.slice(equals + 1);
      spec = specs.find((candidate) => candidate.name === name);
    } else {
      name = arg.slice(1);
      spec = specs.find((candidate) => candidate.short === name);
    }
    if (!spec) {
      throw usageError(`unknown option ${arg.split('=')[0]} (expected one of ${known})`);
    }
    if (options.has(spec.name)) throw usageError(`option --${spec.name} given more than once`);
    if (spec.kind === 'boolean') {
      if (inlineValue !== undefined) throw usageError(`option --${spec.name} takes no value`);
      options.set(spec.name, true);
      continue;
    }
    if (inlineValue !== undefined) {
      options.set(spec.name, inlineValue);
      continue;
    }
    const next = argv[index];
    if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) {
      throw usageError(`option --${spec.name} needs a value`);
    }
    options.set(spec.name, next);
    index += 1;
  }
  return { positionals, options };
}

/** Reads a positive integer option (chart sizes), or `fallback` when absent. */
export function integerOption(
  options: ReadonlyMap<string, string | true>,
  name: string,
  range: { min: number; max: number },
  fallback: number,
): number {
  const raw = options.get(name);
  if (raw === undefined || raw === true) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw usageError(
      `--${name} must be an integer from ${range.min} to ${range.max}; received ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
