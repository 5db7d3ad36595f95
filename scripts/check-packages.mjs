#!/usr/bin/env node
// Packaging checks for every publishable package, run by `pnpm release` before publishing:
//   1. `pnpm pack` each package (after `pnpm build`),
//   2. publint --strict and attw (are-the-types-wrong) on each tarball.
// Installing the packages the way users do (from a registry, only what each README names) is the
// registry round trip, `pnpm check:registry` (scripts/check-registry.mjs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
/** The workspace's own copy of a CLI (no npx look-up per call). */
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const packDir = mkdtempSync(path.join(tmpdir(), 'anneal-pack-'));
const run = (cmd, args, cwd, extraEnv = {}) =>
  execFileSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    env: { ...process.env, ...extraEnv },
    timeout: 180_000,
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
  console.log(run(bin('publint'), ['run', '--strict', tarballs[pkg.name]], cwd).trim());
  const attwArgs = [tarballs[pkg.name], '--profile', 'esm-only', '--format', 'table-flipped'];
  console.log(run(bin('attw'), attwArgs, cwd).trim());
}

rmSync(packDir, { recursive: true, force: true });
console.log(`\npackaging checks passed: ${publishable.length} packages (publint --strict, attw)`);
