#!/usr/bin/env node
// Publishes the workspace's public packages with changesets, refusing (one line each) when the
// git tree is dirty, when changesets are still unversioned, or when the build or the package
// checks fail. Two modes:
//
//   node scripts/release.mjs publish          `pnpm release`: publish the versions in package.json
//                                             (after `changeset version` was committed) under
//                                             `latest`, or under the pre-release tag in pre mode
//   node scripts/release.mjs snapshot <tag>   `pnpm release:snapshot <tag>`: version the pending
//                                             changesets as 0.0.0-<tag>-<datetime>, build, check,
//                                             publish under <tag>, then restore the tree
//
// docs/releasing.md explains the policy, pre-release mode and the registry round trip that runs
// this script against a local registry.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A release that must not go ahead; `message` is the one line printed to the maintainer. */
export class ReleaseRefusal extends Error {
  name = 'ReleaseRefusal';
}

/** Scripts of the root package.json that must pass before anything is published, in order. */
export const checkScripts = ['build:packages', 'check:packages'];

const STEP_TIMEOUT_MS = 15 * 60_000;
const DIST_TAG = /^[a-z][a-z0-9-]{0,31}$/;

/** Runs a command with inherited output; returns its exit status (null when killed). */
export function execCommand(command, args, { cwd, env = {}, timeoutMs = STEP_TIMEOUT_MS } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, ...env },
    timeout: timeoutMs,
  });
  if (result.error && result.error.code === 'ENOENT')
    throw new ReleaseRefusal(
      `\`${command}\` was not found; install the workspace and run this as \`pnpm release\`.`,
    );
  return result.status;
}

function git(cwd, args) {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    const why = (result.stderr || '').trim().split('\n')[0] || `exit ${result.status}`;
    throw new ReleaseRefusal(`\`git ${args.join(' ')}\` failed in ${cwd}: ${why}`);
  }
  return result.stdout;
}

/** Paths that `git status` reports as changed or untracked (ignored files do not count). */
export function dirtyPaths(cwd) {
  return git(cwd, ['status', '--porcelain', '--untracked-files=all'])
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
}

/**
 * Changeset files not yet turned into versions. In pre-release mode `changeset version` keeps the
 * files it consumed and lists them in `.changeset/pre.json`: those are versioned, not pending.
 */
export function pendingChangesets(cwd) {
  const dir = path.join(cwd, '.changeset');
  if (!existsSync(dir)) return [];
  const preFile = path.join(dir, 'pre.json');
  const consumed = new Set(existsSync(preFile) ? JSON.parse(readFileSync(preFile, 'utf8')).changesets : []);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md') && name.toLowerCase() !== 'readme.md')
    .filter((name) => !consumed.has(name.slice(0, -'.md'.length)))
    .sort();
}

