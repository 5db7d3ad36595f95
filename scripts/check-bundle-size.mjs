#!/usr/bin/env node
// Bundles small consumer files of the built @anneal/core (dist/, through its exports map) with
// esbuild, minified, and prints a table of raw and gzip sizes. Exits 1 when a budget is exceeded.
// Run after `pnpm build`. Figures: docs/benchmarks/bundle-size.md.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KB = 1024;

/** Each consumer: what a user writes, and its gzip budget (undefined: reported only). */
const consumers = [
  {
    name: 'one family (warmupCosineDecay)',
    code: "import { warmupCosineDecay } from '@anneal/core';\nconsole.log(warmupCosineDecay({ peakValue: 1e-3, totalSteps: 1000, warmupSteps: 100 })(50));",
    budget: 4 * KB,
  },
  {
    name: 'one composite (scale, reads nested configs)',
    code: "import { scale, constant } from '@anneal/core';\nconsole.log(scale({ schedule: constant({ value: 1 }), factor: 0.5 })(0));",
  },
  {
    name: 'fromConfig (every native family)',
    code: "import { fromConfig } from '@anneal/core';\nconsole.log(fromConfig(JSON.parse(process.argv[2]))(0));",
    budget: 20 * KB,
  },
  {
    name: 'whole @anneal/core entry',
    code: "import * as core from '@anneal/core';\nconsole.log(Object.keys(core).length);",
  },
  {
    name: 'reference layer (@anneal/core/reference fromAnyConfig)',
    code: "import { fromAnyConfig } from '@anneal/core/reference';\nconsole.log(fromAnyConfig(JSON.parse(process.argv[2]))(0));",
  },
];

const work = mkdtempSync(path.join(tmpdir(), 'anneal-bundle-size-'));
try {
  mkdirSync(path.join(work, 'node_modules', '@anneal'), { recursive: true });
  symlinkSync(path.join(root, 'packages', 'core'), path.join(work, 'node_modules', '@anneal', 'core'), 'dir');
  const rows = [];
  let failed = false;
  for (const [index, consumer] of consumers.entries()) {
    const entry = path.join(work, `consumer-${index}.mjs`);
    writeFileSync(entry, consumer.code);
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      write: false,
      absWorkingDir: work,
      logLevel: 'silent',
    });
    const bytes = result.outputFiles[0].contents;
    const gzip = gzipSync(bytes, { level: 9 }).length;
    const over = consumer.budget !== undefined && gzip > consumer.budget;
    failed ||= over;
    rows.push({
      consumer: consumer.name,
      'minified KB': (bytes.length / KB).toFixed(1),
      'gzip KB': (gzip / KB).toFixed(1),
      'budget (gzip KB)': consumer.budget === undefined ? 'reported' : (consumer.budget / KB).toFixed(0),
      verdict: consumer.budget === undefined ? '' : over ? 'OVER' : 'ok',
    });
  }
  console.table(rows);
  if (failed) {
    console.error('bundle size: a budget is exceeded (see the table above).');
    process.exitCode = 1;
  } else {
    console.log('bundle size: every budget met.');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
