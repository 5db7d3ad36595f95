import { AnnealError } from '@anneal/core';

/** Exit codes of the `anneal` command. */
export const ExitCode = {
  ok: 0,
  /** The input is wrong or unreadable: invalid config, malformed JSON, missing/oversized file. */
  invalidInput: 1,
  /** The command line is wrong: unknown command or option, missing argument, bad `--steps`. */
  usage: 2,
  /** The output cannot be written: standard output (a closed pipe excepted) or the `--out` file. */
  output: 3,
} as const;

/**
 * An error the CLI reports as one message on stderr (never a stack trace). `exitCode` says
 * whether the input (1), the command line (2) or the output (3) was at fault; `usage` adds a
 * help hint.
 */
export class CliError extends AnnealError {
  override readonly code = 'CliError';
  readonly exitCode: number;
  /** Lines printed after the message (issue lists). */
  readonly details: readonly string[];
  /** Whether the report adds `Run "... --help" for usage.` (default: for usage errors). */
  readonly usageHint: boolean;

  constructor(
    message: string,
    options: { exitCode: number; details?: readonly string[]; usageHint?: boolean },
  ) {
    super(message);
    this.name = 'CliError';
    this.exitCode = options.exitCode;
    this.details = options.details ?? [];
    this.usageHint = options.usageHint ?? options.exitCode === ExitCode.usage;
  }

  static override isInstance(error: unknown): error is CliError {
    return AnnealError.isInstance(error) && error.code === 'CliError';
  }
}

/** A command-line mistake (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(message, { exitCode: ExitCode.usage });
}

/** An input mistake (exit code 1). */
export function inputError(message: string, details?: readonly string[]): CliError {
  return new CliError(message, { exitCode: ExitCode.invalidInput, details });
}

/** The output cannot be written (exit code 3). */
export function outputError(message: string): CliError {
  return new CliError(message, { exitCode: ExitCode.output });
}

/**
 * True for the RangeError V8 throws when the call stack overflows. Only input nested very deeply
 * gets there (schedules nested in schedules), so the CLI reports it as an input error.
 */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * The input error for a stack overflow while `doing` (`build`, `evaluate`) what `label` names
 * (a file, `<stdin>`), or the input as a whole when the label is not known.
 */
export function nestedTooDeeply(label: string | undefined, doing: string): CliError {
  const subject = label === undefined ? 'the input is nested' : `${label}: nested`;
  return inputError(
    `${subject} too deeply to ${doing} (the call stack overflowed); nest fewer schedules inside each other`,
  );
}
