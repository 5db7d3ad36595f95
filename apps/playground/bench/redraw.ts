/**
 * Redraw benchmark, measured inside Chromium: builds the app, opens it with 100,000 points per
 * curve and times redraws with performance.now() in the page (each followed by a one-pixel
 * getImageData, so the canvas has really been rasterized). Prints medians; asserts nothing.
 *
 * Then the heavy case (4 schedules × a 3,000-segment join × 1,000,000 points): how long the load
 * holds the page, how long the progressive sampling takes, the longest task while it runs (what
 * an input event may wait for), against sampling every point at once (what the page did before).
 *
 * Usage: pnpm --filter playground bench [redraws per case, default 40]   (needs /usr/bin/chromium)
 */
import { encodeState, formatConfig } from '../src/state';
import { buildApp, launchChromium, openPage, removeFolder, serve } from '../test/helpers/app';
import { heavyState } from '../test/helpers/heavy';

const repeats = Number(process.argv[2] ?? 40);
const configs = [
  {
    type: 'warmupCosineDecay',
    peakValue: 1e-3,
    totalSteps: 100_000,
    warmupSteps: 5_000,
    holdSteps: 10_000,
    finalValue: 1e-5,
  },
  {
    type: 'cosineRestarts',
    peakValue: 1e-3,
    firstCycleSteps: 7_000,
    cycleLengthFactor: 1.5,
    finalValue: 1e-5,
  },
  {
    type: 'noise',
    schedule: { type: 'cosineDecay', initialValue: 1e-3, decaySteps: 100_000 },
    rangeFraction: 0.3,
  },
  { type: 'stepDecay', initialValue: 1e-3, intervalSteps: 10_000, decayFactor: 0.7 },
];
const palette = ['#2563eb', '#dc2626', '#059669', '#d97706'];

function hashFor(count: number, points: number, scale: 'linear' | 'log'): string {
  return encodeState({
    series: configs.slice(0, count).map((config, index) => ({
      name: config.type,
      color: palette[index]!,
      text: formatConfig(config),
    })),
    active: 0,
    start: 0,
    end: 110_000,
    points,
    scale,
    probe: 0,
  });
}

interface Figures {
  readonly median: number;
  readonly p90: number;
  readonly min: number;
  readonly sampleMs: number;
  readonly layoutMs: number;
  readonly paintMs: number;
}

/**
 * The timing loop, as source text: tsx would wrap a function passed to page.evaluate in helpers
 * that do not exist in the page.
 */
const inPage = (repeats: number) => `(() => {
  const handle = window.annealPlayground;
  const canvas = document.getElementById('chart');
  const context = canvas.getContext('2d');
  const stats = (times) => {
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)], min: times[0] };
  };
  const time = (resample) => {
    const times = [];
    const parts = { sampleMs: [], layoutMs: [], paintMs: [] };
    for (let i = 0; i < ${repeats} + 3; i++) {
      const begin = performance.now();
      const timings = handle.redraw({ resample });
      context.getImageData(0, 0, 1, 1);
      if (i < 3) continue;
      times.push(performance.now() - begin);
      for (const key of Object.keys(parts)) parts[key].push(timings[key]);
    }
    const result = stats(times);
    for (const key of Object.keys(parts)) result[key] = stats(parts[key]).median;
    return result;
  };
  return { redraw: time(false), full: time(true), width: canvas.width };
})()`;

