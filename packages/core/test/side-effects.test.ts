import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Nothing in core registers itself on import: `fromConfig` reads the explicit list in
// src/registry.ts. So the package is side-effect free and bundlers keep only what a user imports.
const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { sideEffects: unknown };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !/\.test(-utils)?\.ts$/.test(entry.name) ? [full] : [];
  });
}

describe('package.json sideEffects', () => {
  it('declares the package free of side effects', () => {
    expect(pkg.sideEffects).toBe(false);
  });

  it('has no module-level statement that registers anything (no register calls, no top-level mutation)', () => {
    const offenders = sourceFiles(path.join(root, 'src')).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return /^(register\w*|set\w*Handler)\s*\(|^\w+\.(set|push|add)\(/m.test(text);
    });
    expect(offenders.map((file) => path.relative(root, file))).toEqual([]);
  });

  it('lists every family that defineFamily declares in the registry fromConfig reads', () => {
    const registry = readFileSync(path.join(root, 'src/registry.ts'), 'utf8');
    const declared = sourceFiles(path.join(root, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/export const (\w+) = defineFamily\b/g)].map((m) => m[1]!),
    );
    expect(declared.length).toBeGreaterThan(20);
    expect(declared.filter((name) => !new RegExp(`^    ${name},$`, 'm').test(registry))).toEqual([]);
  });
});
