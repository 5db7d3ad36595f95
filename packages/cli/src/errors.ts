import { AnnealError } from '@anneal/core';

/** Exit codes of the `anneal` command. */
export const ExitCode = {
  ok: 0,
  /** The input is wrong or unreadable: invalid config, malformed JSON, missing/oversized file. */
  invalidInput: 1,
  /** The command line is wrong: unknown command or option, missing argument, bad `--steps`. */
  usage: 2,
} as const;

/**
 * An error the CLI reports as one message on stderr (never a stack trace). `exitCode` says
 * whether the command line (2) or the input (1) was at fault; `usage` adds a help hint.
 */
export class CliError extends AnnealError {
  override readonly code = 'CliError';
  readonly exitCode: number;
  /** Lines printed after the message (issue lists). */
  readonly details: readonly string[];

  constructor(message: string, options: { exitCode: number; details?: readonly string[] }) {
    super(message);
    this.name = 'CliError';
    this.exitCode = options.exitCode;
    this.details = options.details ?? [];
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
