// The browser consumer of the registry round trip: a throwaway Vite project installs @anneal/core
// and @anneal/tfjs from the local registry (tfjs-core, -layers, -backend-cpu and Vite itself from
// the usual registry), builds, and its page runs in headless Chromium: it evaluates optax's
// warmup_cosine_decay_schedule through `fromReference` at every step of the golden case and trains
// a small model with `learningRateScheduler`. The values must equal optax's own output
// (../shared/golden/optax.json) and the learning rate tfjs used at step k must be
// Math.fround(schedule(k)).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { makeConsumer, npmInstall, writeIn } from './consumers.mjs';
import { run } from './workspace-copy.mjs';

const require = createRequire(import.meta.url);
const GOLDEN_CASE = 'optax-warmup-cosine';
const PAGE_TIMEOUT_MS = 60_000;

const indexHtml = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>anneal in the browser</title></head>
  <body>
    <pre id="result"></pre>
    <script type="module" src="/main.js"></script>
  </body>
</html>
`;

const mainJs = `import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { fromReference } from '@anneal/core/reference';
import { learningRateScheduler } from '@anneal/tfjs';
import golden from './golden-case.json';

async function main() {
  await tf.setBackend('cpu');
  const schedule = fromReference({ api: golden.api, params: golden.params, base_lr: golden.base_lr });
  const values = golden.steps.map((step) => schedule(step));
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 1 })] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const xs = tf.randomNormal([64, 4], 0, 1, 'float32', 1);
  const ys = tf.randomNormal([64, 1], 0, 1, 'float32', 2);
  const used = [];
  await model.fit(xs, ys, {
    batchSize: 8,
    epochs: 2,
    shuffle: false,
    verbose: 0,
    callbacks: [learningRateScheduler({ model, schedule, onLearningRate: (lr, step) => used.push([step, lr]) })],
  });
  return { values, used, backend: tf.getBackend(), iterations: model.optimizer.iterations };
}

const out = document.getElementById('result');
main()
  .then((result) => { out.textContent = JSON.stringify(result); })
  .catch((error) => { out.textContent = JSON.stringify({ error: String(error && error.stack ? error.stack : error) }); })
  .finally(() => { out.dataset.done = 'true'; });
`;

function serve(folder) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const file = path.join(folder, path.normalize(url.pathname === '/' ? '/index.html' : url.pathname));
    if (!file.startsWith(folder)) return response.writeHead(403).end();
    try {
      const body = readFileSync(file);
      response
        .writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() }),
    ),
  );
}

async function runPage(url) {
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
    timeout: 30_000,
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url, { timeout: 30_000 });
    await page.waitForSelector('#result[data-done="true"]', { timeout: PAGE_TIMEOUT_MS });
    const result = JSON.parse(await page.textContent('#result'));
    if (result.error || errors.length)
      throw new Error(`the page failed: ${result.error ?? errors.join('; ')}`);
    return result;
  } finally {
    await browser.close();
  }
}

/** Page results against the golden case: values within 1e-12 (relative), tfjs's learning rates exact. */
export function compareWithGolden(result, golden) {
  const problems = [];
  golden.steps.forEach((step, i) => {
    const expected = golden.lr[i];
    const received = result.values[i];
    if (!(Math.abs(received - expected) <= 1e-12 * Math.max(Math.abs(expected), 1e-300)))
      problems.push(`step ${step}: page ${received}, optax ${expected}`);
  });
  result.used.forEach(([step, lr], k) => {
    const index = golden.steps.indexOf(step);
    if (step !== k || index < 0 || lr !== Math.fround(result.values[index]))
      problems.push(
        `batch ${k}: tfjs used ${lr} at step ${step}; expected Math.fround(${result.values[index]})`,
      );
  });
  if (result.used.length !== 16 || result.iterations !== 16)
    problems.push(
      `expected 16 updates, got ${result.used.length} (optimizer.iterations ${result.iterations})`,
    );
  if (problems.length) throw new Error(`browser consumer: ${problems.slice(0, 5).join('; ')}`);
}

/** Installs, builds and runs the browser consumer; returns a one-line summary. */
export async function runBrowserConsumer({ base, registry, root }) {
  const goldenFile = path.join(root, '..', 'shared', 'golden', 'optax.json');
  const golden = JSON.parse(readFileSync(goldenFile, 'utf8')).cases.find((c) => c.id === GOLDEN_CASE);
  const dir = makeConsumer(base, 'browser', registry);
  const specs = [
    '@anneal/core',
    '@anneal/tfjs',
    '@tensorflow/tfjs-core@4.22.0',
    '@tensorflow/tfjs-layers@4.22.0',
    '@tensorflow/tfjs-backend-cpu@4.22.0',
    'vite@8.3.8',
  ];
  npmInstall(dir, specs);
  writeIn(dir, 'index.html', indexHtml);
  writeIn(dir, 'main.js', mainJs);
  writeIn(
    dir,
    'golden-case.json',
    JSON.stringify({ api: golden.api, params: golden.params, base_lr: golden.base_lr, steps: golden.steps }),
  );
  run(
    process.execPath,
    [path.join(dir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: dir,
      timeoutMs: 120_000,
    },
  );
  const server = await serve(path.join(dir, 'dist'));
  try {
    const result = await runPage(server.url);
    compareWithGolden(result, golden);
    return `npm install ${specs.join(' ')}; vite build; Chromium (${result.backend} backend): ${golden.steps.length} values equal optax ${golden.api} within 1e-12, ${result.used.length} tfjs updates used Math.fround(schedule(k))`;
  } finally {
    server.close();
  }
}
