import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot, repoRoot, run } from './helpers';

/**
 * Runs the `console` examples of docs/cli.md in a scratch folder and compares their output with
 * the page: `$ anneal ...` runs the command in-process, `$ cat FILE` creates FILE with the shown
 * content, `$ echo 'TEXT' > FILE` writes it and `$ echo 'TEXT' | anneal ...` pipes it to stdin.
 */
const page = readFileSync(path.join(repoRoot, 'docs/cli.md'), 'utf8');
const blocks = [...page.matchAll(/^```console\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);

interface Example {
  readonly command: string;
  readonly output: string;
}

function examples(block: string): Example[] {
  const result: { command: string; lines: string[] }[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('$ ')) result.push({ command: line.slice(2), lines: [] });
    else if (line !== '' || result.at(-1)?.lines.length) result.at(-1)?.lines.push(line);
  }
  return result.map(({ command, lines }) => {
    while (lines.at(-1) === '') lines.pop();
    return { command, output: lines.length > 0 ? `${lines.join('\n')}\n` : '' };
  });
}

/** Splits a command line into words, keeping quoted text whole and `|`, `>` as operators. */
function words(command: string): string[] {
  const tokens: string[] = [];
  const pattern = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (const match of command.matchAll(pattern)) tokens.push(match[1] ?? match[2] ?? match[3]!);
  return tokens;
}

const scratch = mkdtempSync(path.join(tmpdir(), 'anneal-docs-cli-'));
mkdirSync(path.join(scratch, 'examples'));
copyFileSync(
  path.join(repoRoot, 'examples/warmup-cosine.json'),
  path.join(scratch, 'examples/warmup-cosine.json'),
);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('docs/cli.md examples', () => {
  it('has console examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it('every example prints exactly what the page shows', async () => {
    let ran = 0;
    for (const block of blocks) {
      for (const { command, output } of examples(block)) {
        const tokens = words(command);
        if (tokens[0] === 'cat' && tokens.length === 2) {
          writeFileSync(path.join(scratch, tokens[1]!), output);
          continue;
        }
        if (tokens[0] === 'echo' && tokens[2] === '>' && tokens.length === 4) {
          writeFileSync(path.join(scratch, tokens[3]!), `${tokens[1]}\n`);
          expect(output, command).toBe('');
          continue;
        }
        let stdin: string | undefined;
        let argv = tokens;
        if (tokens[0] === 'echo' && tokens[2] === '|') {
          stdin = `${tokens[1]}\n`;
          argv = tokens.slice(3);
        }
        expect(argv[0], command).toBe('anneal');
        const result = await run(argv.slice(1), { cwd: scratch, stdin });
        expect(result.stdout + result.stderr, command).toBe(output);
        ran += 1;
      }
    }
    expect(ran).toBeGreaterThanOrEqual(10);
  });

  it('the TypeScript example runs', async () => {
    const code = /^```ts\n([\s\S]*?)^```$/m.exec(page)?.[1];
    expect(code).toContain("from '@anneal/cli'");
    // Next to the sources so '@anneal/core' resolves; the package name maps to the entry point.
    const file = path.join(packageRoot, 'test', `.docs-example-${process.pid}.ts`);
    writeFileSync(
      file,
      `${code!.replace("from '@anneal/cli'", "from '../src/index'")}\nexport { range, svg, text };\n`,
    );
    try {
      const module = (await import(file)) as { range: unknown; svg: string; text: string };
      expect(module.range).toEqual({ start: 0, end: 1100 });
      expect(module.svg).toContain('<svg');
      expect(module.text).toContain('phases: warmup 0–100');
    } finally {
      unlinkSync(file);
    }
  });
});
