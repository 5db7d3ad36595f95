/**
 * The acceptance tests: the built page in Debian's Chromium (playwright-core), over http and
 * from file://. Screenshots go to apps/playground/test-artifacts/ (kept by CI).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromConfig, type Schedule, ScheduleConfigError, toConfig, warmupCosineDecay } from '@anneal/core';
import { fromReference } from '@anneal/core/reference';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeState, formatConfig } from '../src/state';
import {
  artifacts,
  buildApp,
  cleanArtifacts,
  launchChromium,
  openPage,
  removeFolder,
  serve,
} from './helpers/app';
import { heavyJoin, heavyState } from './helpers/heavy';

let folder: string;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
/** Errors and requests of the pages a test opened; checked after each test. */
let opened: { page: Page; errors: string[]; requests: string[] }[] = [];

beforeAll(async () => {
  cleanArtifacts();
  folder = await buildApp();
  server = await serve(folder);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (folder) removeFolder(folder);
});

afterEach(async () => {
  for (const { page, errors, requests } of opened) {
    expect(errors).toEqual([]);
    // No network: the page loads nothing but itself.
    const origin = page.url().startsWith('file:') ? 'file:' : server.url;
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:'))).toEqual([]);
    await page.context().close();
  }
  opened = [];
});

async function open(hash = '', viewport?: { width: number; height: number }): Promise<Page> {
  const session = await openPage(browser, viewport);
  opened.push(session);
  await session.page.goto(`${server.url}${hash}`);
  await session.page.waitForSelector('#probe-values tbody tr');
  return session.page;
}

/** The exact values the "value at step" table shows, per curve label. */
async function valuesAt(page: Page, step: number): Promise<Record<string, number>> {
  await page.fill('#probe-step', String(step));
  const rows = await page.$$eval('#probe-values tbody tr', (list) =>
    list.map((row) => [
      (row as HTMLElement).dataset.label!,
      (row.querySelector('td.value') as HTMLElement).dataset.value!,
    ]),
  );
  return Object.fromEntries(rows.map(([label, value]) => [label, Number(value)]));
}

/**
 * Chromium's V8 and Node 20's V8 round Math.cos, Math.pow, Math.exp and Math.log10 differently in
 * the last bit for a few percent of arguments, so a value the page shows can differ from the one
 * computed here by an ulp or two. A display that rounds, or a wrong formula, is far beyond the
 * 1e-13 relative allowed here.
 */
function expectSameLr(actual: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const [label, value] of Object.entries(expected)) {
    const shown = actual[label]!;
    if (shown !== value) expect(Math.abs(shown - value), label).toBeLessThanOrEqual(1e-13 * Math.abs(value));
  }
}

async function setConfigText(page: Page, text: string): Promise<void> {
  await page.fill('#config-text', text);
}

const headline = {
  peakValue: 3e-4,
  totalSteps: 3000,
  warmupSteps: 250,
  holdSteps: 500,
  initialValue: 1e-6,
  finalValue: 3e-6,
};

