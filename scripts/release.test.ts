// The release script against throwaway git repositories: each refusal is one line and nothing is
// published; the happy paths run their steps in order (`npm run` for the checks, and a recording
// `changeset` executable in node_modules/.bin standing in for the CLI, so no registry is needed).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  execCommand,
  main,
  pendingChangesets,
  provenanceEnv,
  ReleaseRefusal,
  releasePublish,
  releaseSnapshot,
  validateSnapshotTag,
  // @ts-expect-error: a plain .mjs script without declarations
} from './release.mjs';

let repo: string;

function write(file: string, text: string): void {
  const full = path.join(repo, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
}

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

function commitAll(message: string): void {
  git('add', '.');
  git('commit', '-q', '-m', message);
}

/** Records each step in steps.log; `changeset version` bumps the package and eats the changesets. */
const fakeChangeset = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync('steps.log', 'changeset ' + args.join(' ') + '\\n');
if (args[0] === 'version') {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  pkg.version = '0.0.0-' + args[2] + '-20260101000000';
  fs.writeFileSync('package.json', JSON.stringify(pkg));
  for (const f of fs.readdirSync('.changeset')) if (f.endsWith('.md') && f !== 'README.md') fs.rmSync('.changeset/' + f);
  fs.writeFileSync('CHANGELOG.md', '# new\\n');
}
if (args[0] === 'publish' && process.env.FAIL_PUBLISH) process.exit(3);
`;

function makeRepo({
  build = 'ok',
  check = 'ok',
}: {
  build?: 'ok' | 'fail';
  check?: 'ok' | 'fail';
} = {}): void {
  repo = mkdtempSync(path.join(tmpdir(), 'anneal-release-'));
  const step = (name: string, outcome: 'ok' | 'fail') =>
    `node -e "require('fs').appendFileSync('steps.log','${name}\\n');process.exit(${outcome === 'ok' ? 0 : 1})"`;
  write(
    'package.json',
    JSON.stringify({
      name: 'fixture',
      version: '0.1.0',
      private: true,
      scripts: { 'build:packages': step('build', build), 'check:packages': step('check:packages', check) },
    }),
  );
  write('.gitignore', 'node_modules\nsteps.log\n');
  write('.changeset/README.md', 'changesets live here\n');
  write('.changeset/config.json', '{}\n');
  write('node_modules/.bin/changeset', fakeChangeset);
  chmodSync(path.join(repo, 'node_modules/.bin/changeset'), 0o755);
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ci@example.invalid');
  git('config', 'user.name', 'ci');
  commitAll('initial');
}

function steps(): string[] {
  const log = path.join(repo, 'steps.log');
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
}

function refusal(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ReleaseRefusal);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ReleaseRefusal');
}

const publish = () => releasePublish({ cwd: repo, pm: 'npm' });
const snapshot = (tag = 'ci') => releaseSnapshot({ cwd: repo, tag, pm: 'npm' });

afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('release publish', () => {
  it('refuses a dirty tree, naming the changed files, and runs nothing', () => {
    makeRepo();
    write('package.json', '{"name":"fixture","version":"9.9.9"}');
    write('notes.txt', 'draft\n');
    expect(refusal(publish)).toBe(
      'refusing to publish: the git tree has 2 uncommitted change(s) (package.json, notes.txt); commit or remove them first.',
    );
    expect(steps()).toEqual([]);
  });

  it('refuses unversioned changesets, naming them', () => {
    makeRepo();
    for (const name of ['brave-cats', 'calm-dogs', 'dry-owls', 'eager-ants'])
      write(`.changeset/${name}.md`, "---\n'fixture': patch\n---\n\nfix\n");
    commitAll('changesets');
    expect(refusal(publish)).toBe(
      'refusing to publish: 4 changeset(s) are not versioned yet (brave-cats.md, calm-dogs.md, dry-owls.md and 1 more); run `pnpm changeset version`, review and commit, then release.',
    );
    expect(steps()).toEqual([]);
  });

  it('refuses when the build fails and never publishes', () => {
    makeRepo({ build: 'fail' });
    expect(refusal(publish)).toBe(
      'refusing to publish: `npm run build:packages` failed (exit 1); nothing was published.',
    );
    expect(steps()).toEqual(['build']);
  });

  it('refuses when the package checks fail and never publishes', () => {
    makeRepo({ check: 'fail' });
    expect(refusal(publish)).toBe(
      'refusing to publish: `npm run check:packages` failed (exit 1); nothing was published.',
    );
    expect(steps()).toEqual(['build', 'check:packages']);
  });

  it('builds, checks, then runs changeset publish on a clean, versioned tree', () => {
    makeRepo();
    publish();
    expect(steps()).toEqual(['build', 'check:packages', 'changeset publish']);
  });

  it('counts changesets that pre-release mode already versioned (listed in pre.json) as released', () => {
    makeRepo();
    write('.changeset/brave-cats.md', "---\n'fixture': minor\n---\n\nfeature\n");
    write('.changeset/pre.json', JSON.stringify({ mode: 'pre', tag: 'next', changesets: ['brave-cats'] }));
    commitAll('pre mode');
    expect(pendingChangesets(repo)).toEqual([]);
    publish();
    expect(steps()).toEqual(['build', 'check:packages', 'changeset publish']);
    write('.changeset/calm-dogs.md', "---\n'fixture': patch\n---\n\nfix\n");
    commitAll('one more');
    expect(pendingChangesets(repo)).toEqual(['calm-dogs.md']);
  });

  it('reports a failing changeset publish as a refusal line', () => {
    makeRepo();
    const exec = (command: string, args: string[], options: { cwd: string }) =>
      execCommand(command, args, { ...options, env: { FAIL_PUBLISH: '1' } });
    expect(refusal(() => releasePublish({ cwd: repo, pm: 'npm', exec }))).toBe(
      'publish: `changeset publish` failed (exit 3).',
    );
  });
});

describe('release snapshot', () => {
  it('versions, checks and publishes under the tag without git tags, then restores the tree', () => {
    makeRepo();
    write('.changeset/brave-cats.md', "---\n'fixture': patch\n---\n\nfix\n");
    commitAll('changeset');
    snapshot('canary');
    expect(steps()).toEqual([
      'changeset version --snapshot canary',
      'build',
      'check:packages',
      'changeset publish --tag canary --no-git-tag',
    ]);
    expect(git('status', '--porcelain')).toBe('');
    expect(JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version).toBe('0.1.0');
    expect(existsSync(path.join(repo, '.changeset/brave-cats.md'))).toBe(true);
    expect(existsSync(path.join(repo, 'CHANGELOG.md'))).toBe(false);
  });

  it('restores the tree even when a check fails after versioning', () => {
    makeRepo({ check: 'fail' });
    write('.changeset/brave-cats.md', "---\n'fixture': patch\n---\n\nfix\n");
    commitAll('changeset');
    expect(refusal(() => snapshot())).toBe(
      'refusing to publish a snapshot: `npm run check:packages` failed (exit 1); nothing was published.',
    );
    expect(git('status', '--porcelain')).toBe('');
  });

  it('refuses without a pending changeset', () => {
    makeRepo();
    expect(refusal(() => snapshot())).toMatch(
      /^refusing to publish a snapshot: there is no pending changeset/,
    );
    expect(steps()).toEqual([]);
  });

  it('refuses a dirty tree before anything else', () => {
    makeRepo();
    write('.changeset/brave-cats.md', "---\n'fixture': patch\n---\n\nfix\n");
    expect(refusal(() => snapshot())).toBe(
      'refusing to publish a snapshot: the git tree has 1 uncommitted change(s) (.changeset/brave-cats.md); commit or remove them first.',
    );
  });

  it('refuses in pre-release mode', () => {
    makeRepo();
    write('.changeset/pre.json', JSON.stringify({ mode: 'pre', tag: 'next', changesets: [] }));
    write('.changeset/brave-cats.md', "---\n'fixture': patch\n---\n\nfix\n");
    commitAll('pre');
    expect(refusal(() => snapshot())).toMatch(/repository is in pre-release mode \(\.changeset\/pre\.json\)/);
  });

  it.each([
    ['latest', '"latest"'],
    ['1.2.3', '"1.2.3"'],
    ['Canary', '"Canary"'],
    ['', '""'],
    [undefined, 'undefined'],
    ['a'.repeat(33), `"${'a'.repeat(33)}"`],
  ])('rejects the tag %j', (tag, shown) => {
    expect(refusal(() => validateSnapshotTag(tag))).toBe(
      `snapshot: the tag must be a lowercase dist-tag other than "latest" (letters, digits, "-"; at most 32 characters, starting with a letter); received ${shown}.`,
    );
  });
});

describe('release command line', () => {
  it('prints one line and exits 1 on a refusal, 2 on bad usage', () => {
    makeRepo();
    write('stray.txt', 'x\n');
    const lines: string[] = [];
    const exec = () => {
      throw new Error('nothing may run');
    };
    expect(main(['publish'], { cwd: repo, exec, log: (line: string) => lines.push(line) })).toBe(1);
    expect(main(['snapshot'], { cwd: repo, exec, log: (line: string) => lines.push(line) })).toBe(1);
    expect(main(['deploy'], { cwd: repo, exec, log: (line: string) => lines.push(line) })).toBe(2);
    expect(lines).toEqual([
      'release: refusing to publish: the git tree has 1 uncommitted change(s) (stray.txt); commit or remove them first.',
      'release: snapshot: the tag must be a lowercase dist-tag other than "latest" (letters, digits, "-"; at most 32 characters, starting with a letter); received undefined.',
      'usage: node scripts/release.mjs publish | snapshot <tag>',
    ]);
  });

  it('names a directory that is not a git repository', () => {
    repo = mkdtempSync(path.join(tmpdir(), 'anneal-release-'));
    expect(refusal(publish)).toMatch(
      /^`git status --porcelain --untracked-files=all` failed in .*: fatal: not a git repository/,
    );
  });
});

describe('provenance for pnpm publish', () => {
  /** A stand-in `pnpm` on its own folder that records its arguments. */
  function fakePnpm(): { dir: string; log: string } {
    const dir = mkdtempSync(path.join(tmpdir(), 'anneal-fake-pnpm-'));
    const log = path.join(dir, 'args.log');
    writeFileSync(path.join(dir, 'pnpm'), `#!/bin/sh\necho "$@" >> ${JSON.stringify(log)}\n`);
    chmodSync(path.join(dir, 'pnpm'), 0o755);
    return { dir, log };
  }

  it('changes nothing unless ANNEAL_RELEASE_PROVENANCE=1', () => {
    expect(provenanceEnv({ PATH: '/usr/bin' }).env).toEqual({});
    expect(provenanceEnv({ PATH: '/usr/bin', ANNEAL_RELEASE_PROVENANCE: 'true' }).env).toEqual({});
  });

  it('puts a pnpm first on PATH that adds --provenance to publish only, then removes it', () => {
    const fake = fakePnpm();
    const { env, cleanup } = provenanceEnv({ PATH: fake.dir, ANNEAL_RELEASE_PROVENANCE: '1' });
    const shimDir = env.PATH.split(path.delimiter)[0];
    expect(shimDir).not.toBe(fake.dir);
    const run = (...args: string[]) => execFileSync('pnpm', args, { env: { ...process.env, ...env } });
    run('publish', '--access', 'public', '--tag', 'latest');
    run('--version');
    expect(readFileSync(fake.log, 'utf8').trim().split('\n')).toEqual([
      'publish --provenance --access public --tag latest',
      '--version',
    ]);
    cleanup();
    expect(existsSync(shimDir)).toBe(false);
    rmSync(fake.dir, { recursive: true, force: true });
  });

  it('refuses in one line when there is no pnpm to forward to', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'anneal-no-pnpm-'));
    expect(() => provenanceEnv({ PATH: empty, ANNEAL_RELEASE_PROVENANCE: '1' })).toThrow(
      /refusing to publish with provenance \(ANNEAL_RELEASE_PROVENANCE=1\): no `pnpm` on PATH/,
    );
    rmSync(empty, { recursive: true, force: true });
  });
});
