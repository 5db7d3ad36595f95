import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations
import { checkArchitecture } from './check-architecture.mjs';

let root: string;

function write(file: string, text: string): void {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
}

function pkg(dir: string, name: string, dependencies: Record<string, string> = {}): void {
  write(`${dir}/package.json`, JSON.stringify({ name, dependencies }));
}

function problems(): string[] {
  return checkArchitecture(root).problems;
}

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('check-architecture', () => {
  it('accepts a tree that follows the rules', () => {
    root = mkdtempSync(path.join(tmpdir(), 'architecture-'));
    pkg('packages/core', '@anneal/core');
    write('packages/core/src/index.ts', "export { a } from './a';\n");
    write('packages/core/src/a.ts', 'export const a = 1;\n');
    pkg('packages/tfjs', '@anneal/tfjs', { '@anneal/core': 'workspace:^' });
    write('packages/tfjs/src/index.ts', "import { a } from '@anneal/core';\nexport const b = a;\n");
    pkg('packages/cli', '@anneal/cli', { '@anneal/core': 'workspace:^' });
    write(
      'packages/cli/src/bin.ts',
      "import { readFileSync } from 'node:fs';\nexport const c = readFileSync;\n",
    );
    write('packages/core/src/a.test.ts', "import { readFileSync } from 'node:fs';\n"); // tests are exempt
    mkdirSync(path.join(root, 'apps'));
    expect(problems()).toEqual([]);
  });

  it('names undeclared imports, escapes from the package, Node built-ins in browser code, long files and functions', () => {
    root = mkdtempSync(path.join(tmpdir(), 'architecture-'));
    pkg('packages/core', '@anneal/core');
    write(
      'packages/core/src/index.ts',
      "import { x } from '@anneal/tfjs';\nimport { readFileSync } from 'node:fs';\n",
    );
    pkg('packages/tfjs', '@anneal/tfjs', { '@anneal/core': 'workspace:^' });
    write(
      'packages/tfjs/src/index.ts',
      `import { t } from '@anneal/onnxruntime-training';\nimport { z } from '../../core/src/index';\nexport function long() {\n${'  t();\n'.repeat(101)}}\n`,
    );
    pkg('apps/demo', 'demo', { '@anneal/core': 'workspace:^' });
    write('apps/demo/src/main.ts', `${'export const n = 1;\n'.repeat(501)}`);
    expect(problems()).toEqual([
      "packages/core/src/index.ts:1: imports @anneal/tfjs, which @anneal/core's package.json does not declare",
      'packages/core/src/index.ts:2: imports the Node built-in node:fs in browser-safe code',
      "packages/tfjs/src/index.ts:1: imports @anneal/onnxruntime-training, which @anneal/tfjs's package.json does not declare",
      'packages/tfjs/src/index.ts:2: imports ../../core/src/index, outside packages/tfjs',
      'packages/tfjs/src/index.ts:3: function long has 103 lines (at most 100)',
      'apps/demo/src/main.ts: 501 lines (at most 500)',
    ]);
  });
});
