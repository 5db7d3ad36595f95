// Writes every native family's option docs from its option specs, the one home of each option's
// description: the doc comment of each property of the family's options interface (the description,
// then " Default <value>." when the spec has one) and the "## Options" table of
// docs/schedules/<type>.md (option | unit | default | meaning, meaning = description + "Must be ...").
// Run: npx tsx --conditions=@anneal/source packages/core/scripts/write-option-docs.ts [--check]
// (or `pnpm --filter @anneal/core docs:options`). With --check it writes nothing, lists what is out
// of date and exits 1. test/option-docs.test.ts fails when anything is out of date.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FamilyDefinition } from '../src/family';
import { listFamilies } from '../src/registry';
import { describeSpec, type OptionSpec, type OptionSpecs } from '../src/validate';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = path.join(packageDir, '../..');
const docsDir = path.join(repoDir, 'docs/schedules');
/** Where families are declared (their options interfaces live beside them). */
const sourceDirs = ['families', 'compose', 'lr-finder'].map((dir) => path.join(packageDir, 'src', dir));
/** Biome's line width: a doc comment longer than this is wrapped. */
const lineWidth = 110;

/**
 * Interfaces whose name is not `<Type>Options`: the items of an `objectArray` option, by
 * `<type>.<option>`. A family's own interface is always `<Type>Options` (warmupCosineDecay →
 * WarmupCosineDecayOptions).
 */
const itemInterfaces: Readonly<Record<string, string>> = { 'join.segments': 'JoinSegment' };

/** Units named by the suffix (the house naming rules); other options keep the unit their table states. */
const unitSuffixes: readonly (readonly [suffix: string, unit: string])[] = [
  ['Steps', 'steps'],
  ['Value', 'learning rate'],
  ['Factor', 'multiplier'],
  ['Fraction', 'fraction'],
];

/** One file the generator writes parts of: its text now, the text it should have, and what differs. */
export interface OptionDocsFile {
  readonly file: string;
  readonly current: string;
  readonly expected: string;
  /** One line per stale doc comment or table, e.g. `packages/core/src/...: CyclicOptions.mode doc comment`. */
  readonly stale: readonly string[];
}

/** Every file holding generated option docs: each family's source file and docs page. */
export function optionDocsFiles(): OptionDocsFile[] {
  const families = listFamilies();
  return [...sourceFiles(families), ...docsPages(families)];
}

/** What is out of date, one line each (empty when every comment and table matches its spec). */
export function staleOptionDocs(): string[] {
  return optionDocsFiles().flatMap((file) => file.stale);
}

/** Rewrites every out-of-date file; returns the files written. */
export function writeOptionDocs(): string[] {
  const written: string[] = [];
  for (const file of optionDocsFiles()) {
    if (file.current === file.expected) continue;
    writeFileSync(file.file, file.expected);
    written.push(file.file);
  }
  return written;
}

// ---------------------------------------------------------------------------------------------
// Interface doc comments

/** One interface whose properties are documented by specs. */
interface InterfaceTarget {
  readonly name: string;
  readonly specs: OptionSpecs;
}

function interfaceTargets(family: FamilyDefinition<unknown>): InterfaceTarget[] {
  const type = family.type;
  const targets = [{ name: `${type[0]!.toUpperCase()}${type.slice(1)}Options`, specs: family.options }];
  for (const [key, spec] of Object.entries(family.options)) {
    if (spec.kind !== 'objectArray' || !spec.items) continue;
    const name = itemInterfaces[`${type}.${key}`];
    if (!name)
      throw new Error(`write-option-docs: name the interface of ${type}.${key} items in itemInterfaces`);
    targets.push({ name, specs: spec.items });
  }
  return targets;
}

/** The source file declaring each exported interface. */
function interfaceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of sourceDirs) {
    for (const entry of readdirSync(dir)) {
      if (!entry.endsWith('.ts') || entry.includes('.test')) continue;
      const file = path.join(dir, entry);
      for (const match of readFileSync(file, 'utf8').matchAll(/^export interface (\w+) \{$/gm))
        files.set(match[1]!, file);
    }
  }
  return files;
}

function sourceFiles(families: readonly FamilyDefinition<unknown>[]): OptionDocsFile[] {
  const where = interfaceFiles();
  const byFile = new Map<string, { current: string; expected: string; stale: string[] }>();
  for (const family of families) {
    for (const target of interfaceTargets(family)) {
      const file = where.get(target.name);
      if (!file) throw new Error(`write-option-docs: no "export interface ${target.name}" in src/`);
      let entry = byFile.get(file);
      if (!entry) {
        const current = readFileSync(file, 'utf8');
        entry = { current, expected: current, stale: [] };
        byFile.set(file, entry);
      }
      const stale = (property: string) =>
        entry.stale.push(`${relative(file)}: ${target.name}.${property} doc comment`);
      entry.expected = rewriteInterface(entry.expected, target, stale);
    }
  }
  return [...byFile].map(([file, entry]) => ({ file, ...entry }));
}

/**
 * Rewrites the doc comment above each property of `interface <target.name>` in `source`; calls
 * `stale` with each property whose comment changed. Throws when the interface and the specs do not
 * list the same properties.
 */
