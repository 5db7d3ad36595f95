// The pure parts of the registry round trip: reading READMEs (code blocks, the install command,
// the output their comments promise), checking installed ranges, comparing the browser page with
// the golden values. The round trip itself runs in .ci/run (`pnpm check:registry`).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations
import { compareWithGolden } from './registry/browser-consumer.mjs';
import {
  annealPackagesIn,
  checkInstalledRanges,
  codeBlocks,
  installCommand,
  promisedOutput,
  // @ts-expect-error: a plain .mjs script without declarations
} from './registry/consumers.mjs';
// @ts-expect-error: a plain .mjs script without declarations
import { registryConfig } from './registry/local-registry.mjs';

const fence = '```';
const readme = [
  '# @x/tfjs',
  '',
  `${fence}sh`,
  'npm install @x/tfjs @x/core peer-lib   # with its peer',
  fence,
  '',
  `${fence}ts`,
  "import { a } from '@x/core';",
  'console.log(a(0), a(1)); // 0 0.001',
  'console.log(a(2) === a(2)); // true',
  fence,
  '',
  `${fence}json`,
  '{ "type": "constant" }',
  fence,
].join('\n');

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('README reading', () => {
  it('finds the code blocks of one language', () => {
    expect(codeBlocks(readme, 'ts')).toEqual([
      "import { a } from '@x/core';\nconsole.log(a(0), a(1)); // 0 0.001\nconsole.log(a(2) === a(2)); // true\n",
    ]);
    expect(codeBlocks(readme, 'json')).toEqual(['{ "type": "constant" }\n']);
    expect(codeBlocks(readme, 'python')).toEqual([]);
  });

  it('reads the install command, its specs and -g', () => {
    expect(installCommand(readme)).toEqual({ global: false, specs: ['@x/tfjs', '@x/core', 'peer-lib'] });
    expect(installCommand(`${fence}sh\nnpm install -g @x/cli\n${fence}\n`)).toEqual({
      global: true,
      specs: ['@x/cli'],
    });
    expect(() => installCommand('# nothing\n')).toThrow('no `npm install` command in the README');
  });

  it('collects literal results promised in comments, or null when one log has none', () => {
    expect(promisedOutput(codeBlocks(readme, 'ts')[0])).toEqual(['0 0.001', 'true']);
    expect(promisedOutput('console.log(x); // 1e-5 -2\n')).toEqual(['1e-5 -2']);
    expect(promisedOutput('console.log(history); // the rate of each epoch\n')).toBeNull();
    expect(promisedOutput('console.log(1); // 1\nconsole.log(2);\n')).toBeNull();
    expect(promisedOutput('const x = 1;\n')).toBeNull();
  });

  it('reads the repository READMEs the round trip runs', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const scenarios = JSON.parse(readFileSync(path.join(root, 'scripts/install-scenarios.json'), 'utf8'));
    for (const scenario of scenarios) {
      const text = readFileSync(path.join(root, scenario.readme), 'utf8');
      const { specs } = installCommand(text);
      expect(specs).toContain(`@anneal/${scenario.name}`);
    }
  });
});

function installed(name: string, pkg: Record<string, unknown>): void {
  const folder = path.join(dir, 'node_modules', '@anneal', name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: `@anneal/${name}`, ...pkg }));
}

describe('installed ranges', () => {
  it('returns the installed versions when each @anneal range is the published one', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ranges-'));
    installed('core', { version: '0.2.0' });
    installed('tfjs', {
      version: '0.1.1',
      dependencies: { '@anneal/core': '^0.2.0' },
      peerDependencies: { x: '^4' },
    });
    const nodeModules = path.join(dir, 'node_modules');
    expect(annealPackagesIn(nodeModules)).toEqual(['core', 'tfjs']);
    expect(checkInstalledRanges(nodeModules, () => '^0.2.0')).toEqual({
      '@anneal/core': '0.2.0',
      '@anneal/tfjs': '0.1.1',
    });
    expect(() => checkInstalledRanges(nodeModules, () => '^0.1.0')).toThrow(
      '@anneal/tfjs@0.1.1: dependencies.@anneal/core is "^0.2.0"; expected "^0.1.0"',
    );
  });

  it('rejects a workspace: range left in a published manifest', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ranges-'));
    installed('cli', { version: '0.1.0', dependencies: { '@anneal/plot': 'workspace:^' } });
    expect(() => checkInstalledRanges(path.join(dir, 'node_modules'), () => '^0.1.0')).toThrow(
      '@anneal/cli@0.1.0: dependencies.@anneal/plot is still "workspace:^"',
    );
  });
});

describe('browser page against the golden values', () => {
  const steps = Array.from({ length: 16 }, (_, k) => k);
  const golden = { steps, lr: steps.map((k) => 0.01 * k) };
  const usedFor = (values: number[]) => steps.map((k) => [k, Math.fround(values[k])]);
  const page = (values: number[], used = usedFor(values)) => ({ values, used, iterations: used.length });

  it('accepts values within 1e-12 and learning rates equal to Math.fround(value)', () => {
    const values = golden.lr.map((lr) => lr * (1 + 5e-13));
    expect(() => compareWithGolden(page(values), golden)).not.toThrow();
  });

  it('names the step where the page and optax differ', () => {
    const values = golden.lr.map((lr, k) => (k === 3 ? lr * (1 + 1e-9) : lr));
    expect(() => compareWithGolden(page(values), golden)).toThrow(
      /^browser consumer: step 3: page 0\.03000000003, optax 0\.03$/,
    );
  });

  it('names a learning rate tfjs used that is not Math.fround(schedule(k)), and a short run', () => {
    const used = usedFor(golden.lr);
    used[5] = [5, golden.lr[5]];
    expect(() => compareWithGolden(page(golden.lr, used), golden)).toThrow(
      'browser consumer: batch 5: tfjs used 0.05 at step 5; expected Math.fround(0.05)',
    );
    expect(() => compareWithGolden(page(golden.lr, usedFor(golden.lr).slice(0, 3)), golden)).toThrow(
      'browser consumer: expected 16 updates, got 3 (optimizer.iterations 3)',
    );
  });
});

describe('registry config', () => {
  it('proxies nothing and lets only an authenticated user publish', () => {
    const config = registryConfig('/tmp/storage');
    expect(config).toContain('uplinks: {}');
    expect(config).not.toMatch(/proxy:/);
    expect(config).toContain("'@anneal/*':\n    access: $all\n    publish: $authenticated");
  });
});
