/**
 * Browser runs, bounded: a short smoke run in headless Chromium (tfjs on WebGL, onnxruntime-web
 * on wasm), no Chromium at all, and a browser or a page that dies mid-run. The whole quick demo
 * (every backend) runs in CI as `pnpm demo -- --quick`, not here.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogdir } from '@anneal/tensorboard-logger';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report';
import { collect, runDemoProcess, startDemo } from './helpers/spawn';

const readReport = (out: string) => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
/** 12 steps of 4 digits, 20 test digits: seconds on a software GPU. */
const tiny = ['--train-samples', '48', '--batch-size', '4', '--test-samples', '20'];

/** Processes whose parent is `parent` (pid and command line), from ps. */
function children(parent: number): { pid: number; args: string }[] {
  const lines = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n');
  return lines
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && Number(match[2]) === parent)
    .map((match) => ({ pid: Number(match[1]), args: match[3]! }));
}

/** Every process below `ancestor` (Chromium's renderers hang under its zygote, not under it). */
function descendants(ancestor: number): { pid: number; args: string }[] {
  return children(ancestor).flatMap((child) => [child, ...descendants(child.pid)]);
}

describe('browser runs', () => {
  it('train in Chromium beside the Node run, with their adapters, reports and TensorBoard runs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-browser-'));
    const result = await runDemoProcess([
      '--backends',
      'onnxruntime/cpu,tfjs/webgl,onnxruntime/wasm',
      ...tiny,
      '--out',
      out,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = readReport(out);
    expect(
      report.runs.map((run) => [run.name, run.environment, run.device, run.steps, run.completed]),
    ).toEqual([
      ['onnxruntime cpu (node)', 'node', 'cpu', 12, true],
      ['tfjs webgl (browser)', 'browser', 'gpu', 12, true],
      ['onnxruntime wasm (browser)', 'browser', 'cpu', 12, true],
    ]);
    // WebGL's unmasked renderer: ANGLE on SwiftShader here, a real GPU's name elsewhere.
    expect(report.runs[1]!.adapter).toMatch(/ANGLE|SwiftShader|GPU|NVIDIA|AMD|Intel/i);
    expect(report.runs[2]!.adapter).toBe('CPU (wasm)');
    expect(report.parity).toMatchObject({ pass: true, learningRateMaxAbsDiff: 0, lossSteps: 12 });
    expect(report.parity.gpuLossMaxAbsDiff).toBeLessThan(1e-2);
    expect(report.parity.lossMaxAbsDiff).toBeLessThan(1e-3);
    const logdir = await readLogdir(join(out, 'tensorboard'));
    expect(Object.keys(logdir).sort()).toEqual([
      'browser-onnxruntime-wasm',
      'browser-tfjs-webgl',
      'node-onnxruntime-cpu',
    ]);
    for (const run of report.runs) {
      const logged = logdir[`${run.environment}-${run.runtime}-${run.backend}`]!;
      expect(logged.truncatedTails).toEqual([]);
      expect(logged.scalars.batch_learning_rate!.map((point) => point.value)).toEqual(run.learningRates);
      expect(logged.scalars.batch_loss!.map((point) => point.value)).toEqual(run.losses.map(Math.fround));
      expect(logged.histograms['weights/conv1_w']!.map((point) => point.step)).toEqual([0]);
      expect(logged.hparams?.sessionStartInfo?.hparams).toMatchObject({
        environment: run.environment,
        backend: run.backend,
      });
    }
  }, 180_000);

  it('are skipped with one line saying how to install Chromium when it is missing; the Node runs pass (exit 0)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-no-chromium-'));
    const result = await runDemoProcess([
      '--chromium',
      '/nonexistent/chromium',
      '--backends',
      'onnxruntime/cpu,webgl,webgpu',
      ...tiny,
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter((line) => line.startsWith('browser runs skipped'));
    expect(lines).toEqual([
      'browser runs skipped: Chromium not found at /nonexistent/chromium (install it with "sudo apt-get install chromium", or point --chromium at a Chromium or Chrome executable).',
    ]);
    const report = readReport(out);
    expect(report.runs.map((run) => run.name)).toEqual(['onnxruntime cpu (node)']);
    expect(report.skipped.map((run) => `${run.runtime}/${run.backend}`)).toEqual([
      'tfjs/webgl',
      'tfjs/webgpu',
      'onnxruntime/webgpu',
    ]);
    expect(report.skipped[0]!.reason).toMatch(/^Chromium not found at \/nonexistent\/chromium/);
    expect(report.parity.pass).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('skipped: Chromium not found');
  }, 120_000);

  it('without a WebGPU adapter, skips the WebGPU runs with one line each and trains the others', async () => {
    // A Chromium that drops the WebGPU flags: navigator.gpu.requestAdapter() then returns null.
    const folder = mkdtempSync(join(tmpdir(), 'demo-no-webgpu-'));
    const wrapper = join(folder, 'chromium-without-webgpu');
    writeFileSync(
      wrapper,
      '#!/bin/sh\nfor a in "$@"; do shift; case "$a" in --enable-unsafe-webgpu|--use-webgpu-adapter=*) ;; *) set -- "$@" "$a";; esac; done\nexec /usr/bin/chromium "$@"\n',
    );
    chmodSync(wrapper, 0o755);
    const out = join(folder, 'out');
    const result = await runDemoProcess([
      '--chromium',
      wrapper,
      '--backends',
      'webgl,webgpu',
      ...tiny,
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.includes('skipped:'))).toEqual([
      'tfjs webgpu (browser) skipped: no WebGPU adapter (navigator.gpu.requestAdapter() returned null).',
      'onnxruntime webgpu (browser) skipped: no WebGPU adapter (navigator.gpu.requestAdapter() returned null).',
    ]);
    const report = readReport(out);
    expect(report.runs.map((run) => run.name)).toEqual(['tfjs webgl (browser)']);
    expect(report.skipped.map((run) => [run.runtime, run.backend])).toEqual([
      ['tfjs', 'webgpu'],
      ['onnxruntime', 'webgpu'],
    ]);
  }, 120_000);

  it.each([
    [
      'the browser dies',
      (chromium: number) => chromium,
      /the (browser died|page closed) while waiting for step \d+/,
    ],
    [
      'the page crashes',
      (chromium: number) =>
        descendants(chromium).find((child) => child.args.includes('--type=renderer'))?.pid,
      /the page crashed while waiting for step \d+/,
    ],
  ])(
    'when %s mid-run, the demo reports it, keeps the other runs and exits 1',
    async (_, victim, message) => {
      const out = mkdtempSync(join(tmpdir(), 'demo-browser-dies-'));
      const child = startDemo([
        '--backends',
        'onnxruntime/cpu,tfjs/webgl',
        ...['--train-samples', '800', '--batch-size', '4', '--test-samples', '20', '--browser-timeout', '60'],
        '--out',
        out,
      ]);
      let killed = false;
      const finished = await collect(child, (stdout, demo) => {
        if (killed || !/tfjs webgl \(browser\): epoch 1\/1 {2}step 20\/200/.test(stdout)) return;
        const chromium = children(demo.pid!).find((process) => /chrom/i.test(process.args));
        const pid = chromium === undefined ? undefined : victim(chromium.pid);
        if (pid === undefined) return;
        killed = true;
        process.kill(pid, 'SIGKILL');
      });
      expect(killed).toBe(true);
      expect(finished.code).toBe(1);
      expect(finished.stdout).toMatch(/tfjs webgl \(browser\) failed: /);
      const report = readReport(out);
      const [node, browser] = report.runs;
      expect(node).toMatchObject({ name: 'onnxruntime cpu (node)', completed: true, steps: 200 });
      expect(browser).toMatchObject({ name: 'tfjs webgl (browser)', completed: false });
      expect(browser!.steps).toBeGreaterThanOrEqual(20);
      expect(browser!.notes.join('\n')).toMatch(message);
      expect(report.parity.pass).toBe(false);
      expect(report.parity.reasons).toContain('tfjs webgl (browser): the run did not complete.');
      const logdir = await readLogdir(join(out, 'tensorboard'));
      expect(logdir['node-onnxruntime-cpu']!.scalars.batch_learning_rate).toHaveLength(200);
    },
    180_000,
  );
});