export function rewriteInterface(
  source: string,
  target: InterfaceTarget,
  stale: (property: string) => void,
): string {
  const header = `export interface ${target.name} {\n`;
  if (!source.includes(header)) throw new Error(`write-option-docs: no "export interface ${target.name}"`);
  const start = source.indexOf(header) + header.length;
  const end = source.indexOf('\n}\n', start) + 1;
  const lines = source.slice(start, end).split('\n');
  const output: string[] = [];
  const seen = new Set<string>();
  let comment: string[] = [];
  for (const line of lines) {
    if (comment.length > 0 && !comment.at(-1)!.includes('*/')) {
      comment.push(line);
      continue;
    }
    if (line.trimStart().startsWith('/**')) {
      output.push(...comment);
      comment = [line];
      continue;
    }
    const property = /^ {2}(?:readonly )?(\w+)\??:/.exec(line)?.[1];
    if (property === undefined) output.push(...comment);
    else {
      const spec = target.specs[property];
      if (!spec) throw new Error(`write-option-docs: ${target.name}.${property} has no option spec`);
      const generated = docComment(commentText(spec, `${target.name}.${property}`));
      if (generated.join('\n') !== comment.join('\n')) stale(property);
      output.push(...generated);
      seen.add(property);
    }
    output.push(line);
    comment = [];
  }
  const missing = Object.keys(target.specs).filter((key) => !seen.has(key));
  if (missing.length) throw new Error(`write-option-docs: ${target.name} lacks ${missing.join(', ')}`);
  return source.slice(0, start) + output.join('\n') + source.slice(end);
}

function description(spec: OptionSpec, where: string): string {
  if (!spec.description) throw new Error(`write-option-docs: ${where} has no description`);
  return spec.description;
}

/** The comment of one property: its description, then its default when the spec has one. */
export function commentText(spec: OptionSpec, where: string): string {
  const text = description(spec, where);
  if (!('default' in spec) || spec.default === undefined) return text;
  const value = spec.default;
  if (typeof value === 'string') return `${text} Default \`'${value}'\`.`;
  if (Array.isArray(value)) return `${text} Default \`[${value.join(', ')}]\`.`;
  return `${text} Default ${value}.`;
}

/** A two-space-indented doc comment: one line when it fits, else wrapped at the line width. */
export function docComment(text: string): string[] {
  if (text.includes('*/')) throw new Error(`write-option-docs: a description may not contain "*/": ${text}`);
  const single = `  /** ${text} */`;
  if (single.length <= lineWidth) return [single];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && `   * ${line} ${word}`.length > lineWidth) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return ['  /**', ...lines.map((item) => `   * ${item}`), '   */'];
}

// ---------------------------------------------------------------------------------------------
// Docs tables

function docsPages(families: readonly FamilyDefinition<unknown>[]): OptionDocsFile[] {
  const pages: OptionDocsFile[] = [];
  for (const family of families) {
    const file = path.join(docsDir, `${family.type}.md`);
    if (!existsSync(file)) continue;
    const current = readFileSync(file, 'utf8');
    const expected = rewriteOptionsTable(current, family, relative(file));
    const stale = current === expected ? [] : [`${relative(file)}: "## Options" table`];
    pages.push({ file, current, expected, stale });
  }
  return pages;
}

/** Replaces the table under "## Options" in a docs page with the one generated from the specs. */
export function rewriteOptionsTable(page: string, family: FamilyDefinition<unknown>, where: string): string {
  const lines = page.split('\n');
  const heading = lines.indexOf('## Options');
  let start = heading + 1;
  while (lines[start] === '') start++;
  let end = start;
  while (lines[end]?.startsWith('|')) end++;
  if (heading < 0 || end === start) throw new Error(`write-option-docs: ${where} has no "## Options" table`);
  const units = new Map(
    lines.slice(start + 2, end).map((row) => tableCells(row).slice(0, 2) as [string, string]),
  );
  const table = renderTable(family.options, units, family.type);
  return [...lines.slice(0, start), ...table, ...lines.slice(end)].join('\n');
}

/** The cells of a markdown table row (pipes escaped as `\|` stay inside their cell). */
function tableCells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** The table's lines, columns padded to their widest cell. `units`: option cell → unit today. */
export function renderTable(specs: OptionSpecs, units: ReadonlyMap<string, string>, type: string): string[] {
  const rows = [['option', 'unit', 'default', 'meaning']];
  const add = (name: string, spec: OptionSpec) => {
    const option = `\`${name}\``;
    const meaning = `${description(spec, `${type}.${name}`)} Must be ${describeSpec(spec)}.`;
    rows.push([
      option,
      unitOf(name, spec, units.get(option)),
      defaultCell(spec),
      meaning.replaceAll('|', '\\|'),
    ]);
  };
  for (const [key, spec] of Object.entries(specs)) {
    add(key, spec);
    if (spec.kind === 'objectArray')
      for (const [item, itemSpec] of Object.entries(spec.items ?? {})) add(`${key}[i].${item}`, itemSpec);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...row[column]!].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell + ' '.repeat(widths[column]! - [...cell].length)).join(' | ')} |`;
  return [line(rows[0]!), line(widths.map((width) => '-'.repeat(width))), ...rows.slice(1).map(line)];
}

function unitOf(name: string, spec: OptionSpec, current: string | undefined): string {
  const last = name.slice(name.lastIndexOf('.') + 1);
  const bySuffix = unitSuffixes.find(([suffix]) => last.endsWith(suffix));
  if (bySuffix) return bySuffix[1];
  return current ?? (spec.kind === 'schedule' ? 'schedule' : '—');
}

function defaultCell(spec: OptionSpec): string {
  if ('default' in spec && spec.default !== undefined) return `\`${JSON.stringify(spec.default)}\``;
  return spec.optional ? 'not set' : 'required';
}

function relative(file: string): string {
  return path.relative(repoDir, file).split(path.sep).join('/');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const stale = staleOptionDocs();
    if (stale.length) {
      console.error(`Option docs out of date (run the core "docs:options" script):\n  ${stale.join('\n  ')}`);
      process.exitCode = 1;
    } else console.log('option docs are up to date');
  } else {
    for (const file of writeOptionDocs()) console.log(`wrote ${relative(file)}`);
  }
}
