import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderSvgChart, renderTerminalChart } from '@anneal/plot';
import { epochOptionSpecs, epochOptions, integerOption, parseArguments } from '../args';
import { defaultStepRange, sampleSchedule } from '../chart/sample';
import { outputError, usageError } from '../errors';
import { checkSampled } from '../evaluate';
import { readConfigInput } from '../input';
import { type CliIo, useColor } from '../io';
import { loadConfig, requireSchedule } from '../load';
import { parsePlotRange } from '../steps';
import { systemCode, writeFailure } from '../system-error';

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

/**
 * The first folder on the way to `out` that exists but is not a folder (`afile` for
 * `afile/x.svg` when `afile` is a file), as written in `out`; undefined when there is none.
 */
async function blockingFile(out: string, cwd: string): Promise<string | undefined> {
  const folders: string[] = [];
  for (let folder = path.dirname(out); !folders.includes(folder); folder = path.dirname(folder)) {
    folders.unshift(folder);
  }
  for (const folder of folders) {
    const info = await stat(path.resolve(cwd, folder)).catch(() => undefined);
    if (info === undefined) return undefined;
    if (!info.isDirectory()) return folder;
  }
  return undefined;
}

/** Writes the SVG, creating its folders; a failure is an output error (exit code 3) in words. */
async function writeOutFile(out: string, svg: string, cwd: string): Promise<void> {
  const file = path.resolve(cwd, out);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, svg);
  } catch (error) {
    const code = systemCode(error);
    const blocker = code === 'EEXIST' || code === 'ENOTDIR' ? await blockingFile(out, cwd) : undefined;
    if (blocker !== undefined) throw outputError(`cannot write to ${out}: ${blocker} is not a directory`);
    throw writeFailure(out, error);
  }
}

/** `anneal plot`: terminal chart, plus an SVG file with `--out`. */
export async function plotCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals, options } = parseArguments(argv, [
    { name: 'steps', kind: 'string' },
    { name: 'out', kind: 'string' },
    { name: 'width', kind: 'string' },
    { name: 'height', kind: 'string' },
    { name: 'svg-width', kind: 'string' },
    { name: 'svg-height', kind: 'string' },
    ...epochOptionSpecs,
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

  const input = await readConfigInput(positionals[0]!, io);
  const loaded = loadConfig(input.value, input.label, epochOptions(options));
  const schedule = requireSchedule(loaded, input.label, 'anneal plot');
  const range = explicitRange ?? defaultStepRange(schedule.phases);
  const series = sampleSchedule(schedule, range);
  checkSampled(series, input.label, loaded.name);
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
    await writeOutFile(out, svg, io.cwd);
    io.stdout.write(`wrote ${out} (${Buffer.byteLength(svg)} bytes)\n`);
  }
  return 0;
}
