import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkMetadata,
  derivedMetadata,
  lintWorkflows,
  repositoryWebUrl,
  // @ts-expect-error: a plain .mjs script without declarations
} from './check-release-config.mjs';

let root: string;
/** `${{ name }}`, an Actions expression, spelled so it is not read as a template placeholder. */
const expression = (name: string) => ['$', '{{ ', name, ' }}'].join('');
const url = 'git+https://github.com/owner/project.git';

function write(file: string, text: string): void {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
}

function json(file: string, value: unknown): void {
  write(file, `${JSON.stringify(value, null, 2)}\n`);
}

function readJson(file: string) {
  return JSON.parse(readFileSync(path.join(root, file), 'utf8'));
}

/** A root and one public and one private package whose metadata all derive from `url`. */
function makeRoot(): void {
  root = mkdtempSync(path.join(tmpdir(), 'release-config-'));
  const engines = { node: '>=20.19' };
  json('package.json', {
    name: 'monorepo',
    private: true,
    license: 'MIT',
    engines,
    repository: { type: 'git', url },
    homepage: 'https://github.com/owner/project#readme',
    bugs: { url: 'https://github.com/owner/project/issues' },
  });
  write('LICENSE', 'MIT License\n');
  json('packages/core/package.json', {
    name: '@x/core',
    license: 'MIT',
    engines,
    repository: { type: 'git', url, directory: 'packages/core' },
    homepage: 'https://github.com/owner/project/tree/main/packages/core#readme',
    bugs: { url: 'https://github.com/owner/project/issues' },
    keywords: ['schedule'],
    files: ['dist'],
    publishConfig: { access: 'public', provenance: true },
  });
  write('packages/core/LICENSE', 'MIT License\n');
  json('packages/internal/package.json', { name: 'internal', private: true });
}

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('release metadata', () => {
  it('derives the web address from the repository URL', () => {
    expect(repositoryWebUrl(url)).toBe('https://github.com/owner/project');
    expect(repositoryWebUrl('https://gitlab.example/group/name')).toBe('https://gitlab.example/group/name');
    expect(() => repositoryWebUrl('owner/project')).toThrow(
      'root package.json: repository.url must look like git+https://host/owner/name.git; received "owner/project".',
    );
    expect(derivedMetadata({ repository: { url } }, 'packages/cli')).toEqual({
      repository: { type: 'git', url, directory: 'packages/cli' },
      homepage: 'https://github.com/owner/project/tree/main/packages/cli#readme',
      bugs: { url: 'https://github.com/owner/project/issues' },
    });
  });

  it('accepts metadata that derives from the root, ignoring private packages', () => {
    makeRoot();
    expect(checkMetadata(root)).toEqual([]);
  });

  it('names every field that drifted, with expected and received values', () => {
    makeRoot();
    const pkg = readJson('packages/core/package.json');
    pkg.homepage = 'https://github.com/someone-else/project#readme';
    pkg.repository = { type: 'git', url };
    pkg.publishConfig = { access: 'public' };
    pkg.keywords = [];
    pkg.files = ['lib'];
    json('packages/core/package.json', pkg);
    write('packages/core/LICENSE', 'Apache\n');
    expect(checkMetadata(root)).toEqual([
      `packages/core/package.json: repository must be {"type":"git","url":"${url}","directory":"packages/core"}; received {"type":"git","url":"${url}"}.`,
      'packages/core/package.json: homepage must be "https://github.com/owner/project/tree/main/packages/core#readme"; received "https://github.com/someone-else/project#readme".',
      'packages/core/package.json: publishConfig must be {"access":"public","provenance":true}; received {"access":"public"}.',
      'packages/core/package.json: keywords must be a non-empty array; received [].',
      'packages/core/package.json: files must list "dist"; received ["lib"].',
      'packages/core/LICENSE: differs from the root LICENSE; copy it again.',
    ]);
  });

  it('moving the repository is one edit of the root URL plus --fix', () => {
    makeRoot();
    const rootPkg = readJson('package.json');
    rootPkg.repository.url = 'git+https://github.com/new-owner/anneal.git';
    json('package.json', rootPkg);
    expect(checkMetadata(root)).toHaveLength(5); // root homepage and bugs, the package's three fields
    expect(checkMetadata(root, { fix: true })).toEqual([]);
    expect(readJson('packages/core/package.json')).toMatchObject({
      repository: { url: 'git+https://github.com/new-owner/anneal.git', directory: 'packages/core' },
      homepage: 'https://github.com/new-owner/anneal/tree/main/packages/core#readme',
      bugs: { url: 'https://github.com/new-owner/anneal/issues' },
      keywords: ['schedule'],
    });
    expect(readJson('package.json').homepage).toBe('https://github.com/new-owner/anneal#readme');
  });

  it('reports a missing LICENSE', () => {
    makeRoot();
    rmSync(path.join(root, 'packages/core/LICENSE'));
    expect(checkMetadata(root)).toEqual(['packages/core/LICENSE: missing; copy the root LICENSE.']);
  });
});

describe('workflow lint (actionlint)', () => {
  it('passes a correct workflow and reports a mistyped context, permission and job dependency', async () => {
    makeRoot();
    write(
      '.github/workflows/good.yml',
      'on: push\npermissions:\n  id-token: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "$REF"\n        env:\n          REF: ' +
        expression('github.ref') +
        '\n',
    );
    expect(await lintWorkflows(root)).toEqual({ files: ['good.yml'], problems: [] });
    write(
      '.github/workflows/bad.yml',
      'on: push\npermissions:\n  id-tokens: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: [build]\n    steps:\n      - run: echo "' +
        expression('github.refs') +
        '"\n',
    );
    const { problems } = await lintWorkflows(root);
    expect(problems.join('\n')).toMatch(
      /^\.github\/workflows\/bad\.yml:3:3: unknown permission scope "id-tokens"/m,
    );
    expect(problems.join('\n')).toMatch(/bad\.yml:5:3: job "a" needs job "build" which does not exist/);
    expect(problems.join('\n')).toMatch(/bad\.yml:9:\d+: property "refs" is not defined/);
  });
});
