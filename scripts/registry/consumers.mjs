// Throwaway consumer projects outside the workspace: npm installs exactly what a README tells a
// user to install, with @anneal/* from the local registry (a scoped `@anneal:registry` in the
// project's .npmrc) and third-party packages from the user's usual registry; then the README's
// own TypeScript example is type-checked against the installed types and run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { run } from './workspace-copy.mjs';

const require = createRequire(import.meta.url);

/** The bodies of the fenced code blocks of `markdown` in `language` (```ts, ```sh, ...). */
export function codeBlocks(markdown, language) {
  const blocks = [];
  const fence = /^```([\w-]*)[^\n]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) if (match[1] === language) blocks.push(match[2]);
  return blocks;
}

/** The first `npm install` / `npm i` command of a README's sh blocks: its package specs and `-g`. */
export function installCommand(markdown) {
  for (const block of codeBlocks(markdown, 'sh')) {
    for (const line of block.split('\n')) {
      const words = line.replace(/#.*$/, '').trim().split(/\s+/);
      if (words[0] !== 'npm' || !['install', 'i'].includes(words[1])) continue;
      const flags = words.slice(2).filter((word) => word.startsWith('-'));
      return {
        global: flags.includes('-g') || flags.includes('--global'),
        specs: words.slice(2).filter((w) => !w.startsWith('-')),
      };
    }
  }
  throw new Error('no `npm install` command in the README');
}

/**
 * Literal results a README promises in `console.log(...); // 0 0.001` comments, in order; null when
 * some console.log line of the block has no literal comment (then its output is not compared).
 */
export function promisedOutput(block) {
  const lines = block.split('\n').filter((line) => /^\s*console\.log\(/.test(line));
  const promised = lines.map((line) => /\/\/\s*([-+\w.\s]+)$/.exec(line)?.[1].trim());
  const literal = (text) =>
    text?.split(/\s+/).every((word) => /^(true|false|null|-?\d+(\.\d+)?(e-?\d+)?)$/.test(word));
  return lines.length && promised.every(literal) ? promised : null;
}

/** A consumer project in a new temporary folder under `base`, reading @anneal/* from the registry. */
export function makeConsumer(base, name, registry) {
  const dir = mkdtempSync(path.join(base, `${name}-`));
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: `try-${name}`, private: true, type: 'module' }),
  );
  writeFileSync(path.join(dir, '.npmrc'), `@anneal:registry=${registry.url}\n`);
  return dir;
}

/** `npm install` as a user runs it (onnxruntime-node's CUDA download skipped, as its README says). */
export function npmInstall(dir, specs, { global = false, registry } = {}) {
  const args = ['install', '--no-audit', '--no-fund', '--loglevel=error'];
  if (global)
    args.push('--global', `--prefix=${path.join(dir, 'global')}`, `--@anneal:registry=${registry.url}`);
  run('npm', [...args, ...specs], {
    cwd: dir,
    env: { ONNXRUNTIME_NODE_INSTALL: 'skip' },
    timeoutMs: 240_000,
  });
}

/** The @anneal packages present in a node_modules folder, sorted. */
export function annealPackagesIn(nodeModules) {
  const dir = path.join(nodeModules, '@anneal');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/**
 * Checks the installed @anneal packages under `nodeModules`: none kept a `workspace:` range, and
 * each @anneal dependency range is `expectedRange(dependencyName)` (what `pnpm publish` must have
 * written). Returns `{ name: installed version }`.
 */
export function checkInstalledRanges(nodeModules, expectedRange) {
  const installed = {};
  for (const entry of annealPackagesIn(nodeModules)) {
    const pkg = JSON.parse(readFileSync(path.join(nodeModules, '@anneal', entry, 'package.json'), 'utf8'));
    installed[pkg.name] = pkg.version;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
        if (range.startsWith('workspace:'))
          throw new Error(`${pkg.name}@${pkg.version}: ${field}.${dep} is still ${JSON.stringify(range)}`);
        if (dep.startsWith('@anneal/') && range !== expectedRange(dep))
          throw new Error(
            `${pkg.name}@${pkg.version}: ${field}.${dep} is ${JSON.stringify(range)}; expected ${JSON.stringify(expectedRange(dep))}`,
          );
      }
    }
  }
  return installed;
}

/** tsconfig for a consumer file: strict, NodeNext, the workspace's @types/node for `console`. */
function writeTsconfig(dir, root) {
  const compilerOptions = {
    strict: true,
    noEmit: true,
    target: 'es2022',
    lib: ['es2023', 'esnext.disposable', 'dom'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.join(root, 'node_modules', '@types')],
  };
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions, include: ['*.ts'] }, null, 2),
  );
}

/** Type-checks `file` (a .ts in `dir`) against the installed packages' types with the workspace's tsc. */
export function typecheck(dir, root) {
  writeTsconfig(dir, root);
  const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir, timeoutMs: 120_000 });
}

/** Strips the types of a .ts file with esbuild (lowering `await using` for Node 20) and runs it; returns stdout. */
export function runTypeScript(dir, file) {
  const esbuild = require('esbuild');
  const { code } = esbuild.transformSync(readFileSync(path.join(dir, file), 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
  });
  const out = file.replace(/\.ts$/, '.mjs');
  writeFileSync(path.join(dir, out), code);
  return runNode(dir, out);
}

/** Runs a module with node in `dir`; returns its stdout. */
export function runNode(dir, file, args = []) {
  return execFileSync(process.execPath, [file, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Writes `text` as `dir/file`, creating folders. */
export function writeIn(dir, file, text) {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}
