import { niceTicks } from '@anneal/plot';
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../src/html';
import { parityOfRuns } from '../src/parity';
import type { Report, RunReport } from '../src/report';
import { escapeXml, formatTick } from '../src/svg';
import { formatSummary } from '../src/terminal';

const schedule = (step: number) => 0.001 * (1 - step / 40);

function run(runtime: 'tfjs' | 'onnxruntime', lossShift = 0): RunReport {
  const steps = 20;
  const backend = runtime === 'tfjs' ? 'wasm' : 'cpu';
  return {
    name: `${runtime} ${backend} (node)`,
    runtime,
    environment: 'node',
    backend,
    device: 'cpu',
    adapter: 'CPU',
    learningRates: Array.from({ length: steps }, (_, step) => Math.fround(schedule(step))),
    losses: Array.from({ length: steps }, (_, step) => 2 / (1 + step) + lossShift),
    trainAccuracies: Array.from({ length: steps }, (_, step) => step / steps),
    testAccuracy: 0.9,
    testAccuracyByEpoch: [0.8, 0.9],
    samplesPerSecond: runtime === 'tfjs' ? 5000 : 50000,
    seconds: 1,
    steps,
    completed: true,
    tensorboardRun: `tensorboard/${runtime}`,
    notes: runtime === 'tfjs' ? ['a <note> & more'] : [],
  };
}

function report(runs: RunReport[], changes: Partial<Report> = {}): Report {
  return {
    complete: true,
    interrupted: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    command: [],
    data: { source: 'test digits', trainSamples: 640, testSamples: 100, stepsPerEpoch: 10 },
    model: 'mlp',
    modelDescription: 'MLP 784-128-10 (ReLU, softmax cross-entropy)',
    epochs: 2,
    batchSize: 64,
    totalSteps: 20,
    seed: 1,
    optimizer: { name: 'adam', momentumFactor: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    schedule: { description: 'A test schedule.', config: null, peakLearningRate: 0.001 },
    runs,
    skipped: [],
    parity: parityOfRuns(runs, schedule),
    wallSeconds: 2,
    ...changes,
  };
}

describe('renderReportHtml', () => {
  it('is one self-contained page: no scripts, no external resources, every chart drawn', () => {
    const html = renderReportHtml(report([run('tfjs'), run('onnxruntime')]));
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.match(/https?:\/\/[^"]+/g)).toEqual(Array(5).fill('http://www.w3.org/2000/svg'));
    expect(html.match(/<svg /g)).toHaveLength(5);
    expect(html).toContain('<div class="verdict pass">Parity holds</div>');
    expect(html).toContain('a &lt;note&gt; &amp; more');
    expect(html).not.toContain('Incomplete report');
  });

  it('shows a failing verdict with its reasons, and marks an interrupted run incomplete', () => {
    const failing = report([run('tfjs'), run('onnxruntime', 0.5)], { complete: false, interrupted: true });
    const html = renderReportHtml(failing);
    expect(html).toContain('<div class="verdict fail">Parity fails</div>');
    expect(html).toContain(
      'losses of onnxruntime cpu (node) and tfjs wasm (node) differ by 5.00e-1 over the first 20 steps',
    );
    expect(html).toContain('Incomplete report: the run was interrupted (Ctrl-C).');
    const summary = formatSummary(failing);
    expect(summary).toMatch(/loss max \|Δ\|, CPU runs \(first 20 steps\)\s+5\.00e-1\s+0\.001\s+FAIL/);
    expect(summary).toMatch(
      /PARITY FAIL\n {2}- losses of onnxruntime cpu \(node\) and tfjs wasm \(node\) differ/,
    );
  });

  it('shows every backend with its environment and adapter, a GPU loss check, and skipped runs', () => {
    const gpu: RunReport = {
      ...run('tfjs', 0.004),
      name: 'tfjs webgpu (browser)',
      environment: 'browser',
      backend: 'webgpu',
      device: 'gpu',
      adapter: 'google swiftshader',
    };
    const all = report([run('tfjs'), run('onnxruntime'), gpu], {
      skipped: [
        { runtime: 'onnxruntime', environment: 'browser', backend: 'webgpu', reason: 'no WebGPU adapter' },
      ],
    });
    const html = renderReportHtml(all);
    expect(html).toContain('<td>browser</td><td>webgpu</td><td>gpu</td><td>google swiftshader</td>');
    expect(html).toContain('skipped: no WebGPU adapter');
    expect(html).toContain('loss with a GPU run, max |Δ| over the first 20 steps');
    const summary = formatSummary(all);
    expect(summary).toMatch(/loss max \|Δ\|, GPU runs \(first 20 steps\)\s+4\.00e-3\s+0\.01\s+ok/);
    expect(summary).toMatch(/tfjs\s+browser\s+webgpu\s+SwiftShader\s+20\s+\S+\s+4\.0e-3/);
    expect(summary).toMatch(/onnxruntime\s+browser\s+webgpu\s+skipped/);
    expect(all.parity.pass).toBe(true);
  });

  it('draws no comparison chart for a single runtime', () => {
    const html = renderReportHtml(report([run('onnxruntime')]));
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(formatSummary(report([run('onnxruntime')]))).toMatch(
      /test accuracy \|Δ\|\s+— \(one runtime\)\s+1 pp\s+ok/,
    );
  });
});

describe('chart helpers', () => {
  it.each([
    [0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [0, 0.002, 5, [0, 0.0005, 0.001, 0.0015, 0.002]],
    [0, 749, 6, [0, 200, 400, 600]],
    [0.9, 0.95, 5, [0.9, 0.91, 0.92, 0.93, 0.94, 0.95]],
  ])('niceTicks(%d, %d, %d)', (low, high, count, expected) => {
    expect(niceTicks(low, high, count)).toEqual(expected);
  });

  it('formats ticks and escapes text', () => {
    expect([0, 0.0005, 0.25, 1500, 25000].map(formatTick)).toEqual(['0', '5.0e-4', '0.25', '1500', '2.5e4']);
    expect(escapeXml('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  });
});
