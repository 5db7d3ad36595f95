import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkXml, packageRoot, repoRoot } from './helpers';

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const bin = path.join(packageRoot, 'src/bin.ts');

// Pipes are not TTYs, so no colours either way; drop colour variables so Node prints no warning about them.
const { NO_COLOR: _noColor, FORCE_COLOR: _forceColor, ...childEnv } = process.env;

function anneal(args: readonly string[], options: { input?: string; cwd?: string } = {}) {
  const result = spawnSync(tsx, ['--conditions=@anneal/source', bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    input: options.input,
    encoding: 'utf8',
    env: childEnv,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'anneal-bin-'));
  writeFileSync(path.join(dir, 'broken.json'), '{"type": "constant", "value": }');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the anneal bin as a child process', () => {
  it('prints values for a config piped on stdin', () => {
    const result = anneal(['values', '-', '--steps', '0:3'], { input: '{"type":"constant","value":0.125}' });
    expect(result).toEqual({ code: 0, stdout: '[0.125,0.125,0.125,0.125]\n', stderr: '' });
  });

  it('plots the example config and writes an SVG', () => {
    const out = path.join(dir, 'example.svg');
    const result = anneal(['plot', 'examples/warmup-cosine.json', '--out', out, '--width', '72']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('warmupCosineDecay · steps 0–11000');
    expect(result.stdout).toContain('phases: warmup 0–500 · hold 500–1500');
    expect(checkXml(readFileSync(out, 'utf8')).problems).toEqual([]);
  });

  it('exits 2 on a usage error and 1 on malformed JSON, without a stack trace', () => {
    const usage = anneal(['values', '--nope']);
    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe('');
    expect(usage.stderr).toBe(
      'anneal values: unknown option --nope (expected one of --steps, --format, --cases, --steps-per-epoch, --updates-per-epoch, --help)\nRun "anneal values --help" for usage.\n',
    );
    const malformed = anneal(['validate', 'broken.json'], { cwd: dir });
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toBe(
      'anneal validate: broken.json:1:31: invalid JSON: expected a value, found "}"\n',
    );
    expect(malformed.stderr).not.toMatch(/\n\s+at /);
  });

  it('ends quietly when the reader closes the pipe early', () => {
    const command = `set -o pipefail; "${tsx}" --conditions=@anneal/source "${bin}" values examples/warmup-cosine.json --steps 0:2000000 | head -c 16`;
    const result = spawnSync('bash', ['-c', command], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.stdout).toBe('[0,0.000002,0.00');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('prints the version', () => {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(anneal(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});
