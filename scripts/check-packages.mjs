#!/usr/bin/env node
// Packaging checks for every publishable package:
//   1. `pnpm pack` each package (after `pnpm build`),
//   2. publint and attw (are-the-types-wrong) on each tarball,
//   3. "install only what you need": for each scenario, a throwaway npm project outside the
//      workspace installs just the listed tarballs (plus registry peers) and runs a script.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const scenarios = JSON.parse(readFileSync(path.join(root, 'scripts/install-scenarios.json'), 'utf8'));
const packDir = mkdtempSync(path.join(tmpdir(), 'anneal-pack-'));
const run = (cmd, args, cwd, extraEnv = {}) =>
  execFileSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    env: { ...process.env, ...extraEnv },
  });

const publishable = readdirSync(path.join(root, 'packages')).filter((dir) => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'packages', dir, 'package.json'), 'utf8'));
  return !pkg.private;
});

const tarballs = {};
for (const dir of publishable) {
  const cwd = path.join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8'));
  run('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', packDir], cwd);
  const file = readdirSync(packDir).find(
    (f) => f.startsWith(pkg.name.replace('@', '').replace('/', '-')) && f.endsWith('.tgz'),
  );
  if (!file) throw new Error(`pack produced no tarball for ${pkg.name}`);
  tarballs[pkg.name] = path.join(packDir, file);
  console.log(`packed ${pkg.name} -> ${file}`);
  console.log(run('npx', ['publint', 'run', '--strict', tarballs[pkg.name]], cwd).trim());
  const attwArgs = ['attw', tarballs[pkg.name], '--profile', 'esm-only', '--format', 'table-flipped'];
  console.log(run('npx', attwArgs, cwd).trim());
}

for (const scenario of scenarios) {
  const dir = mkdtempSync(path.join(tmpdir(), `anneal-install-${scenario.name}-`));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: `try-${scenario.name}`, private: true, type: 'module' }),
  );
  const specs = [...scenario.packages.map((name) => tarballs[name] ?? name), ...(scenario.registry ?? [])];
  console.log(
    `\n[${scenario.name}] npm install ${scenario.packages.join(' ')} ${(scenario.registry ?? []).join(' ')}`,
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir, {
    ONNXRUNTIME_NODE_INSTALL: 'skip',
  });
  const installed = readdirSync(path.join(dir, 'node_modules', '@anneal'));
  const unexpected = installed.filter((name) => !scenario.packages.includes(`@anneal/${name}`));
  if (unexpected.length)
    throw new Error(`[${scenario.name}] pulled in unexpected @anneal packages: ${unexpected.join(', ')}`);
  writeFileSync(path.join(dir, 'try.mjs'), scenario.script);
  const out = run('node', ['try.mjs'], dir).trim();
  console.log(out);
  if (!out.includes(scenario.expect))
    throw new Error(`[${scenario.name}] expected output to contain ${JSON.stringify(scenario.expect)}`);
  rmSync(dir, { recursive: true, force: true });
}
rmSync(packDir, { recursive: true, force: true });
console.log(
  `\npackaging checks passed: ${publishable.length} packages, ${scenarios.length} install scenarios`,
);
