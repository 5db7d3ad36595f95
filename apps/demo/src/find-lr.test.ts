import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRangeTest, type RangeTestResult } from '@anneal/core';
import { decadeTicks } from '@anneal/plot';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemoProcess } from '../test/helpers/spawn';
import { parseArgs } from './args';
import { loadPackagedMnist, prepareData } from './data';
import { type FindLrReport, findLrOptions, NoSuggestionError, runFindLr, scheduleWithPeak } from './find-lr';
import { formatRate, renderFindLrSvg, renderFindLrTerminal } from './find-lr-chart';
import { defaultSchedule } from './schedule';
import type { Output } from './terminal';

const outDir = mkdtempSync(join(tmpdir(), 'anneal-find-lr-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function captured(): Output & { text: () => string } {
  const chunks: string[] = [];
  return { write: (text) => void chunks.push(text), isTTY: false, columns: 90, text: () => chunks.join('') };
}

/** A finished range test fed with the given losses (for chart tests). */
function resultOf(losses: readonly number[], steps = 40): RangeTestResult {
  const test = createRangeTest({ minValue: 1e-4, maxValue: 10, steps });
  for (const [step, loss] of losses.entries()) if (test.record(step, loss) === 'stop') break;
  if (test.stopReason === undefined) test.stop('interrupted');
  return test.result();
}

describe('runFindLr on MNIST with both runtimes (same model, weights, batches and sweep)', () => {
  const data = prepareData(loadPackagedMnist(), { seed: 42, batchSize: 32, trainSamples: 640 });
  let report: FindLrReport;
  const output = captured();

  it('runs, and the runtimes report suggestions within a factor of 1.5 of each other', async () => {
    report = await runFindLr(
      {
        runtimes: ['tfjs', 'onnxruntime'],
        tfjsBackend: 'wasm',
        optimizer: 'momentum',
        batchSize: 32,
        seed: 42,
        data,
        sweep: { minValue: 1e-5, maxValue: 100, steps: 120 },
        outDir,
      },
      output,
    );
    const [tfjs, ort] = report.runs.map((run) => run.result);
    expect(report.runs.map((run) => run.runtime)).toEqual(['tfjs', 'onnxruntime']);
    for (const name of ['valley', 'steepest', 'minimum'] as const) {
      const a = tfjs!.suggestions![name].value;
      const b = ort!.suggestions![name].value;
      expect(Math.max(a, b) / Math.min(a, b), name).toBeLessThan(1.5);
    }
    expect(report.agreementFactor).toBeLessThan(1.5);
    const valleys = [tfjs!.suggestions!.valley.value, ort!.suggestions!.valley.value];
    expect(report.suggestedPeak).toBeCloseTo(Math.sqrt(valleys[0]! * valleys[1]!), 12);
  });

  it('prints each runtime, the chart and the suggested peak, and writes the SVG and JSON', () => {
    const text = output.text();
    expect(text).toMatch(/tfjs \(wasm\): \d+ steps in [\d.]+ s, stopped: /);
    expect(text).toMatch(/onnxruntime \(cpu\): \d+ steps in [\d.]+ s, stopped: /);
    expect(text).toContain('suggestion valley');
    expect(text).toContain('learning rate (log scale); t = tfjs (wasm), o = onnxruntime (cpu)');
    expect(text).toContain(`Suggested peak learning rate: ${report.suggestedPeak!.toExponential(2)}`);
    expect(report.files).toEqual([join(outDir, 'find-lr.svg'), join(outDir, 'find-lr.json')]);
    const svg = readFileSync(join(outDir, 'find-lr.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('tfjs (wasm): valley');
    expect(svg).toContain('onnxruntime (cpu): valley');
    const json = JSON.parse(readFileSync(join(outDir, 'find-lr.json'), 'utf8'));
    expect(json.suggestedPeak).toBe(report.suggestedPeak);
    expect(json.runs[1].result.learningRates).toEqual(report.runs[1]!.result.learningRates);
  });

  it('--use-suggested-lr: the default schedule scaled so that its peak is the suggestion', () => {
    const totalSteps = 200;
    const base = defaultSchedule('momentum', totalSteps);
    const scaled = scheduleWithPeak(base, totalSteps, report);
    let peak = 0;
    for (let step = 0; step < totalSteps; step++) {
      peak = Math.max(peak, scaled(step));
      const expected = base(step) * (report.suggestedPeak! / 0.05);
      expect(Math.abs(scaled(step) - expected)).toBeLessThanOrEqual(1e-12 * expected);
    }
    expect(Math.abs(peak - report.suggestedPeak!)).toBeLessThanOrEqual(1e-12 * peak);
  });
});

describe('findLrOptions', () => {
  it('carries the command line over to the range test', () => {
    const options = parseArgs([
      '--runtimes',
      'onnxruntime',
      '--optimizer',
      'adam',
      '--batch-size',
      '16',
      '--seed',
      '7',
    ]);
    expect(findLrOptions(options, 'out')).toEqual({
      runtimes: ['onnxruntime'],
      tfjsBackend: 'wasm',
      optimizer: 'adam',
      batchSize: 16,
      seed: 7,
      trainSamples: 1600,
      outDir: 'out',
    });
    const quick = parseArgs(['--quick', '--data', 'digits']);
    expect(findLrOptions(quick, undefined)).toMatchObject({ trainSamples: 416, dataDir: 'digits' });
  });
});

describe('scheduleWithPeak refusals', () => {
  it('no suggestion: NoSuggestionError naming why', () => {
    const nan = createRangeTest({ steps: 10 });
    nan.record(0, Number.NaN);
    const report: FindLrReport = {
      runs: [{ runtime: 'onnxruntime', backend: 'cpu', result: nan.result(), seconds: 0 }],
      suggestedPeak: undefined,
      agreementFactor: undefined,
      files: [],
    };
    expect(() => scheduleWithPeak(defaultSchedule('sgd', 100), 100, report)).toThrow(NoSuggestionError);
    expect(() => scheduleWithPeak(defaultSchedule('sgd', 100), 100, report)).toThrow(
      '--use-suggested-lr: the range test suggested no learning rate (onnxruntime: the loss was NaN at the first step (learning rate 1e-7): the model cannot train as set up); run without --use-suggested-lr or change the sweep.',
    );
  });
});

describe('range-test charts (log x axis)', () => {
  const falling = Array.from({ length: 40 }, (_, k) => (k < 30 ? 2.3 - k * 0.05 : 0.85 * 1.8 ** (k - 29)));
  const result = resultOf(falling);

  it('decade ticks and rate labels', () => {
    expect(decadeTicks(1e-4, 10)).toEqual([1e-4, 1e-3, 1e-2, 1e-1, 1, 10]);
    expect(decadeTicks(3e-4, 0.5)).toEqual([1e-3, 1e-2, 1e-1]);
    expect([1e-5, 1e-3, 0.01, 0.1, 1, 10, 2.5e-4, 0.0135].map(formatRate)).toEqual([
      '1e-5',
      '1e-3',
      '0.01',
      '0.1',
      '1',
      '10',
      '2.50e-4',
      '0.0135',
    ]);
  });

  it('SVG: the x position is linear in log10(learning rate); the valley and divergence are marked', () => {
    const svg = renderFindLrSvg([{ name: 'onnxruntime (cpu)', color: '#dc2626', result }], 'title <&>');
    expect(svg).toContain('title &lt;&amp;&gt;');
    // plot spans x = 64 … 740 for learning rates 1e-4 … the last recorded one
    const last = result.learningRates[result.learningRates.length - 1]!;
    const sx = (x: number) => 64 + ((Math.log10(x) - -4) / (Math.log10(last) - -4)) * 676;
    const valley = result.suggestions!.valley;
    expect(svg).toContain(`<circle cx="${sx(valley.value).toFixed(1)}"`);
    expect(svg).toContain(
      `<text x="${sx(1e-3).toFixed(1)}" y="369" font-size="11" text-anchor="middle" fill="#4b5563">1e-3</text>`,
    );
    expect(result.divergenceValue).toBeDefined();
    expect(svg).toContain(`<line x1="${sx(result.divergenceValue!).toFixed(1)}"`);
    expect(svg).toContain('onnxruntime (cpu): valley');
  });

  it('terminal: one letter per curve, decade labels, the valley column, a legend', () => {
    const text = renderFindLrTerminal(
      [
        { name: 'tfjs (wasm)', color: '#000', result },
        { name: 'onnxruntime (cpu)', color: '#000', result: resultOf(falling.map((loss) => loss * 1.2)) },
      ],
      72,
      10,
    );
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(13);
    expect(lines[11]).toMatch(/^ {10}1e-4 +1e-3 +0\.01 +0\.1 +1$/);
    expect(lines[12]).toBe(
      '          learning rate (log scale); t = tfjs (wasm), o = onnxruntime (cpu); | = valley suggestion',
    );
    const plot = lines.slice(0, 10).join('\n');
    expect(plot).toContain('t');
    expect(plot).toContain('o');
    expect(plot).toContain('|');
  });

  it('nothing recorded: says so instead of drawing', () => {
    const empty = createRangeTest({ steps: 10 });
    empty.record(0, Number.NaN);
    expect(renderFindLrTerminal([{ name: 'tfjs', color: '#000', result: empty.result() }])).toBe(
      '(no finite loss was recorded: nothing to plot)\n',
    );
    expect(renderFindLrSvg([{ name: 'tfjs', color: '#000', result: empty.result() }], 't')).toContain(
      'tfjs: no suggestion (nonFiniteLoss)',
    );
  });
});

describe('the demo flags (end to end)', () => {
  it('--find-lr runs only the range test: suggestions, chart, find-lr.svg/json, exit 0', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-find-lr-'));
    const result = await runDemoProcess(['--find-lr', '--train-samples', '640', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/tfjs \(wasm\): \d+ steps in [\d.]+ s, stopped: /);
    expect(result.stdout).toMatch(/onnxruntime \(cpu\): \d+ steps in [\d.]+ s, stopped: /);
    expect(result.stdout).toMatch(/Suggested peak learning rate: \d\.\d\de-\d/);
    expect(readFileSync(join(out, 'find-lr.svg'), 'utf8')).toContain('<svg');
    expect(() => readFileSync(join(out, 'report.json'))).toThrow();
  });

  it('--use-suggested-lr trains with the schedule scaled to the suggested peak', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-use-lr-'));
    const result = await runDemoProcess([
      '--use-suggested-lr',
      '--runtimes',
      'onnxruntime',
      '--epochs',
      '1',
      '--train-samples',
      '640',
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const found = JSON.parse(readFileSync(join(out, 'find-lr.json'), 'utf8'));
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(Math.abs(report.schedule.peakLearningRate / found.suggestedPeak - 1)).toBeLessThan(1e-12);
    expect(report.schedule.description).toContain('--use-suggested-lr');
  });

  it('--find-lr with --use-suggested-lr is refused (exit 2)', async () => {
    const result = await runDemoProcess(['--find-lr', '--use-suggested-lr']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--find-lr (the range test only) and --use-suggested-lr');
  });
});
