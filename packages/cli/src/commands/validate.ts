import type { Phase } from '@anneal/core';
import { formatSpan } from '@anneal/plot';
import { configArgument, epochOptionSpecs, epochOptions, parseArguments } from '../args';
import { defaultStepRange, lastFiniteStep, sampleSchedule, valueRange } from '../chart/sample';
import { checkSampled } from '../evaluate';
import { readConfigInput } from '../input';
import { type CliIo, palette, useColor } from '../io';
import { loadConfig, reportLines, stepUnitNote } from '../load';
import { formatNumber } from '../output';
import { parsePlotRange } from '../steps';

export const validateHelp = `Usage:
  anneal validate <config.json | -> [--steps A:B]

Checks a config. Valid: exit code 0 and a one-line summary (type, phases, total steps,
lowest and highest learning rate over the plotted range; long phase lists show the first
few, a count and the last). Invalid: exit code 1 and every issue, each naming the field
path, what was expected and what was received; a value that is not a finite number >= 0
anywhere in the range is an error too.

Arguments:
  <config.json | ->   a native, reference-library or reduceOnPlateau config; "-" reads stdin

Options:
  --steps A:B         range for the lowest/highest learning rate (default: as anneal plot)
  -h, --help          show this help
`;

/** Phases listed in full up to this many; beyond, the first few, a count and the last. */
const LISTED_PHASES = 6;

/** `warmup 0–500, hold 500–1500, ...`, summarized for long lists: the first few, how many more, the last. */
function listPhases(phases: readonly Phase[]): string {
  const describe = (phase: Phase) => `${phase.name} ${formatSpan(phase.start, phase.end)}`;
  if (phases.length <= LISTED_PHASES) return phases.map(describe).join(', ');
  const head = phases.slice(0, LISTED_PHASES - 2).map(describe);
  const hidden = phases.length - head.length - 1;
  return `${head.join(', ')}, ... ${hidden} more ..., ${describe(phases[phases.length - 1]!)}`;
}

/** `anneal validate`: one summary line, or every issue. */
export async function validateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals, options } = parseArguments(argv, [
    { name: 'steps', kind: 'string' },
    { name: 'report', kind: 'boolean' },
    ...epochOptionSpecs,
    { name: 'help', kind: 'boolean', short: 'h' },
  ]);
  const file = configArgument(positionals);
  const rawSteps = options.get('steps');
  const explicitRange = rawSteps === undefined ? undefined : parsePlotRange(String(rawSteps));
  const input = await readConfigInput(file, io);
  const loaded = loadConfig(input.value, input.label, epochOptions(options));
  const report = reportLines(loaded, options.has('report'))
    .map((line) => `  ${line}\n`)
    .join('');
  const ok = palette(useColor(io.stdout, io.env)).green('ok');
  if (loaded.kind === 'plateau') {
    const config = loaded.controller.config;
    io.stdout.write(
      `${ok} ${input.label}: ${loaded.name}: metric-driven plateau controller (mode ${config.mode}, factor ${formatNumber(config.factor)}, patience ${config.patience}, cooldown ${config.cooldown}, min ${formatNumber(config.minValue)}); initial lr ${formatNumber(loaded.controller.value)}\n${report}`,
    );
    return 0;
  }
  const { schedule } = loaded;
  const range = explicitRange ?? defaultStepRange(schedule.phases);
  const series = sampleSchedule(schedule, range);
  checkSampled(series, input.label, loaded.name);
  const { min, max } = valueRange(series.y);
  const parts = [`${ok} ${input.label}: ${loaded.name}`];
  if (schedule.phases.length > 0) {
    parts.push(
      `${schedule.phases.length} ${schedule.phases.length === 1 ? 'phase' : 'phases'} (${listPhases(schedule.phases)})`,
    );
    const total = lastFiniteStep(schedule.phases);
    if (total > 0) parts.push(`total ${total} steps`);
  } else {
    parts.push('no phases');
  }
  parts.push(
    `lr min ${formatNumber(min)}, max ${formatNumber(max)} over steps ${formatSpan(range.start, range.end)}`,
  );
  const unit = stepUnitNote(loaded);
  if (unit) parts.push(unit);
  io.stdout.write(`${parts.join('; ')}\n${report}`);
  return 0;
}
