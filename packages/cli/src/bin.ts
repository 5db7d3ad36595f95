#!/usr/bin/env node
import { main } from './cli';
import { ExitCode } from './errors';
import { describeWriteFailure } from './system-error';

// A closed pipe (`anneal values ... | head`) ends the output quietly. Any other failure to write
// (a full disk, `> /dev/full`) is one line on stderr and exit code 3, never a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(ExitCode.ok);
  process.stderr.write(`anneal: ${describeWriteFailure('standard output', error)}\n`);
  process.exit(ExitCode.output);
});

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `anneal: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
