import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderSvgChart, renderTerminalChart } from '@anneal/plot';
import { integerOption, parseArguments } from '../args';
import { defaultStepRange, sampleSchedule } from '../chart/sample';
import { inputError, usageError } from '../errors';
import { readJsonInput } from '../input';
import { type CliIo, useColor } from '../io';
import { loadConfig, requireSchedule } from '../load';
import { parsePlotRange } from '../steps';

export const plotHelp = `Usage:
  anneal plot <config.json | -> [--steps A:B] [--out file.svg] [--width N] [--height N]

Draws the schedule as a line chart in the terminal (braille dots, y-axis labels, x-axis ticks,
phase boundaries and names such as warmup | hold | decay), and writes an SVG file with --out.

Arguments:
  <config.json | ->   a native or reference-library schedule config; "-" reads stdin

Options:
  --steps A:B         integer step range to plot (default: 0 to the end of the last
                      finite phase + 10%, or 0:1000 when there is none)
  --out <file.svg>    also write a self-contained SVG chart (folders are created)
  --width N           terminal chart width in columns (default: the terminal's, or 80)
  --height N          terminal chart height in rows (default 16)
  --svg-width N       SVG width in pixels (default 800)
  --svg-height N      SVG height in pixels (default 400)
  -h, --help          show this help

Examples:
  anneal plot examples/warmup-cosine.json
  anneal plot examples/warmup-cosine.json --steps 0:2000 --out runs/warmup.svg
`;

/** `anneal plot`: terminal chart, plus an SVG file with `--out`. */
export async function plotCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals, options } = parseArguments(argv, [
    { name: 'steps', kind: 'string' },
    { name: 'out', kind: 'string' },
    { name: 'width', kind: 'string' },
    { name: 'height', kind: 'string' },
    { name: 'svg-width', kind: 'string' },
    { name: 'svg-height', kind: 'string' },
    { name: 'help', kind: 'boolean', short: 'h' },
  ]);
  if (positionals.length === 0) throw usageError('missing <config.json | -> argument');
  if (positionals.length > 1) {
    throw usageError(`unexpected argument ${JSON.stringify(positionals[1])} (one config at a time)`);
  }
  const rawSteps = options.get('steps');
  const explicitRange = rawSteps === undefined ? undefined : parsePlotRange(String(rawSteps));
  const terminalColumns =
    io.stdout.isTTY && io.stdout.columns ? Math.max(30, Math.min(io.stdout.columns, 200)) : 80;
  const width = integerOption(options, 'width', { min: 30, max: 1000 }, terminalColumns);
  const height = integerOption(options, 'height', { min: 4, max: 200 }, 16);
  const svgWidth = integerOption(options, 'svg-width', { min: 200, max: 10_000 }, 800);
  const svgHeight = integerOption(options, 'svg-height', { min: 120, max: 10_000 }, 400);
  const out = options.get('out');
  if (out === true || out === '') throw usageError('--out needs a file name');

  const input = await readJsonInput(positionals[0]!, io);
  const loaded = loadConfig(input.value, input.label);
  const schedule = requireSchedule(loaded, input.label, 'anneal plot');
  const range = explicitRange ?? defaultStepRange(schedule.phases);
  const series = sampleSchedule(schedule, range);
  const title = `${loaded.name} · steps ${range.start}–${range.end}`;
  io.stdout.write(
    renderTerminalChart([series], {
      title,
      width,
      height,
      phases: schedule.phases,
      xRange: [range.start, range.end],
      curve: 'step',
      color: useColor(io.stdout, io.env),
    }),
  );
  if (out !== undefined) {
    const svg = renderSvgChart([series], {
      title: loaded.name,
      width: svgWidth,
      height: svgHeight,
      phases: schedule.phases,
      xRange: [range.start, range.end],
      curve: 'step',
    });
    const file = path.resolve(io.cwd, out);
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, svg);
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
      throw inputError(`cannot write ${out}: ${reason === 'EISDIR' ? 'it is a directory' : reason}`);
    }
    io.stdout.write(`wrote ${out} (${Buffer.byteLength(svg)} bytes)\n`);
  }
  return 0;
}
