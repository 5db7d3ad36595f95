/** Where the tests find ../shared/golden (the reference libraries' own values), and reading its files. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/golden from the repository root, found by walking up from this file. */
export function goldenDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 12; depth++) {
    const candidate = join(directory, '..', 'shared', 'golden');
    try {
      if (readdirSync(candidate).some((name) => name.endsWith('.json'))) return candidate;
    } catch {
      // not here; keep walking up
    }
    directory = dirname(directory);
  }
  throw new Error('golden directory ../shared/golden not found above the test file');
}

/** The names of the golden files (`pytorch.json`, ...), sorted. */
export function goldenFileNames(): string[] {
  return readdirSync(goldenDirectory())
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** One golden file, parsed. */
export function readGolden<T>(name: string): T {
  return JSON.parse(readFileSync(join(goldenDirectory(), name), 'utf8')) as T;
}
