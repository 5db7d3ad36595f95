import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isPlainObject } from '@anneal/core';
import { type ChartSeries, renderSvgChart } from '@anneal/plot';
import { defaultStepRange, sampleSchedule } from './chart/sample';
import { CliError } from './errors';
import { locateJsonError } from './json-error';
import { loadConfig } from './load';
import { parsePlotRange } from './steps';

/** One ```` ```json plot <name>.svg [steps=A:B] [title="..."] [width=N] [height=N] ```` block. */
export interface PlotBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly svgName: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface DocPlotsResult {
  /** SVG paths written (changed or new). */
  readonly written: readonly string[];
  /** SVG paths whose content was already current. */
  readonly unchanged: readonly string[];
  /** `file:line: message` for every block that could not be rendered (or is stale with `check`). */
  readonly problems: readonly string[];
}

const fencePattern = /^ {0,3}(`{3,}|~{3,})\s*json\s+plot(?:\s+(.*))?$/;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*\.svg$/;
const attributePattern = /^([a-z]+)=(?:"([^"]*)"|(\S+))/;
const knownAttributes = ['steps', 'title', 'width', 'height'];

/** Finds every `json plot` block in a markdown text; syntax problems go to `problems`. */
export function findPlotBlocks(file: string, markdown: string, problems: string[]): PlotBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: PlotBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const match = fencePattern.exec(lines[index]!);
    if (!match) {
      index += 1;
      continue;
    }
    const fence = match[1]!;
    const openLine = index + 1;
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let end = index + 1;
    while (end < lines.length && !close.test(lines[end]!)) end += 1;
    const body = lines.slice(index + 1, end).join('\n');
    index = end + 1;
    if (end >= lines.length) {
      problems.push(`${file}:${openLine}: the plot block is never closed`);
      continue;
    }
    let rest = (match[2] ?? '').trim();
    const [svgName = ''] = rest.split(/\s+/, 1);
    rest = rest.slice(svgName.length).trim();
    if (!namePattern.test(svgName)) {
      problems.push(
        `${file}:${openLine}: expected "json plot <name>.svg" with a plain file name (letters, digits, . _ -); received ${JSON.stringify(svgName)}`,
      );
      continue;
    }
    const attributes: Record<string, string> = {};
    let attributesOk = true;
    while (rest !== '') {
      const attribute = attributePattern.exec(rest);
      if (!attribute || !knownAttributes.includes(attribute[1]!)) {
        problems.push(
          `${file}:${openLine}: unknown plot attribute ${JSON.stringify(rest.split(/\s+/)[0])} (expected ${knownAttributes.map((name) => `${name}=...`).join(', ')})`,
        );
        attributesOk = false;
        break;
      }
      attributes[attribute[1]!] = attribute[2] ?? attribute[3]!;
      rest = rest.slice(attribute[0].length).trim();
    }
    if (attributesOk) blocks.push({ file, line: openLine, svgName, attributes, body });
  }
  return blocks;
}

function describeCliError(error: unknown): string {
  if (CliError.isInstance(error)) {
    return [error.message, ...error.details.map((detail) => `  - ${detail}`)].join('\n');
  }
  return error instanceof Error ? error.message : String(error);
}

/** Renders one block to SVG text (throws an Error whose message is the problem). */
export function renderPlotBlock(block: PlotBlock): string {
  let json: unknown;
  try {
    json = JSON.parse(block.body);
  } catch (error) {
    const location = locateJsonError(block.body);
    if (location) {
      throw new Error(
        `invalid JSON at line ${block.line + location.line}, column ${location.column}: ${location.reason}`,
      );
    }
    throw new Error(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const entries: { label: string | undefined; config: unknown }[] = [];
  if (Array.isArray(json)) {
    json.forEach((item, index) => {
      if (!isPlainObject(item) || typeof item.label !== 'string' || !isPlainObject(item.config)) {
        throw new Error(`item ${index} must be { "label": string, "config": object }`);
      }
      entries.push({ label: item.label, config: item.config });
    });
    if (entries.length === 0) throw new Error('the array of series is empty');
  } else {
    entries.push({ label: undefined, config: json });
  }
  const loaded = entries.map((entry, index) => {
    const name = entry.label === undefined ? 'the config' : `series ${JSON.stringify(entry.label)}`;
    let result: ReturnType<typeof loadConfig>;
    try {
      result = loadConfig(entry.config, name);
    } catch (error) {
      throw new Error(describeCliError(error));
    }
    if (result.kind !== 'schedule') {
      throw new Error(`${name} (item ${index}) is a metric-driven plateau controller; plots need a schedule`);
    }
    return { label: entry.label, name: result.name, schedule: result.schedule };
  });
  let range: { start: number; end: number };
  if (block.attributes.steps !== undefined) {
    try {
      range = parsePlotRange(block.attributes.steps);
    } catch (error) {
      throw new Error(describeCliError(error));
    }
  } else {
    const end = Math.max(...loaded.map((item) => defaultStepRange(item.schedule.phases).end));
    range = { start: 0, end };
  }
  const series: ChartSeries[] = loaded.map((item) => sampleSchedule(item.schedule, range, item.label));
  const sizeOf = (key: 'width' | 'height') => {
    const raw = block.attributes[key];
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw))
      throw new Error(`${key} must be an integer number of pixels; received ${JSON.stringify(raw)}`);
    return Number(raw);
  };
  const single = loaded.length === 1 && loaded[0]!.label === undefined;
  return renderSvgChart(series, {
    title:
      block.attributes.title ?? (single ? loaded[0]!.name : loaded.map((item) => item.label).join(' vs ')),
    phases: single ? loaded[0]!.schedule.phases : undefined,
    xRange: [range.start, range.end],
    curve: 'step',
    width: sizeOf('width'),
    height: sizeOf('height'),
  });
}

/**
 * Scans every `*.md` file directly in `folders` for `json plot <name>.svg` blocks and writes
 * `<folder>/<name>.svg` for each. With `check`, writes nothing and reports stale or missing SVGs
 * as problems (for CI). Every problem is collected; paths in results are as joined from `folders`.
 */
export async function generateDocPlots(options: {
  folders: readonly string[];
  check?: boolean;
}): Promise<DocPlotsResult> {
  const written: string[] = [];
  const unchanged: string[] = [];
  const problems: string[] = [];
  for (const folder of options.folders) {
    let names: string[];
    try {
      names = (await readdir(folder)).filter((name) => name.endsWith('.md')).sort();
    } catch (error) {
      problems.push(
        `${folder}: cannot read the folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
      continue;
    }
    const targets = new Map<string, string>();
    for (const name of names) {
      const file = path.join(folder, name);
      const blocks = findPlotBlocks(file, await readFile(file, 'utf8'), problems);
      for (const block of blocks) {
        const where = `${block.file}:${block.line}`;
        const target = path.join(folder, block.svgName);
        const previous = targets.get(target);
        if (previous) {
          problems.push(`${where}: ${block.svgName} is already produced by the block at ${previous}`);
          continue;
        }
        targets.set(target, where);
        let svg: string;
        try {
          svg = renderPlotBlock(block);
        } catch (error) {
          problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        const current = await readFile(target, 'utf8').catch(() => undefined);
        if (current === svg) {
          unchanged.push(target);
        } else if (options.check) {
          problems.push(
            `${where}: ${target} is ${current === undefined ? 'missing' : 'out of date'} (run docs:plots)`,
          );
        } else {
          await writeFile(target, svg);
          written.push(target);
        }
      }
    }
  }
  return { written, unchanged, problems };
}
