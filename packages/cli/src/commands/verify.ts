import { AnnealError } from '@anneal/core';
import { configArgument, epochOptionSpecs, epochOptions, parseArguments } from '../args';
import { lastFiniteStep } from '../chart/sample';
import { CliError, ExitCode, usageError } from '../errors';
import { readConfigInput } from '../input';
import { type CliIo, palette, useColor } from '../io';
import { loadConfig, requireSchedule } from '../load';
import { formatNumber } from '../output';
import {
  type Alignment,
  alignmentsFor,
  bestComparison,
  type Comparison,
  compareWith,
  type PointComparison,
} from '../verify/compare';
import { type LoggedRates, readLoggedRates } from '../verify/logs';

/** Default relative tolerance: 16× float32's rounding (2^-24 ≈ 6e-8), far below any real schedule difference. */
export const DEFAULT_TOLERANCE = 1e-6;

export const verifyHelp = `Usage:
  anneal verify <schedule | -> --against <log> [--tag TAG] [--tolerance R]
                [--steps-per-epoch N] [--updates-per-epoch N]

Compares a schedule with the learning rates a real run logged, step by step: prints the
number of steps compared, the largest relative difference (and where) and the first
mismatching step with both values.

Arguments:
  <schedule | ->        any config anneal reads (native, reference, Keras, timm args.yaml,
                        Hugging Face TrainingArguments, LightningCLI config.yaml, .keras)

Options:
  --against <log>       a Hugging Face trainer_state.json, a TensorBoard event file or log
                        folder, or a CSV with a header step,lr (or Wall time,Step,Value)
  --tag TAG             the TensorBoard scalar tag (default: the first of train/learning_rate,
                        epoch_learning_rate, epoch_lr, lr-<Optimizer>, learning_rate)
  --tolerance R         largest relative difference |logged - schedule| / max(|logged|,
                        |schedule|) allowed at every step (default 1e-6)
  --steps-per-epoch N   batches per epoch: for configs that count epochs, and for logs that
                        hold one value per epoch (Keras epoch_learning_rate)
  --updates-per-epoch N optimizer updates per epoch, when it differs (gradient accumulation)
  -h, --help            show this help

Steps: Hugging Face logs at step s (updates done) the rate of update s, schedule step s - 1;
before transformers PR #36973 it logged the next update's rate (step s): both are tried and the
one that matches is named. Keras epoch logs compare epoch e with schedule step (e + 1) * N (the
rate after the epoch), else e * N. Other logs: logged step s is schedule step s.

Exit codes: 0 every step within tolerance, 1 a mismatch, 2 bad input or usage.
`;

