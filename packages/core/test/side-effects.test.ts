import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Families register their config type when their module runs. Bundlers drop modules that
// package.json declares side-effect free, so every registering module must be listed in
// "sideEffects" (otherwise fromConfig/fromReference forget types in bundled browser builds).
const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { sideEffects: string[] };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !/\.test(-utils)?\.ts$/.test(entry.name) ? [full] : [];
  });
}

function matches(glob: string, file: string): boolean {
  const pattern = glob.replace(/^\.\//, '').replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*');
  return new RegExp(`^${pattern}$`).test(file);
}

describe('package.json sideEffects', () => {
  it('lists every module that registers a family or the reference handler', () => {
    const registering = sourceFiles(path.join(root, 'src'))
      .map((file) => path.relative(root, file).split(path.sep).join('/'))
      .filter((file) => file !== 'src/schedule.ts')
      .filter((file) =>
        /\bdefineFamily\s*[<(]|\bsetReferenceHandler\s*\(/.test(readFileSync(path.join(root, file), 'utf8')),
      );
    expect(registering.length).toBeGreaterThan(20);
    const unlisted = registering.filter((file) => !pkg.sideEffects.some((glob) => matches(glob, file)));
    expect(unlisted).toEqual([]);
  });

  it('keeps the rest of the package side-effect free', () => {
    expect(pkg.sideEffects.every((glob) => glob.startsWith('./src/'))).toBe(true);
    expect(pkg.sideEffects.some((glob) => matches(glob, 'src/schedule.ts'))).toBe(false);
  });
});