/** The heavy case, as source text (see inPage): the state is in window.heavyState. */
const heavyInPage = `(async () => {
  const handle = window.annealPlayground;
  const tasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, ms: entry.duration });
  }).observe({ type: 'longtask' });
  const note = document.getElementById('sampling-note');
  const begin = performance.now();
  handle.load(window.heavyState);
  const loaded = performance.now();
  while (note.hidden && performance.now() - loaded < 1000) await new Promise((go) => setTimeout(go, 5));
  while (!note.hidden) await new Promise((go) => setTimeout(go, 5));
  const done = performance.now();
  await new Promise((go) => setTimeout(go, 200));
  // The first frame after the load lays out its JSON text (once per text change, not per slice).
  const after = tasks.filter((task) => task.start >= loaded);
  const firstFrame = after.length > 0 && after[0].start < loaded + 50 ? after.shift().ms : 0;
  const allAtOnce = performance.now();
  handle.redraw({ resample: true });
  return {
    loadMs: loaded - begin,
    firstFrameMs: firstFrame,
    refineMs: done - loaded,
    longestWhileRefining: Math.max(0, ...after.filter((task) => task.start < done).map((task) => task.ms)),
    longTasksWhileRefining: after.filter((task) => task.start < done).length,
    allAtOnceMs: performance.now() - allAtOnce,
  };
})()`;

const folder = await buildApp();
const server = await serve(folder);
const browser = await launchChromium();
try {
  const { page, errors } = await openPage(browser, { width: 1280, height: 900 });
  const cases: [string, number, number, 'linear' | 'log'][] = [
    ['1 curve × 100,000 points, linear', 1, 100_000, 'linear'],
    ['1 curve × 100,000 points, log', 1, 100_000, 'log'],
    ['4 curves × 100,000 points, linear', 4, 100_000, 'linear'],
    ['1 curve × 1,000,000 points, linear', 1, 1_000_000, 'linear'],
  ];
  const rows: string[] = [];
  const version = browser.version();
  for (const [label, count, points, scale] of cases) {
    await page.goto(`${server.url}${hashFor(count, points, scale)}`);
    await page.waitForSelector('#probe-values tbody tr');
    const result = (await page.evaluate(inPage(repeats))) as {
      redraw: Figures;
      full: Figures;
      width: number;
    };
    const show = (figures: Figures, sampled: boolean) =>
      `median ${figures.median.toFixed(2)} ms, p90 ${figures.p90.toFixed(2)} ms, min ${figures.min.toFixed(2)} ms` +
      ` (medians: ${sampled ? `sample ${figures.sampleMs.toFixed(2)}, ` : ''}layout ${figures.layoutMs.toFixed(2)}, paint ${figures.paintMs.toFixed(2)} ms)`;
    rows.push(
      `${label} (canvas ${result.width} px wide)`,
      `  redraw (layout + paint):          ${show(result.redraw, false)}`,
      `  sample + redraw (after an edit):  ${show(result.full, true)}`,
      `  50 ms budget / median redraw:     ${(50 / result.redraw.median).toFixed(1)}×; / median sample + redraw: ${(50 / result.full.median).toFixed(1)}×`,
    );
  }
  process.stdout.write(`Chromium ${version}, ${repeats} redraws per case, headless, software rendering\n`);
  process.stdout.write(`${rows.join('\n')}\n`);

  const heavy = heavyState();
  for (let round = 1; round <= 3; round++) {
    await page.goto(server.url);
    await page.waitForSelector('#probe-values tbody tr');
    await page.evaluate((state) => {
      Object.assign(window, { heavyState: state });
    }, heavy);
    const figures = (await page.evaluate(heavyInPage)) as Record<string, number>;
    const ms = (key: string) => `${figures[key]!.toFixed(0)} ms`;
    process.stdout.write(
      `4 × 3,000-segment join × 1,000,000 points, round ${round}: load (build, preview, controls) ${ms('loadMs')}, ` +
        `first frame ${ms('firstFrameMs')}, then sampled in full in ${ms('refineMs')} with the longest task ` +
        `${ms('longestWhileRefining')} (${figures.longTasksWhileRefining} over 50 ms); every point at once: ${ms('allAtOnceMs')} in one task\n`,
    );
  }
  // The one-pixel readbacks above make Chromium suggest willReadFrequently; that is the benchmark's doing.
  const pageErrors = errors.filter((error) => !error.includes('willReadFrequently'));
  if (pageErrors.length > 0) process.stdout.write(`page errors: ${pageErrors.join('; ')}\n`);
} finally {
  await browser.close();
  await server.close();
  removeFolder(folder);
}