describe('playground in Chromium', () => {
  it('builds the warm-up/hold/cosine schedule through the controls and shows schedule(step) exactly', async () => {
    const page = await open();
    // Start from another family so that every value below comes from the controls.
    await page.selectOption('#family', 'cosineDecay');
    await page.selectOption('#family', 'warmupCosineDecay');
    expect(await page.locator('#family-summary').textContent()).toContain('Linear warm-up');
    for (const [name, value] of Object.entries(headline)) {
      const input = page.locator(`[data-path="${name}"]`);
      // Each control is labelled with its name and the unit from the suffix.
      expect(await page.locator(`label[for="opt-${name}"]`).textContent()).toMatch(
        new RegExp(`^${name} (lr|steps)$`),
      );
      await input.fill(String(value));
    }
    await page.fill('#range-end', '3300');
    const schedule = warmupCosineDecay(headline);
    expect(JSON.parse(await page.inputValue('#config-text'))).toEqual({
      type: 'warmupCosineDecay',
      ...headline,
    });
    expect(await page.locator('#issues').textContent()).toBe('');

    for (const step of [0, 1, 125, 249.5, 250, 600, 750, 750.25, 1875, 2999, 3000, 3200]) {
      expectSameLr(await valuesAt(page, step), { 'schedule 1': schedule(step) });
    }

    // The value under the cursor: hover at several places, read (step, lr).
    const box = (await page.locator('#chart').boundingBox())!;
    for (const fraction of [0.1, 0.3, 0.5, 0.8]) {
      await page.mouse.move(box.x + 64 + fraction * (box.width - 80), box.y + box.height / 2);
      const text = (await page.locator('#cursor-readout').textContent())!;
      const match = /^step (\S+) — schedule 1: (\S+)$/.exec(text);
      expect(match, text).not.toBeNull();
      expectSameLr({ lr: Number(match![2]) }, { lr: schedule(Number(match![1])) });
    }
    // Keyboard: focus the chart, End goes to the last step, arrows move back.
    await page.focus('#chart');
    await page.keyboard.press('End');
    expect(await page.locator('#cursor-readout').textContent()).toBe(
      `step 3300 — schedule 1: ${schedule(3300)}`,
    );
    await page.keyboard.press('Home');
    expect(await page.locator('#cursor-readout').textContent()).toBe(`step 0 — schedule 1: ${schedule(0)}`);
    await page.keyboard.press('Shift+ArrowRight');
    expect(await page.locator('#cursor-readout').textContent()).toMatch(/^step [1-9]\d* — schedule 1: /);
    await page.screenshot({ path: join(artifacts, 'headline.png'), fullPage: true });
  });

  it('edits composites with nested controls: a child schedule, a constant factor, join segments', async () => {
    const page = await open();
    await page.selectOption('#family', 'warmup');
    await page.selectOption('[data-path="schedule.type"]', 'constant');
    await page.fill('[data-path="schedule.value"]', '0.2');
    await page.fill('[data-path="warmupSteps"]', '50');
    await page.selectOption('[data-path="shape"]', 'cosine');
    const warm = {
      type: 'warmup',
      schedule: { type: 'constant', value: 0.2 },
      warmupSteps: 50,
      shape: 'cosine',
    };
    expect(JSON.parse(await page.inputValue('#config-text'))).toEqual(warm);
    for (const step of [0, 10, 25, 49, 50, 80])
      expectSameLr(await valuesAt(page, step), { 'schedule 1': fromConfig(warm)(step) });

    // scale: the factor is a schedule or a plain number.
    await page.selectOption('#family', 'scale');
    await page.selectOption('[data-path="factor.type"]', '#number');
    await page.fill('[data-path="factor"]', '0.5');
    const scaled = JSON.parse(await page.inputValue('#config-text'));
    expect(scaled.factor).toBe(0.5);
    expectSameLr(await valuesAt(page, 300), { 'schedule 1': fromConfig(scaled)(300) });

    // join: add a segment (the former last one gets a length), edit it, remove the first.
    await page.selectOption('#family', 'join');
    await page.click('[data-path="segments.add"]');
    await page.fill('[data-path="segments[1].steps"]', '400');
    await page.fill('[data-path="segments[2].schedule.value"]', '0.0002');
    const joined = JSON.parse(await page.inputValue('#config-text'));
    expect(joined.segments).toHaveLength(3);
    expect(joined.segments[1].steps).toBe(400);
    expect(joined.segments[2]).toEqual({ schedule: { type: 'constant', value: 0.0002 }, steps: 100 });
    expect(await page.locator('#issues').textContent()).toBe('');
    expectSameLr(await valuesAt(page, 600), { 'schedule 1': 0.0002 });
    expectSameLr(await valuesAt(page, 250), { 'schedule 1': fromConfig(joined)(250) });
    await page.click('[data-path="segments[0].remove"]');
    expect(JSON.parse(await page.inputValue('#config-text')).segments).toHaveLength(2);
    await page.screenshot({ path: join(artifacts, 'composite-join.png'), fullPage: true });
  });

  it('lists every validation issue inline for invalid input and keeps the page working', async () => {
    const page = await open();
    const invalid = {
      type: 'warmupCosineDecay',
      peakValue: -1,
      totalSteps: 100,
      warmupSteps: 80,
      holdSteps: 50,
    };
    await setConfigText(page, formatConfig(invalid));
    let expected: string[] = [];
    try {
      fromConfig(invalid);
    } catch (error) {
      if (!ScheduleConfigError.isInstance(error)) throw error;
      expected = error.issues.map((issue) => `${issue.path} ${issue.message}`);
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(await page.locator('#issues li').allTextContents()).toEqual(expected);
    expect(await page.getAttribute('[data-path="peakValue"]', 'aria-invalid')).toBe('true');
    expect(await page.locator('#tab-0').textContent()).toContain('⚠');
    expect(await page.locator('#probe-values tbody tr').count()).toBe(0);

    // Two issues from one control change: fixing peakValue leaves the cross-field rule.
    await page.fill('[data-path="peakValue"]', '0.01');
    expect(await page.locator('#issues li').allTextContents()).toEqual([
      'warmupSteps warmupCosineDecay: warmupSteps + holdSteps must not exceed totalSteps (100); received 130.',
    ]);

    // Not JSON at all: where it breaks, and the controls say to fix the JSON.
    await setConfigText(page, '{\n  "type": "constant",\n  "value": 0.1,\n}');
    expect(await page.locator('#issues li').allTextContents()).toEqual([
      expect.stringMatching(/^The JSON does not parse \(line 4, column 1\): /),
    ]);
    expect(await page.locator('#controls').textContent()).toContain('not a config object yet');
    expect(await page.isVisible('#chart')).toBe(true);

    // An unknown reference API.
    await setConfigText(page, formatConfig({ api: 'torch.optim.lr_scheduler.Nope', params: {} }));
    expect(await page.locator('#issues li').allTextContents()).toEqual([
      expect.stringMatching(/^api fromReference: unknown api "torch\.optim\.lr_scheduler\.Nope"/),
    ]);
    await page.screenshot({ path: join(artifacts, 'invalid.png'), fullPage: true });

    // Fixed again: the curve is back.
    await setConfigText(page, formatConfig({ type: 'constant', value: 0.1 }));
    expect(await page.locator('#issues').textContent()).toBe('');
    expect(await valuesAt(page, 10)).toEqual({ 'schedule 1': 0.1 });
  });

  it('draws a pasted torch config over its native anneal equivalent', async () => {
    const page = await open();
    const torch = {
      api: 'torch.optim.lr_scheduler.CosineAnnealingLR',
      params: { T_max: 800, eta_min: 1e-5 },
      base_lr: 0.1,
    };
    await setConfigText(page, formatConfig(torch));
    const reference = fromReference(torch) as Schedule;
    const native = fromConfig(toConfig(reference));
    expect(await page.locator('#legend li').allTextContents()).toEqual([
      'schedule 1 (reference) (wide, pale)',
      'schedule 1 (native) (dashed)',
    ]);
    expect(await page.isVisible('#reference-panel')).toBe(true);
    expect(await page.locator('#native-config').textContent()).toBe(formatConfig(toConfig(reference)));
    for (const step of [0, 100, 400, 799, 800, 1000]) {
      expectSameLr(await valuesAt(page, step), {
        'schedule 1 (reference)': reference(step),
        'schedule 1 (native)': native(step),
      });
    }
    // Both curves are on the canvas: the dashed native curve in the series colour over the pale reference.
    const coloured = await page.evaluate(() => {
      const canvas = document.getElementById('chart') as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 0; i < data.length; i += 4)
        if (
          Math.abs(data[i]! - 0x25) < 8 &&
          Math.abs(data[i + 1]! - 0x63) < 8 &&
          Math.abs(data[i + 2]! - 0xeb) < 8
        )
          count++;
      return count;
    });
    expect(coloured).toBeGreaterThan(300);
    await page.screenshot({ path: join(artifacts, 'reference-overlay.png'), fullPage: true });

    // "Edit the native config" swaps in the native JSON and the controls.
    await page.click('#use-native');
    expect(JSON.parse(await page.inputValue('#config-text'))).toEqual(toConfig(reference));
    expect(await page.inputValue('#family')).toBe(toConfig(reference).type);
  });

  it('exports the config, values and chart, and re-imports the config', async () => {
    const page = await open();
    const config = { type: 'stepDecay', initialValue: 0.05, intervalSteps: 300, decayFactor: 0.5 };
    await setConfigText(page, formatConfig(config));
    const schedule = fromConfig(config);
    const save = async (button: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
      const path = join(artifacts, download.suggestedFilename());
      await download.saveAs(path);
      return path;
    };
    const jsonPath = await save('#download-json');
    expect(jsonPath.endsWith('anneal-stepDecay.json')).toBe(true);
    expect(JSON.parse(readFileSync(jsonPath, 'utf8'))).toEqual(toConfig(schedule));

    const csv = readFileSync(await save('#download-csv'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(csv[0]).toBe('step,schedule 1');
    expect(csv).toHaveLength(2002);
    for (const line of [csv[1]!, csv[600]!, csv[2001]!]) {
      const [step, value] = line.split(',').map(Number) as [number, number];
      expectSameLr({ value }, { value: schedule(step) });
    }
    const svg = readFileSync(await save('#download-svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('>schedule 1</text>');
    const png = readFileSync(await save('#download-png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBe(1920);

    // Copy JSON puts the same text on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.click('#copy-json');
    await expect
      .poll(() => page.locator('#status').textContent())
      .toBe('Copied the JSON config to the clipboard.');
    expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toEqual(toConfig(schedule));

    // Change the schedule, then import the exported file: the schedule comes back.
    await setConfigText(page, formatConfig({ type: 'constant', value: 1 }));
    expect(await valuesAt(page, 700)).toEqual({ 'schedule 1': 1 });
    await page.setInputFiles('#import-json', jsonPath);
    await expect.poll(() => page.inputValue('#config-text')).toBe(formatConfig(toConfig(schedule)));
    expectSameLr(await valuesAt(page, 700), { 'schedule 1': schedule(700) });
    expect(await page.locator('#status').textContent()).toBe(
      'Imported anneal-stepDecay.json into schedule 1.',
    );
  });

  it('compares four schedules on a log scale, and a link reproduces the chart', async () => {
    const page = await open();
    const configs = [
      { type: 'warmupCosineDecay', peakValue: 1e-3, totalSteps: 1000, warmupSteps: 100, finalValue: 1e-6 },
      { type: 'exponentialDecay', initialValue: 1e-3, decaySteps: 100, decayFactor: 0.5 },
      { type: 'oneCycle', maxValue: 1e-3, totalSteps: 1000 },
      { type: 'cosineRestarts', peakValue: 1e-3, firstCycleSteps: 200, finalValue: 1e-5 },
    ];
    await setConfigText(page, formatConfig(configs[0]));
    for (const config of configs.slice(1)) {
      await page.click('#add-series');
      await setConfigText(page, formatConfig(config));
    }
    expect(await page.locator('[role="tab"]').count()).toBe(4);
    expect(await page.isDisabled('#add-series')).toBe(true);
    await page.selectOption('#scale', 'log');
    await page.click('#tab-2');
    await page.fill('#series-name', 'one cycle');
    const expected = Object.fromEntries(
      configs.map((config, index) => [
        index === 2 ? 'one cycle' : `schedule ${index + 1}`,
        fromConfig(config)(450),
      ]),
    );
    expectSameLr(await valuesAt(page, 450), expected);
    const colours = await page.$$eval(
      '#tab-0 .swatch, #tab-1 .swatch, #tab-2 .swatch, #tab-3 .swatch',
      (list) => list.map((node) => (node as HTMLElement).style.background),
    );
    expect(new Set(colours).size).toBe(4);
    await page.screenshot({ path: join(artifacts, 'compare-log.png'), fullPage: true });

    // Copy link writes the state into the URL at once; a new page from that link shows the same.
    await page.click('#copy-link');
    const link = page.url();
    const state = decodeState(new URL(link).hash)!;
    expect(state.scale).toBe('log');
    expect(state.series.map((series) => JSON.parse(series.text))).toEqual(configs);
    const again = await open(new URL(link).hash);
    expect(await again.inputValue('#scale')).toBe('log');
    expect(await again.inputValue('#series-name')).toBe('one cycle');
    expectSameLr(await valuesAt(again, 450), expected);

    // A broken link says so and falls back to the default schedule.
    const broken = await open('#state=not-json');
    expect(await broken.locator('#banner').textContent()).toMatch(/^The link's state cannot be read: /);
  });

  it('works from file://, on a phone-sized screen, with every control labelled', async () => {
    const session = await openPage(browser, { width: 390, height: 844 });
    opened.push(session);
    const { page } = session;
    await page.goto(pathToFileURL(join(folder, 'index.html')).href);
    await page.waitForSelector('#probe-values tbody tr');
    // Keyboard order starts with the skip link, then the schedule tabs.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the chart');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-0');
    const schedule = warmupCosineDecay({
      peakValue: 1e-3,
      totalSteps: 1000,
      warmupSteps: 100,
      holdSteps: 100,
      finalValue: 1e-5,
    });
    expectSameLr(await valuesAt(page, 550), { 'schedule 1': schedule(550) });
    await page.fill('[data-path="peakValue"]', '0.002');
    expect(await valuesAt(page, 150)).toEqual({ 'schedule 1': 0.002 });
    // No sideways scrolling on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Every visible control has a label (or an aria-label).
    const unlabelled = await page.$$eval('input, select, textarea, button', (list) =>
      list
        .filter((node) => {
          const control = node as HTMLInputElement;
          if (control.type === 'range' || control.type === 'file') return false;
          const labelled =
            (control.labels && control.labels.length > 0) ||
            control.getAttribute('aria-label') ||
            (control.tagName === 'BUTTON' && control.textContent!.trim() !== '');
          return !labelled;
        })
        .map((node) => node.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'phone-file-url.png'), fullPage: true });
  });
});

/** What the test reads from the page's `window.annealPlayground` handle. */
interface Handle {
  load(state: unknown): void;
  state(): { points: number };
  /** The drawn curves: label and number of samples. */
  samples(): { label: string; length: number }[];
  /** Sample `index` of drawn curve `curve`. */
  sampleValue(curve: number, index: number): number;
  redraw(options?: { resample?: boolean }): unknown;
}

describe('a heavy chart: 4 schedules × a 3,000-segment join × 1,000,000 points', () => {
  /** Whether the page says it is still refining the curves. */
  const refining = (page: Page) =>
    page.evaluate(() => {
      const note = document.getElementById('sampling-note');
      return note !== null && !note.hidden;
    });
  /** Loads `state` from a task of its own, so that the call returns at once. */
  const loadLater = (page: Page, state: unknown) =>
    page.evaluate((next) => {
      setTimeout(() => (window as unknown as { annealPlayground: Handle }).annealPlayground.load(next), 0);
    }, state);
  const samples = (page: Page) =>
    page.evaluate(() => (window as unknown as { annealPlayground: Handle }).annealPlayground.samples());

  it('answers input within 200 ms while it samples, says so, and ends on the exact chart', async () => {
    const page = await open();
    const heavy = heavyState();
    const box = (await page.locator('#chart').boundingBox())!;
    await loadLater(page, heavy);
    // The load (building 12,000 segments, laying out their JSON) is one long task and one long
    // frame; the sampling starts after them.
    await expect.poll(() => refining(page), { timeout: 30_000 }).toBe(true);
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    // From here on the page records how long each input event waited for it (its handler's start
    // minus the event's time stamp) and every task longer than 50 ms.
    await page.evaluate(() => {
      const record = window as unknown as { inputDelays: number[]; longTasks: number[] };
      record.inputDelays = [];
      record.longTasks = [];
      document.addEventListener('pointermove', (event) => {
        record.inputDelays.push(performance.now() - event.timeStamp);
      });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) record.longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    // While it samples: pointer moves over the chart (the cursor read-out follows each at once),
    // until the page says it is done.
    const roundTrips: number[] = [];
    let moves = 0;
    const deadline = Date.now() + 100_000;
    while ((await refining(page)) && Date.now() < deadline) {
      const begin = performance.now();
      await page.mouse.move(box.x + 80 + ((moves * 37) % (box.width - 100)), box.y + box.height / 2);
      roundTrips.push(performance.now() - begin);
      moves++;
      expect(await page.locator('#cursor-readout').textContent()).toMatch(
        /^step \S+ — join 1: \S+; join 2: \S+; join 3: \S+; join 4: \S+$/,
      );
    }
    const measured = await page.evaluate(() => {
      const { inputDelays, longTasks } = window as unknown as { inputDelays: number[]; longTasks: number[] };
      return { inputDelays, longTasks };
    });
    const report = JSON.stringify({ roundTrips, ...measured });
    // However short the sampling (about a second with core's binary-search join), input came in
    // during it; the long tasks cover all of it.
    expect(moves, report).toBeGreaterThanOrEqual(1);
    expect(measured.inputDelays.length, report).toBeGreaterThanOrEqual(1);
    expect(Math.max(...measured.inputDelays), report).toBeLessThan(200);
    expect(Math.max(0, ...measured.longTasks), report).toBeLessThan(200);

    // The link does not follow configs this long (encoding them would hold the page), and says so.
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.locator('#status').textContent()).toBe(
      `The link no longer follows the page: the configs are ${heavy.series
        .reduce((sum, series) => sum + series.text.length, 0)
        .toLocaleString('en-US')} characters long, and it follows up to 100,000. Copy link still makes one.`,
    );
    // Done: no note, every curve has every sample, and the values are the schedules'.
    expect(await refining(page)).toBe(false);
    expect(await samples(page)).toEqual(
      heavy.series.map((series) => ({ label: series.name, length: heavy.points })),
    );
    const schedule = fromConfig(heavyJoin(2));
    const stride = heavy.end / (heavy.points - 1);
    for (const index of [0, 1, 333_333, 500_000, heavy.points - 1]) {
      const shown = await page.evaluate(
        ([curve, at]) =>
          (window as unknown as { annealPlayground: Handle }).annealPlayground.sampleValue(curve!, at!),
        [2, index],
      );
      expectSameLr({ v: shown }, { v: schedule(Math.min(index * stride, heavy.end)) });
    }
    // The progressive chart is pixel for pixel the chart of an all-at-once sampling.
    const pixels = () =>
      page.evaluate(() => (document.getElementById('chart') as HTMLCanvasElement).toDataURL());
    const progressive = await pixels();
    await page.evaluate(() =>
      (window as unknown as { annealPlayground: Handle }).annealPlayground.redraw({ resample: true }),
    );
    expect(await pixels()).toBe(progressive);
    // The controls of a 3,000-segment join: the first segments and a note, not 3,000 editors.
    expect(await page.locator('#controls fieldset.item').count()).toBe(50);
    expect(await page.locator('[data-path="segments.more"]').textContent()).toBe(
      'Show segments[50] to segments[99]',
    );
    expect(await page.locator('#controls .capped').textContent()).toBe(
      'Showing segments[0] to segments[49] of 3000; edit the others in the JSON below.',
    );
    await page.click('[data-path="segments.more"]');
    expect(await page.locator('#controls fieldset.item').count()).toBe(100);
    await page.locator('#chart-panel').screenshot({ path: join(artifacts, 'heavy.png') });
  });

  it('an export asked for while refining waits for every sample', async () => {
    const page = await open();
    await loadLater(page, heavyState());
    await expect.poll(() => refining(page), { timeout: 60_000 }).toBe(true);
    const svg = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-svg')]);
      return readFileSync((await download.path())!, 'utf8');
    };
    const early = await svg();
    expect(await refining(page)).toBe(false);
    // The chart of the full samples, not of the preview: the same as an export made afterwards.
    expect(early).toBe(await svg());
  });

  it('a new input cancels the running sampling: the newer range wins and stays', async () => {
    const page = await open();
    await loadLater(page, heavyState());
    await expect.poll(() => refining(page), { timeout: 60_000 }).toBe(true);
    await page.fill('#points', '3001');
    await expect.poll(() => refining(page), { timeout: 60_000 }).toBe(false);
    const expected = [1, 2, 3, 4].map((n) => ({ label: `join ${n}`, length: 3001 }));
    expect(await samples(page)).toEqual(expected);
    // Long enough for the cancelled sampling to have finished, had it gone on.
    await page.waitForTimeout(1500);
    expect(await samples(page)).toEqual(expected);
    expect(await refining(page)).toBe(false);
  });
});
