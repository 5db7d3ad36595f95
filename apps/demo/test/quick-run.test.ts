import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogdir } from '@anneal/tensorboard-logger';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report';
import { defaultSchedule } from '../src/schedule';
import { demoRoot, type Finished, runDemoProcess } from './helpers/spawn';

const out = mkdtempSync(join(tmpdir(), 'demo-quick-'));
let finished: Finished;
let report: Report;

beforeAll(async () => {
  finished = await runDemoProcess(['--quick', '--out', out]);
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
}, 120_000);

describe('demo --quick (both runtimes, default schedule)', () => {
  it('exits 0 with the parity table', () => {
    expect(finished.stderr).toBe('');
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/runtime\s+backend\s+device\s+steps/);
    expect(finished.stdout).toMatch(/learning rate max \|Δ\| \(float32, every step\)\s+0\s+0\s+ok/);
    expect(finished.stdout).toMatch(/PARITY PASS/);
    // Not a TTY: plain progress lines, no carriage returns.
    expect(finished.stdout).not.toMatch(/\r/);
    expect(finished.stdout).toMatch(
      /^tfjs \(wasm\): epoch 1\/2 {2}step \d+\/150 {2}loss \d\.\d{4} {2}lr \d\.\d\de-\d {2}[\d,]+ samples\/s$/m,
    );
  });

  it('writes report.json with every field the issue lists', () => {
    expect(report.complete).toBe(true);
    expect(report.runs.map((run) => run.runtime)).toEqual(['tfjs', 'onnxruntime']);
    const schedule = defaultSchedule('momentum', report.totalSteps);
    for (const run of report.runs) {
      expect(Object.keys(run)).toEqual(
        expect.arrayContaining([
          'runtime',
          'backend',
          'device',
          'learningRates',
          'losses',
          'testAccuracy',
          'samplesPerSecond',
          'seconds',
        ]),
      );
      expect(run.learningRates).toHaveLength(report.totalSteps);
      expect(run.losses).toHaveLength(report.totalSteps);
      expect(run.learningRates).toEqual(run.learningRates.map((_, step) => Math.fround(schedule(step))));
      expect(run.testAccuracy).toBeGreaterThan(0.85);
      expect(run.samplesPerSecond).toBeGreaterThan(0);
      expect(run.seconds).toBeGreaterThan(0);
      expect(run.device).toBe('cpu');
    }
    expect(report.runs[0]!.backend).toBe('wasm');
    expect(report.runs[1]!.backend).toBe('cpu');
    expect(report.parity).toMatchObject({
      learningRateMaxAbsDiff: 0,
      lossSteps: 100,
      pass: true,
      reasons: [],
    });
    expect(report.parity.lossMaxAbsDiff).toBeLessThanOrEqual(1e-3);
    // Momentum SGD keeps the two float32 computations together to rounding level (measured 4.8e-7).
    expect(report.parity.lossMaxAbsDiff).toBeLessThan(1e-5);
    expect(report.parity.testAccuracyDiff).toBeLessThanOrEqual(0.01);
  });

  it('writes one TensorBoard run per runtime with the same tags, histograms and hparams', async () => {
    const runs = await readLogdir(join(out, 'tensorboard'));
    expect(Object.keys(runs).sort()).toEqual(['onnxruntime', 'tfjs']);
    for (const [name, run] of Object.entries(runs)) {
      const reported = report.runs.find((r) => r.runtime === name)!;
      for (const tag of ['batch_loss', 'batch_accuracy', 'batch_learning_rate']) {
        expect(run.scalars[tag]?.map((point) => point.step)).toEqual(
          reported.learningRates.map((_, step) => step),
        );
      }
      expect(run.scalars.batch_learning_rate!.map((point) => point.value)).toEqual(reported.learningRates);
      expect(run.scalars.batch_loss!.map((point) => point.value)).toEqual(reported.losses.map(Math.fround));
      expect(run.scalars.epoch_test_accuracy!.map((point) => point.step)).toEqual([0, 1]);
      expect(run.scalars.epoch_test_accuracy!.at(-1)!.value).toBe(Math.fround(reported.testAccuracy!));
      expect(Object.keys(run.histograms).sort()).toEqual([
        'weights/b1',
        'weights/b2',
        'weights/w1',
        'weights/w2',
      ]);
      expect(run.histograms['weights/w1']!.map((point) => point.step)).toEqual([0, 1]);
      expect(run.hparams?.sessionStartInfo?.hparams).toMatchObject({
        runtime: name,
        optimizer: 'momentum',
        batch_size: 64,
      });
      expect(run.truncatedTails).toEqual([]);
    }
  });

  it('renders report.html in headless Chromium without console errors, with its charts', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`file://${join(out, 'report.html')}`);
      const artifacts = join(demoRoot, 'test-artifacts');
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
      expect(problems).toEqual([]);
      // Self-contained: the page itself is the only request.
      expect(requests).toEqual([`file://${join(out, 'report.html')}`]);
      const charts = await page.$$eval('svg.chart', (svgs) =>
        svgs.map((svg) => ({
          label: svg.getAttribute('aria-label'),
          paths: svg.querySelectorAll('path').length,
        })),
      );
      expect(charts.map((chart) => chart.label)).toEqual([
        'Learning rate per step (all runtimes overlaid)',
        'Training loss per step',
        'Accuracy: training batches (EMA) and test set per epoch',
        'Training throughput',
        '|loss difference| vs tfjs',
      ]);
      for (const chart of charts) expect(chart.paths).toBeGreaterThan(0);
      expect(await page.textContent('.verdict')).toBe('Parity holds');
      expect(existsSync(join(artifacts, 'report.png'))).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