function listed(names) {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/** Refuses unless the tree is clean; `what` names the operation in the message. */
export function assertCleanTree(cwd, what) {
  const dirty = dirtyPaths(cwd);
  if (dirty.length)
    throw new ReleaseRefusal(
      `refusing to ${what}: the git tree has ${dirty.length} uncommitted change(s) (${listed(dirty)}); commit or remove them first.`,
    );
}

/** Checks a snapshot dist-tag: a lowercase word that cannot be mistaken for a version or `latest`. */
export function validateSnapshotTag(tag) {
  if (typeof tag !== 'string' || !DIST_TAG.test(tag) || tag === 'latest')
    throw new ReleaseRefusal(
      `snapshot: the tag must be a lowercase dist-tag other than "latest" (letters, digits, "-"; at most 32 characters, starting with a letter); received ${JSON.stringify(tag)}.`,
    );
  return tag;
}

function runChecks({ cwd, pm, exec, what }) {
  for (const script of checkScripts) {
    const status = exec(pm, ['run', script], { cwd });
    if (status !== 0)
      throw new ReleaseRefusal(
        `refusing to ${what}: \`${pm} run ${script}\` failed (exit ${status ?? 'killed by timeout'}); nothing was published.`,
      );
  }
}

/** The first executable called `name` on `searchPath` (a PATH string), or undefined. */
function findOnPath(name, searchPath) {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/**
 * Provenance for `changeset publish`. In a pnpm workspace changesets runs `pnpm publish`, and pnpm
 * 12 attests only when given `--provenance` (it ignores `publishConfig.provenance`, `.npmrc` and
 * `npm_config_provenance`), a flag changesets never passes. When `ANNEAL_RELEASE_PROVENANCE=1`
 * (the release workflow sets it) this writes a `pnpm` on a temporary folder that forwards to the
 * real one, adding `--provenance` to `publish` only, and returns the environment that puts it first
 * on PATH; otherwise it returns no change.
 */
export function provenanceEnv(env = process.env) {
  if (env.ANNEAL_RELEASE_PROVENANCE !== '1') return { env: {}, cleanup: () => {} };
  const real = findOnPath('pnpm', env.PATH);
  if (!real)
    throw new ReleaseRefusal(
      'refusing to publish with provenance (ANNEAL_RELEASE_PROVENANCE=1): no `pnpm` on PATH to forward to.',
    );
  const dir = mkdtempSync(path.join(tmpdir(), 'anneal-provenance-'));
  const shim = path.join(dir, 'pnpm');
  writeFileSync(
    shim,
    `#!/bin/sh\n# Written by scripts/release.mjs: adds --provenance to pnpm publish (changesets does not pass it).\nif [ "$1" = "publish" ]; then shift; exec ${JSON.stringify(real)} publish --provenance "$@"; fi\nexec ${JSON.stringify(real)} "$@"\n`,
  );
  chmodSync(shim, 0o755);
  return {
    env: { PATH: `${dir}${path.delimiter}${env.PATH ?? ''}` },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The workspace's own changesets CLI (its flags would be taken by `npm exec` as npm's). */
function runChangeset({ cwd, exec, args, what }) {
  const provenance = args[0] === 'publish' ? provenanceEnv() : { env: {}, cleanup: () => {} };
  let status;
  try {
    status = exec(path.join(cwd, 'node_modules', '.bin', 'changeset'), args, { cwd, env: provenance.env });
  } finally {
    provenance.cleanup();
  }
  if (status !== 0)
    throw new ReleaseRefusal(
      `${what}: \`changeset ${args.join(' ')}\` failed (exit ${status ?? 'killed by timeout'}).`,
    );
}

/**
 * `pnpm release`: clean tree, no unversioned changesets, build and checks green, then
 * `changeset publish` (which publishes each public package whose version is not on the registry
 * yet, under `latest` or the pre-release tag, and creates the git tags).
 */
export function releasePublish({ cwd, pm = 'pnpm', exec = execCommand }) {
  assertCleanTree(cwd, 'publish');
  const pending = pendingChangesets(cwd);
  if (pending.length)
    throw new ReleaseRefusal(
      `refusing to publish: ${pending.length} changeset(s) are not versioned yet (${listed(pending)}); run \`pnpm changeset version\`, review and commit, then release.`,
    );
  runChecks({ cwd, pm, exec, what: 'publish' });
  runChangeset({ cwd, pm, exec, args: ['publish'], what: 'publish' });
}

/** Puts back every file that `changeset version --snapshot` changed (the tree was clean before). */
function restoreTree(cwd) {
  const changed = git(cwd, ['status', '--porcelain', '--untracked-files=all']).split('\n').filter(Boolean);
  const created = changed.filter((line) => line.startsWith('??')).map((line) => line.slice(3));
  if (changed.length > created.length) git(cwd, ['checkout', 'HEAD', '--', '.']);
  for (const file of created) rmSync(path.join(cwd, file), { force: true });
  return changed.length;
}

/**
 * `pnpm release:snapshot <tag>`: clean tree and at least one pending changeset, then
 * `changeset version --snapshot <tag>`, build, checks, `changeset publish --tag <tag>` (no git
 * tags), and finally the tree is restored: snapshot versions are never committed.
 */
export function releaseSnapshot({ cwd, tag, pm = 'pnpm', exec = execCommand }) {
  validateSnapshotTag(tag);
  assertCleanTree(cwd, 'publish a snapshot');
  if (existsSync(path.join(cwd, '.changeset', 'pre.json')))
    throw new ReleaseRefusal(
      'refusing to publish a snapshot: the repository is in pre-release mode (.changeset/pre.json); run `pnpm changeset pre exit` first or release the pre-release with `pnpm release`.',
    );
  const pending = pendingChangesets(cwd);
  if (!pending.length)
    throw new ReleaseRefusal(
      'refusing to publish a snapshot: there is no pending changeset, so no package would get a snapshot version; add one with `pnpm changeset`.',
    );
  try {
    runChangeset({ cwd, pm, exec, args: ['version', '--snapshot', tag], what: 'snapshot' });
    runChecks({ cwd, pm, exec, what: 'publish a snapshot' });
    runChangeset({ cwd, pm, exec, args: ['publish', '--tag', tag, '--no-git-tag'], what: 'snapshot' });
  } finally {
    restoreTree(cwd);
  }
}

const usage = 'usage: node scripts/release.mjs publish | snapshot <tag>';

/** Command-line entry; returns the exit code (0 published, 1 refused, 2 usage). */
export function main(argv, { cwd = process.cwd(), exec = execCommand, log = console.error } = {}) {
  const [mode, tag, ...rest] = argv;
  try {
    if (mode === 'publish' && tag === undefined) releasePublish({ cwd, exec });
    else if (mode === 'snapshot' && rest.length === 0) releaseSnapshot({ cwd, tag, exec });
    else {
      log(usage);
      return 2;
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ReleaseRefusal)) throw error;
    log(`release: ${error.message}`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2), { cwd: path.resolve(import.meta.dirname, '..') });
}