function parseTolerance(raw: string | true | undefined): number {
  if (raw === undefined) return DEFAULT_TOLERANCE;
  const value = raw === true ? Number.NaN : Number(raw);
  if (!(value >= 0 && value < Number.POSITIVE_INFINITY) || raw === true || raw.trim() === '') {
    throw usageError(
      `--tolerance must be a finite number >= 0 (a relative difference such as 1e-6); received ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function describePoint(point: PointComparison): string {
  return `logged step ${point.logStep} (schedule step ${point.step}): logged ${formatNumber(point.logged)}, schedule ${formatNumber(point.expected)}`;
}

/** `1e-6`, `0.01`: short, exact as given. */
function formatTolerance(value: number): string {
  return value !== 0 && value < 1e-3 ? value.toExponential() : String(value);
}

function relative(value: number): string {
  return value === 0 ? '0' : value.toExponential(1);
}

/** `the schedule's phases end at step 40; the log covers schedule steps 0–39: 40 inside, 0 past the end`. */
function coverage(comparison: Comparison, points: LoggedRates['points'], end: number): string | undefined {
  if (!(end > 0 && Number.isFinite(end))) return undefined;
  let inside = 0;
  for (const point of points) {
    const step = comparison.alignment.toStep(point.step);
    if (step >= 0 && step < end) inside += 1;
  }
  const past = comparison.compared - inside;
  const missing =
    comparison.lastStep < end - 1 ? `; the log stops at schedule step ${comparison.lastStep}` : '';
  return `the schedule's phases end at step ${end}; ${inside} logged steps overlap it (steps 0–${end - 1})${past > 0 ? `, ${past} past its end` : ''}${missing}`;
}

/** A shifted alignment that would match, for a hint when the expected one does not. */
function shiftHint(
  schedule: (step: number) => number,
  log: LoggedRates,
  tolerance: number,
): string | undefined {
  for (const shift of [1, -1]) {
    const alignment: Alignment = { describe: '', toStep: (step) => step + shift };
    const result = compareWith(schedule, log.points, alignment, tolerance);
    if (result.compared > 0 && result.mismatches === 0) {
      return `the log matches with logged step s = schedule step s ${shift > 0 ? '+' : '-'} 1: it logs the ${shift > 0 ? 'next' : 'previous'} update's rate at each step`;
    }
  }
  return undefined;
}

async function verify(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals, options } = parseArguments(argv, [
    { name: 'against', kind: 'string' },
    { name: 'tag', kind: 'string' },
    { name: 'tolerance', kind: 'string' },
    ...epochOptionSpecs,
    { name: 'help', kind: 'boolean', short: 'h' },
  ]);
  const file = configArgument(positionals);
  const against = options.get('against');
  if (against === undefined || against === true || against === '')
    throw usageError('missing --against <log>');
  const tagOption = options.get('tag');
  const tag = tagOption === undefined ? undefined : String(tagOption);
  const tolerance = parseTolerance(options.get('tolerance'));
  const epochs = epochOptions(options);
  const input = await readConfigInput(file, io);
  const loaded = loadConfig(input.value, input.label, epochs);
  const schedule = requireSchedule(loaded, input.label, 'anneal verify');
  if (loaded.report?.stepUnit === 'epoch') {
    throw usageError(
      `${input.label}: missing --steps-per-epoch N: it describes a per-epoch schedule, and the log counts optimizer updates`,
    );
  }
  const log = await readLoggedRates(String(against), io, tag);
  const updatesPerEpoch = epochs.updatesPerEpoch ?? epochs.stepsPerEpoch;
  if (log.kind === 'epoch-end' && updatesPerEpoch === undefined) {
    throw usageError(
      `missing --steps-per-epoch: the log (${log.source}) holds one learning rate per epoch; give the updates per epoch (Keras: the steps_per_epoch of model.fit)`,
    );
  }
  const { best, ambiguous } = bestComparison(
    schedule,
    log.points,
    alignmentsFor(log.kind, updatesPerEpoch),
    tolerance,
  );
  if (best.compared === 0) {
    throw new CliError(
      `${log.source}: no logged step maps to a schedule step >= 0 (${log.points.length} points read)`,
      { exitCode: ExitCode.usage, usageHint: false },
    );
  }
  const lines = [
    `schedule: ${input.label}: ${loaded.name}`,
    `log: ${log.source}${log.writer ? ` (${log.writer})` : ''}, ${log.points.length} values`,
    `alignment: ${best.alignment.describe}`,
  ];
  const skipped = best.skipped > 0 ? `; ${best.skipped} logged before schedule step 0, not compared` : '';
  lines.push(`compared ${best.compared} steps (schedule steps ${best.firstStep}–${best.lastStep})${skipped}`);
  const covered = coverage(best, log.points, lastFiniteStep(schedule.phases));
  if (covered) lines.push(covered);
  if (best.largest)
    lines.push(
      `largest relative difference ${relative(best.largest.relative)} at ${describePoint(best.largest)}`,
    );
  if (best.mismatches === 0 && best.alignment.note) lines.push(`note: ${best.alignment.note}`);
  if (ambiguous)
    lines.push(
      'note: the logged steps cannot tell the step conventions apart (the schedule has the same value at both)',
    );
  const colors = palette(useColor(io.stdout, io.env));
  if (best.mismatches === 0) {
    lines.push(
      `${colors.green('ok')}: every compared step is within relative tolerance ${formatTolerance(tolerance)}`,
    );
    io.stdout.write(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  }
  lines.push(
    `first mismatch at ${describePoint(best.firstMismatch!)} (relative difference ${relative(best.firstMismatch!.relative)})`,
  );
  const hint = log.kind === 'step' ? shiftHint(schedule, log, tolerance) : undefined;
  if (hint) lines.push(`hint: ${hint}`);
  lines.push(
    `${colors.red('mismatch')}: ${best.mismatches} of ${best.compared} steps differ by more than relative tolerance ${formatTolerance(tolerance)}`,
  );
  io.stdout.write(`${lines.join('\n')}\n`);
  return 1;
}

/** `anneal verify`: 0 within tolerance, 1 on a mismatch, 2 on bad input (an input error becomes exit code 2). */
export async function verifyCommand(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await verify(argv, io);
  } catch (error) {
    if (CliError.isInstance(error) && error.exitCode === ExitCode.invalidInput) {
      throw new CliError(error.message, {
        exitCode: ExitCode.usage,
        details: error.details,
        usageHint: false,
      });
    }
    if (AnnealError.isInstance(error) && !CliError.isInstance(error)) {
      throw new CliError(error.message, { exitCode: ExitCode.usage, usageHint: false });
    }
    throw error;
  }
}
