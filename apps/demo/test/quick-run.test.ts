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
  // Node runs only: CI runs the whole quick demo (browser runs included) as `pnpm demo -- --quick`.
  finished = await runDemoProcess(['--quick', '--env', 'node', '--out', out]);
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
}, 120_000);

describe('demo --quick --env node (the CNN, both runtimes, default schedule)', () => {
  it('exits 0 with the parity table', () => {
    expect(finished.stderr).toBe('');
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/runtime\s+env\s+backend\s+adapter\s+steps/);
    expect(finished.stdout).toMatch(/learning rate max \|Δ\| \(float32, every step\)\s+0\s+0\s+ok/);
    expect(finished.stdout).toMatch(/PARITY PASS/);
    // Not a TTY: plain progress lines, no carriage returns.
    expect(finished.stdout).not.toMatch(/\r/);
    expect(finished.stdout).toMatch(
      /^tfjs wasm \(node\): epoch 1\/1 {2}step \d+\/104 {2}loss \d\.\d{4} {2}lr \d\.\d\de-\d {2}[\d,]+ samples\/s$/m,
    );
  });

  it('writes report.json with every field the issue lists', () => {
    expect(report.complete).toBe(true);
    expect(report.runs.map((run) => run.runtime)).toEqual(['tfjs', 'onnxruntime']);
    expect(report).toMatchObject({ model: 'cnn', batchSize: 4, totalSteps: 104, skipped: [] });
    const schedule = defaultSchedule('momentum', report.totalSteps, report.batchSize);
    for (const run of report.runs) {
      expect(Object.keys(run)).toEqual(
        expect.arrayContaining([
          'runtime',
          'environment',
          'backend',
          'adapter',
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
      // 416 digits in batches of 4: the CNN is past 75 % (measured 76.5 % on 200 test digits).
      expect(run.testAccuracy).toBeGreaterThan(0.7);
      expect(run).toMatchObject({ environment: 'node', adapter: 'CPU' });
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
    // Momentum SGD keeps the two float32 computations together to rounding level (measured 9.5e-7).
    expect(report.parity.lossMaxAbsDiff).toBeLessThan(1e-5);
    expect(report.parity.testAccuracyDiff).toBeLessThanOrEqual(0.01);
  });

  it('writes one TensorBoard run per runtime with the same tags, histograms and hparams', async () => {
    const runs = await readLogdir(join(out, 'tensorboard'));
    expect(Object.keys(runs).sort()).toEqual(['node-onnxruntime-cpu', 'node-tfjs-wasm']);
    for (const [name, run] of Object.entries(runs)) {
      const reported = report.runs.find((r) => name === `node-${r.runtime}-${r.backend}`)!;
      for (const tag of ['batch_loss', 'batch_accuracy', 'batch_learning_rate']) {
        expect(run.scalars[tag]?.map((point) => point.step)).toEqual(
          reported.learningRates.map((_, step) => step),
        );
      }
      expect(run.scalars.batch_learning_rate!.map((point) => point.value)).toEqual(reported.learningRates);
      expect(run.scalars.batch_loss!.map((point) => point.value)).toEqual(reported.losses.map(Math.fround));
      expect(run.scalars.epoch_test_accuracy!.map((point) => point.step)).toEqual([0]);
      expect(run.scalars.epoch_test_accuracy!.at(-1)!.value).toBe(Math.fround(reported.testAccuracy!));
      expect(Object.keys(run.histograms).sort()).toEqual([
        'weights/conv1_b',
        'weights/conv1_w',
        'weights/conv2_b',
        'weights/conv2_w',
        'weights/dense_b',
        'weights/dense_w',
      ]);
      expect(run.histograms['weights/conv1_w']!.map((point) => point.step)).toEqual([0]);
      expect(run.hparams?.sessionStartInfo?.hparams).toMatchObject({
        runtime: reported.runtime,
        environment: 'node',
        model: 'cnn',
        optimizer: 'momentum',
        batch_size: 4,
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
        '|loss difference| vs tfjs wasm (node)',
      ]);
      for (const chart of charts) expect(chart.paths).toBeGreaterThan(0);
      expect(await page.textContent('.verdict')).toBe('Parity holds');
      expect(existsSync(join(artifacts, 'report.png'))).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
