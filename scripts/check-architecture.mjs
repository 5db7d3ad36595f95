#!/usr/bin/env node
// Enforces the repository's structure rules (docs/architecture.md) on every non-test source file
// of packages/*/src, apps/*/src and tools/*/src, and prints what breaks them; exit 1 when anything does.
//
// - Imports: a package imports only relative paths inside its own folder, Node built-ins where it
//   may, and the packages its package.json declares (dependencies, peerDependencies). So core and
//   the logger import nothing from the workspace, adapters never import each other, apps reach
//   packages only through their entry points.
// - Browser-safe code imports no Node built-in: all of core, plot and tfjs; the logger's modules
//   other than its Node modules (node-*.ts: the platform, the writer class, the reader).
// - Size: no file over 500 lines, no function over 100 lines, except the tables listed below.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_FILE_LINES = 500;
const MAX_FUNCTION_LINES = 100;

/** Tables with one entry per library API or op: long by nature, each entry short. */
const tableFiles = new Set([
  'packages/core/src/reference/torch.ts',
  'packages/core/src/reference/optax.ts',
  'packages/core/src/reference/keras.ts',
  'packages/core/src/reference/timm.ts',
  'packages/core/src/reference/transformers.ts',
]);

/** Packages (by folder) whose every module may run in a browser. */
const browserPackages = new Set(['packages/core', 'packages/plot', 'packages/tfjs', 'apps/playground']);
/** Modules of other packages that must stay browser-safe (they are what a browser bundle of that package uses). */
const browserModules = [
  /^packages\/tensorboard-logger\/src\/(?!node-)/,
  // the onnxruntime-training browser entry's modules: all but the Node entry (index.ts) and src/node/
  /^packages\/onnxruntime-training\/src\/(?!index\.ts$|node\/)/,
];

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

function sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|mts|tsx)$/.test(entry.name) && !/\.test(-utils)?\.ts$|\.d\.ts$/.test(entry.name)
      ? [full]
      : [];
  });
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function importsOf(sourceFile) {
  const found = [];
  const visit = (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ specifier: node.moduleSpecifier.text, node });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, node });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function functionsOf(sourceFile) {
  const found = [];
  const visit = (node, name) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line;
      const end = sourceFile.getLineAndCharacterOfPosition(node.getEnd()).line;
      const label = node.name?.getText(sourceFile) ?? name ?? '(anonymous)';
      found.push({ label, line: start + 1, lines: end - start + 1 });
    }
    const childName =
      ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node)
        ? node.name.getText(sourceFile)
        : undefined;
    ts.forEachChild(node, (child) => visit(child, childName));
  };
  visit(sourceFile);
  return found;
}

/**
 * Checks every package and app under `root`; returns the problems (empty when the rules hold) and
 * how many source files were read.
 */
export function checkArchitecture(root = defaultRoot) {
  const problems = [];
  let filesChecked = 0;
  for (const group of ['packages', 'apps', 'tools']) {
    if (!existsSync(path.join(root, group))) continue;
    for (const entry of readdirSync(path.join(root, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const pkgDir = `${group}/${entry.name}`;
      const manifest = JSON.parse(readFileSync(path.join(root, pkgDir, 'package.json'), 'utf8'));
      const declared = new Set([
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
        ...Object.keys(manifest.optionalDependencies ?? {}),
      ]);
      for (const file of sourceFiles(path.join(root, pkgDir, 'src'))) {
        filesChecked += 1;
        const relative = path.relative(root, file).split(path.sep).join('/');
        const text = readFileSync(file, 'utf8');
        const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
        const browser =
          browserPackages.has(pkgDir) || browserModules.some((pattern) => pattern.test(relative));
        for (const { specifier, node } of importsOf(sourceFile)) {
          const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
          const where = `${relative}:${line}`;
          if (specifier.startsWith('.')) {
            const target = path.relative(
              path.join(root, pkgDir),
              path.resolve(path.dirname(file), specifier),
            );
            if (target.startsWith('..')) problems.push(`${where}: imports ${specifier}, outside ${pkgDir}`);
          } else if (nodeBuiltins.has(specifier)) {
            if (browser)
              problems.push(`${where}: imports the Node built-in ${specifier} in browser-safe code`);
          } else if (!declared.has(packageName(specifier))) {
            problems.push(
              `${where}: imports ${specifier}, which ${manifest.name}'s package.json does not declare`,
            );
          }
        }
        const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        if (tableFiles.has(relative)) continue;
        if (lines > MAX_FILE_LINES) problems.push(`${relative}: ${lines} lines (at most ${MAX_FILE_LINES})`);
        for (const fn of functionsOf(sourceFile)) {
          if (fn.lines > MAX_FUNCTION_LINES)
            problems.push(
              `${relative}:${fn.line}: function ${fn.label} has ${fn.lines} lines (at most ${MAX_FUNCTION_LINES})`,
            );
        }
      }
    }
  }
  return { problems, filesChecked };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { problems, filesChecked } = checkArchitecture(process.argv[2] ?? defaultRoot);
  if (problems.length > 0) {
    console.error(
      `architecture: ${problems.length} problem(s) in ${filesChecked} files:\n- ${problems.join('\n- ')}`,
    );
    process.exitCode = 1;
  } else {
    console.log(`architecture: ${filesChecked} source files follow the import, size and browser rules.`);
  }
}
