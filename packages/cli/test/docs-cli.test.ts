import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot, repoRoot, run } from './helpers';

/**
 * Runs the `console` examples of docs/cli.md (and of the migration pages that show the CLI) in a
 * scratch folder and compares their output with the page: `$ anneal ...` runs the command
 * in-process, `$ cat FILE` creates FILE with the shown content, `$ echo 'TEXT' > FILE` writes it
 * and `$ echo 'TEXT' | anneal ...` pipes it to stdin. The scratch folder also holds the logs the
 * verify examples read (test/fixtures/verify, see SOURCES.md there) and a `.keras` archive.
 */
const page = readFileSync(path.join(repoRoot, 'docs/cli.md'), 'utf8');
const consoleBlocks = (text: string) =>
  [...text.matchAll(/^```console\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
const blocks = consoleBlocks(page);

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
const fixtures = path.join(packageRoot, 'test/fixtures/verify');
cpSync(path.join(fixtures, 'tensorboard/huggingface'), path.join(scratch, 'runs/bert-cosine'), {
  recursive: true,
});
cpSync(path.join(fixtures, 'tensorboard/keras'), path.join(scratch, 'logs/keras-cosine'), {
  recursive: true,
});
cpSync(path.join(fixtures, 'tensorboard/lightning'), path.join(scratch, 'lightning_logs'), {
  recursive: true,
});
copyFileSync(path.join(fixtures, 'trainer_state-after-36973.json'), path.join(scratch, 'trainer_state.json'));
mkdirSync(path.join(scratch, 'old-run'));
copyFileSync(
  path.join(fixtures, 'trainer_state-before-36973.json'),
  path.join(scratch, 'old-run/trainer_state.json'),
);
// model.save("model.keras"): config.json (core's fixture, written by Keras 3), metadata.json, weights.
const kerasConfig = readFileSync(
  path.join(repoRoot, 'packages/core/test/fixtures/import/keras-model-config.json'),
);
writeFileSync(
  path.join(scratch, 'model.keras'),
  zipSync({
    'metadata.json': strToU8('{"keras_version": "3.3.3", "date_saved": "2024-05-01@12:00:00"}'),
    'config.json': new Uint8Array(kerasConfig),
    'model.weights.h5': new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]),
  }),
);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs every console example of `blocks`; returns how many commands ran. */
async function runExamples(blocks: readonly string[]): Promise<number> {
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
      const redirect = argv.indexOf('>');
      const target = redirect === -1 ? undefined : argv[redirect + 1];
      if (redirect !== -1) argv = argv.slice(0, redirect);
      expect(argv[0], command).toBe('anneal');
      const result = await run(argv.slice(1), { cwd: scratch, stdin });
      if (target !== undefined) {
        writeFileSync(path.join(scratch, target), result.stdout);
        expect(result.stderr, command).toBe(output);
      } else {
        expect(result.stdout + result.stderr, command).toBe(output);
      }
      ran += 1;
    }
  }
  return ran;
}

describe('docs/cli.md examples', () => {
  it('has console examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it('every example prints exactly what the page shows', async () => {
    expect(await runExamples(blocks)).toBeGreaterThanOrEqual(10);
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

describe.each([
  'docs/migration/verify.md',
  'docs/migration/keras.md',
  'docs/migration/timm.md',
  'docs/migration/transformers.md',
  'docs/migration/pytorch.md',
])('%s examples', (name) => {
  it('every example prints exactly what the page shows', async () => {
    const text = readFileSync(path.join(repoRoot, name), 'utf8');
    expect(await runExamples(consoleBlocks(text))).toBeGreaterThanOrEqual(1);
  });
});
