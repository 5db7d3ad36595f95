/**
 * Takes the pictures in docs/playground.md from the built app in Chromium:
 *   docs/images/playground.png        desktop: a native schedule and a PyTorch config over its
 *                                     native equivalent, cursor at step 450
 *   docs/images/playground-phone.png  the same state on a phone-sized screen
 * Usage: pnpm --filter playground screenshot   (needs /usr/bin/chromium)
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { referenceExamples } from '../src/presets';
import { encodeState, formatConfig } from '../src/state';
import { buildApp, launchChromium, openPage, removeFolder, serve } from '../test/helpers/app';

const images = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
mkdirSync(images, { recursive: true });
const sequential = referenceExamples.find((example) => example.label.startsWith('PyTorch SequentialLR'))!;
const hash = encodeState({
  series: [
    {
      name: 'warm-up, hold, cosine',
      color: '#2563eb',
      text: formatConfig({
        type: 'warmupCosineDecay',
        peakValue: 1e-3,
        totalSteps: 1000,
        warmupSteps: 100,
        holdSteps: 150,
        finalValue: 1e-5,
      }),
    },
    { name: 'torch SequentialLR', color: '#dc2626', text: formatConfig(sequential.config) },
  ],
  active: 0,
  start: 0,
  end: 1100,
  points: 2001,
  scale: 'linear',
  probe: 450,
});

const folder = await buildApp();
const server = await serve(folder);
const browser = await launchChromium();
try {
  for (const [file, viewport] of [
    ['playground.png', { width: 1280, height: 860 }],
    ['playground-phone.png', { width: 390, height: 844 }],
  ] as const) {
    const { page, errors } = await openPage(browser, viewport);
    await page.goto(`${server.url}${hash}`);
    await page.waitForSelector('#probe-values tbody tr');
    await page.locator('#chart').scrollIntoViewIfNeeded();
    const box = (await page.locator('#chart').boundingBox())!;
    // Hover over step 450 (the plot starts 64 px in and ends 16 px before the right edge).
    await page.mouse.move(box.x + 64 + (450 / 1100) * (box.width - 80), box.y + box.height / 2);
    await page.screenshot({ path: `${images}${file}`, fullPage: file !== 'playground.png' });
    if (errors.length > 0) throw new Error(`The page reported errors: ${errors.join('; ')}`);
    process.stdout.write(`wrote docs/images/${file}\n`);
    await page.context().close();
  }
} finally {
  await browser.close();
  await server.close();
  removeFolder(folder);
}
