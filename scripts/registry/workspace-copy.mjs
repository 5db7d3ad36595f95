// A temporary copy of the repository that publishes to the local registry with the project's own
// release scripts: the working tree's files (tracked and untracked, not ignored) in a fresh git
// repository, installed offline from the pnpm store, with a `.npmrc` (excluded from git, so the
// tree stays clean) that sends @anneal/* and nothing else to the local registry.
import { execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  cpSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

export const PNPM = ['npx', '-y', 'pnpm@12.4.2'];

/** Runs a command with a time limit; its output goes to the parent's stderr (progress, errors). */
export function run(command, args, { cwd, env = {}, timeoutMs = 120_000, capture = false } = {}) {
  try {
    return execFileSync(command, args, {
      cwd,
      env: { ...process.env, ...env },
      timeout: timeoutMs,
      encoding: 'utf8',
      stdio: ['ignore', capture ? 'pipe' : 2, 2],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const why = error.signal === 'SIGTERM' ? `timed out after ${timeoutMs / 1000} s` : `exit ${error.status}`;
    throw new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd}: ${why}`);
  }
}

function git(cwd, ...args) {
  return run('git', args, { cwd, capture: true, timeoutMs: 60_000 });
}

/** Copies the working tree of `root` into `dir` and commits it as the copy's first commit. */
export function copyWorkspace(root, dir) {
  const files = git(root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard')
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    try {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      cpSync(path.join(root, file), path.join(dir, file));
    } catch (error) {
      if (error.code !== 'ENOENT') throw error; // deleted in the working tree, not yet committed
    }
  }
  git(dir, 'init', '-q', '-b', 'main');
  // An identity of its own: commits here, and the annotated tags `changeset publish` creates.
  git(dir, 'config', 'user.name', 'anneal-ci');
  git(dir, 'config', 'user.email', 'ci@anneal.invalid');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'copy of the working tree');
  return files.length;
}

/** Points @anneal/* at the registry (with its token) in the copy's `.npmrc`, kept out of git. */
export function useRegistry(dir, registry) {
  writeFileSync(
    path.join(dir, '.npmrc'),
    [
      `@anneal:registry=${registry.url}`,
      `${registry.host}:_authToken=${registry.token}`,
      // publishConfig.provenance needs a CI OIDC token; a local publish turns it off explicitly.
      'provenance=false',
      '',
    ].join('\n'),
  );
  mkdirSync(path.join(dir, '.git', 'info'), { recursive: true });
  appendFileSync(path.join(dir, '.git', 'info', 'exclude'), '.npmrc\n');
}

/** The environment the release scripts run with in the copy: changesets reads the scoped registry here. */
export function releaseEnv(registry) {
  return {
    'npm_config_@anneal:registry': registry.url,
    NPM_CONFIG_PROVENANCE: 'false',
    TURBO_TELEMETRY_DISABLED: '1',
  };
}

/** `pnpm install --frozen-lockfile --prefer-offline`: packages come from the store. */
export function installCopy(dir) {
  run(PNPM[0], [...PNPM.slice(1), 'install', '--frozen-lockfile', '--prefer-offline'], {
    cwd: dir,
    timeoutMs: 180_000,
  });
}

/** `{ name: version }` of every public package in the copy. */
export function publicVersions(dir) {
  const versions = {};
  for (const entry of readdirSync(path.join(dir, 'packages'))) {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'packages', entry, 'package.json'), 'utf8'));
    if (!pkg.private) versions[pkg.name] = pkg.version;
  }
  return versions;
}

/** Versions pending changesets the way a maintainer does before `pnpm release`, and commits. */
export function versionPending(dir, env) {
  const pending = readdirSync(path.join(dir, '.changeset')).filter(
    (f) => f.endsWith('.md') && f !== 'README.md',
  );
  if (!pending.length) return 0;
  run(path.join(dir, 'node_modules', '.bin', 'changeset'), ['version'], {
    cwd: dir,
    env,
    timeoutMs: 120_000,
  });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'version packages');
  return pending.length;
}

/** Writes a changeset (bumping `packages`), removes the other changeset files, and commits. */
export function replaceChangesets(dir, name, packages, summary) {
  const folder = path.join(dir, '.changeset');
  for (const file of readdirSync(folder))
    if (file.endsWith('.md') && file !== 'README.md') git(dir, 'rm', '-q', `.changeset/${file}`);
  const front = packages.map((pkg) => `'${pkg}': patch`).join('\n');
  writeFileSync(path.join(folder, `${name}.md`), `---\n${front}\n---\n\n${summary}\n`);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `changeset: ${summary}`);
}

/** Runs a root script of the copy (`pnpm release`, `pnpm release:snapshot ci`) against the registry. */
export function runScript(dir, registry, script, args = [], timeoutMs = 300_000) {
  run(PNPM[0], [...PNPM.slice(1), 'run', script, ...args], {
    cwd: dir,
    env: releaseEnv(registry),
    timeoutMs,
  });
}

/**
 * Like `runScript`, but in the background with its output in `logFile`. Returns `{ done, kill }`:
 * `done` resolves when the script succeeds and rejects (with the log's last lines) when it fails
 * or runs past `timeoutMs`; `kill` ends its whole process group.
 */
export function runScriptInBackground(dir, registry, script, args, logFile, timeoutMs = 400_000) {
  const fd = openSync(logFile, 'w');
  const child = spawn(PNPM[0], [...PNPM.slice(1), 'run', script, ...args], {
    cwd: dir,
    env: { ...process.env, ...releaseEnv(registry) },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', killGroup);
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(killGroup, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('exit', killGroup);
      if (code === 0) return resolve();
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      reject(
        new Error(
          `\`pnpm run ${script} ${args.join(' ')}\` failed in ${dir}: ${signal ?? `exit ${code}`}\n${tail}`,
        ),
      );
    });
  });
  done.catch(() => {}); // the caller awaits it; this keeps an early failure from being unhandled
  return { done, kill: killGroup };
}
