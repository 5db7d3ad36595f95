import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPlotBlocks, generateDocPlots } from '../src/docs-plots';
import { checkXml, packageRoot, repoRoot } from './helpers';

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const script = path.join(packageRoot, 'scripts/docs-plots.ts');

const fence = '```';
const goodPage = `# Warm-up and cosine

Some prose.

${fence}json plot warmup-cosine.svg
{ "type": "warmupCosineDecay", "peakValue": 0.001, "warmupSteps": 100, "totalSteps": 1000 }
${fence}

${fence}json
{ "not": "a plot" }
${fence}

${fence}json plot overlay.svg steps=0:500 title="two curves"
[
  { "label": "constant", "config": { "type": "constant", "value": 0.0005 } },
  { "label": "warm-up cosine", "config": { "type": "warmupCosineDecay", "peakValue": 0.001, "totalSteps": 400 } }
]
${fence}
`;

const badPage = `# Broken

${fence}json plot bad-config.svg
{ "type": "warmupCosineDecay", "peakValue": -1, "totalSteps": 10 }
${fence}

${fence}json plot bad-json.svg
{ "type": "constant",
  "value": }
${fence}

${fence}json plot ../escape.svg
{ "type": "constant", "value": 1 }
${fence}

${fence}json plot odd.svg colour=red
{ "type": "constant", "value": 1 }
${fence}
`;

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'anneal-docs-'));
  mkdirSync(path.join(root, 'good'));
  mkdirSync(path.join(root, 'bad'));
  writeFileSync(path.join(root, 'good', 'page.md'), goodPage);
  writeFileSync(path.join(root, 'bad', 'page.md'), badPage);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function runScript(args: readonly string[]) {
  const result = spawnSync(tsx, ['--conditions=@anneal/source', script, ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('docs:plots', () => {
  it('renders every json plot block of a folder next to the page', () => {
    const result = runScript(['good']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `wrote ${path.join('good', 'warmup-cosine.svg')}\nwrote ${path.join('good', 'overlay.svg')}\ndocs-plots: 2 written, 0 unchanged, 0 problems\n`,
    );
    const single = readFileSync(path.join(root, 'good', 'warmup-cosine.svg'), 'utf8');
    expect(checkXml(single).problems).toEqual([]);
    expect(single).toContain('>warmupCosineDecay</text>');
    expect(single).toContain('>warmup</text>');
    expect(single).toContain('>1000</text>');
    const overlay = readFileSync(path.join(root, 'good', 'overlay.svg'), 'utf8');
    expect(checkXml(overlay).problems).toEqual([]);
    expect(overlay).toContain('>two curves</text>');
    expect(overlay).toContain('class="legend"');
    expect(overlay.match(/<path /g)).toHaveLength(2);
    expect(overlay).toContain('>500</text>');
  });

  it('leaves current files alone and passes --check', async () => {
    const again = runScript(['good']);
    expect(again.stdout).toBe('docs-plots: 0 written, 2 unchanged, 0 problems\n');
    const check = await generateDocPlots({ folders: [path.join(root, 'good')], check: true });
    expect(check.problems).toEqual([]);
    expect(check.unchanged).toHaveLength(2);
  });

  it('reports every broken block with file and line, and exits 1', () => {
    const result = runScript(['bad']);
    expect(result.code).toBe(1);
    const page = path.join('bad', 'page.md');
    expect(result.stderr).toBe(
      [
        `docs-plots: ${page}:12: expected "json plot <name>.svg" with a plain file name (letters, digits, . _ -); received "../escape.svg"`,
        `docs-plots: ${page}:16: unknown plot attribute "colour=red" (expected steps=..., title=..., width=..., height=...)`,
        `docs-plots: ${page}:3: the config: invalid config (1 issue)`,
        '  - warmupCosineDecay: peakValue must be a finite number >= 0; received -1.',
        `docs-plots: ${page}:7: invalid JSON at line 9, column 12: expected a value, found "}"`,
        '',
      ].join('\n'),
    );
    expect(result.stdout).toBe('docs-plots: 0 written, 0 unchanged, 4 problems\n');
  });

  it('--check reports a stale SVG without writing it', async () => {
    const folder = path.join(root, 'stale');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'page.md'), goodPage);
    writeFileSync(path.join(folder, 'overlay.svg'), '<svg/>');
    const result = await generateDocPlots({ folders: [folder], check: true });
    expect(result.written).toEqual([]);
    expect(result.problems).toEqual([
      `${path.join(folder, 'page.md')}:5: ${path.join(folder, 'warmup-cosine.svg')} is missing (run docs:plots)`,
      `${path.join(folder, 'page.md')}:13: ${path.join(folder, 'overlay.svg')} is out of date (run docs:plots)`,
    ]);
    expect(readFileSync(path.join(folder, 'overlay.svg'), 'utf8')).toBe('<svg/>');
  });

  it("the repository's docs plots render and are up to date (run docs:plots after editing a block)", async () => {
    const folders = ['docs/schedules', 'docs/migration'].map((folder) => path.join(repoRoot, folder));
    const result = await generateDocPlots({ folders, check: true });
    expect(result.problems).toEqual([]);
    expect(result.written).toEqual([]);
  });

  it('finds fenced blocks with longer fences and tildes, and reports unclosed ones', () => {
    const problems: string[] = [];
    const blocks = findPlotBlocks(
      'x.md',
      '````json plot a.svg\n{"type":"constant","value":1}\n```\n````\n~~~ json plot b.svg width=640\n{}\n~~~\n```json plot c.svg\n{}',
      problems,
    );
    expect(blocks.map((block) => [block.svgName, block.line, block.attributes])).toEqual([
      ['a.svg', 1, {}],
      ['b.svg', 5, { width: '640' }],
    ]);
    expect(blocks[0]!.body).toBe('{"type":"constant","value":1}\n```');
    expect(problems).toEqual(['x.md:8: the plot block is never closed']);
  });
});
