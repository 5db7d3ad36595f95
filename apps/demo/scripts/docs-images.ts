/**
 * Makes the pictures in docs/demo.md from a finished run:
 *   docs/images/demo-report.png              a screenshot of <run>/report.html
 *   docs/images/demo-tensorboard-scalars.png the scalars the run wrote to TensorBoard, read back
 *                                            from the event files with @anneal/tensorboard-logger
 *                                            and drawn as SVG (TensorBoard itself is not installed
 *                                            here; this is not a TensorBoard screenshot).
 * Usage: pnpm --filter demo docs:images <run folder>   (needs /usr/bin/chromium)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLogdir } from '@anneal/tensorboard-logger';
import { chromium } from 'playwright-core';
import { escapeXml, lineChart, type Series } from '../src/svg';

const runDirectory = process.argv[2];
if (!runDirectory) {
  process.stderr.write('usage: docs-images <run folder (holding report.html and tensorboard/)>\n');
  process.exit(2);
}
const run = resolve(runDirectory);
const images = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
mkdirSync(images, { recursive: true });

/** Run folders are `<environment>-<runtime>-<backend>`: one colour per backend, ONNX Runtime dashed. */
const backendColors: Record<string, string> = {
  wasm: '#f97316',
  cpu: '#2563eb',
  cuda: '#16a34a',
  webgl: '#9333ea',
  webgpu: '#059669',
};
const styleOf = (name: string): { color: string; dash?: string; width?: number } => {
  const [environment, runtime, backend] = name.split('-') as [string, string, string];
  const color =
    environment === 'browser' && runtime === 'onnxruntime' && backend === 'wasm'
      ? '#dc2626'
      : (backendColors[backend] ?? '#6b7280');
  return runtime === 'tfjs'
    ? { color, width: environment === 'node' ? 3 : 2.2 }
    : { color, dash: '6 4', width: 1.5 };
};

const runs = await readLogdir(join(run, 'tensorboard'));
const chart = (tag: string, title: string, yLabel: string, markers = false) =>
  lineChart({
    title: `${tag} — ${title}`,
    xLabel: tag.startsWith('epoch_') ? 'epoch' : 'step',
    yLabel,
    width: 520,
    height: 280,
    legend: tag.includes('accuracy') ? 'bottom' : 'top',
    // Node runs first, tfjs thick, ONNX Runtime dashed on top, so identical curves stay visible.
    series: Object.entries(runs)
      .sort(([a], [b]) =>
        a.startsWith('node') === b.startsWith('node') ? a.localeCompare(b) : a.startsWith('node') ? -1 : 1,
      )
      .map(
        ([name, data]): Series => ({
          name,
          ...styleOf(name),
          markers,
          markerRadius: name.includes('-tfjs-') ? 6 : 3.5,
          points: (data.scalars[tag] ?? []).map((point) => [point.step, point.value] as const),
        }),
      ),
  });
const tags = Object.entries(runs)
  .map(
    ([name, data]) =>
      `${name}: ${Object.keys(data.scalars).join(', ')}; histograms ${Object.keys(data.histograms).join(', ')}`,
  )
  .join('<br>');
const page = `<!doctype html><html><head><meta charset="utf-8"><style>
body { font: 13px system-ui, sans-serif; margin: 16px; color: #111827; width: 1080px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
svg { border: 1px solid #e5e7eb; border-radius: 6px; }
p { color: #4b5563; }
</style></head><body>
<h2>TensorBoard scalars written by the demo, read back from the event files</h2>
<p>Drawn from the run's tensorboard/ folder with @anneal/tensorboard-logger's reader (TensorBoard itself is not installed here, so this is a redrawing, not a TensorBoard screenshot). Runs and tags:<br>${escapeXml(tags).replace(/&lt;br&gt;/g, '<br>')}</p>
<div class="grid">
${chart('batch_learning_rate', 'learning rate per step', 'learning rate')}
${chart('batch_loss', 'loss per step', 'cross-entropy')}
${chart('batch_accuracy', 'batch accuracy per step', 'accuracy')}
${chart('epoch_test_accuracy', 'test accuracy per epoch', 'accuracy', true)}
</div></body></html>`;
const scalarsPage = join(run, 'tensorboard-scalars.html');
writeFileSync(scalarsPage, page);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1240, height: 900 } });
  await tab.goto(`file://${join(run, 'report.html')}`);
  await tab.screenshot({ path: join(images, 'demo-report.png'), fullPage: true });
  const scalars = await browser.newPage({ viewport: { width: 1112, height: 700 } });
  await scalars.goto(`file://${scalarsPage}`);
  await scalars.screenshot({ path: join(images, 'demo-tensorboard-scalars.png'), fullPage: true });
} finally {
  await browser.close();
}
process.stdout.write(
  `wrote ${join(images, 'demo-report.png')} and ${join(images, 'demo-tensorboard-scalars.png')}\n`,
);
