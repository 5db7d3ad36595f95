/** Regenerates the golden event files (run with `npm run golden:update`), then review them with the golden test. */

import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGolden } from './golden';

const target = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'golden');
for (const encoding of ['simpleValue', 'tensor'] as const) {
  const scratch = mkdtempSync(join(tmpdir(), 'anneal-golden-'));
  const file = await writeGolden(scratch, encoding);
  mkdirSync(join(target, encoding), { recursive: true });
  copyFileSync(file, join(target, encoding, basename(file)));
  rmSync(scratch, { recursive: true, force: true });
  console.log(`wrote ${join(target, encoding, basename(file))}`);
}
