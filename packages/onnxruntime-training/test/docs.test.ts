/**
 * The browser example of docs/adapters/onnxruntime-training.md is examples/browser-training.ts,
 * verbatim: the package's tsc run type-checks that file against the browser entry, and it runs
 * here in a Chromium without the WebGPU flags (so it takes its wasm branch; chromium.test.ts
 * trains with the same calls on webgpu).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openBrowser } from './browser/harness';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

it('the docs show examples/browser-training.ts verbatim under "Training in the browser"', () => {
  const docs = readFileSync(join(packageDir, '../../docs/adapters/onnxruntime-training.md'), 'utf8');
  const section = docs.slice(docs.indexOf('## Training in the browser'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block).toBe(readFileSync(join(packageDir, 'examples/browser-training.ts'), 'utf8'));
});

it('the example trains in Chromium without WebGPU: one ExecutionProviderError line, then wasm', async () => {
  const browser = await openBrowser({ webgpu: false, script: 'examples/browser-training.ts' });
  try {
    expect(browser.adapter).toBeNull();
    await browser.waitForLog(/^trained on /, 60_000);
    expect(browser.logs).toContain(
      'createTrainer: execution provider "webgpu" is unavailable: navigator.gpu.requestAdapter() returned no adapter (no usable GPU, or WebGPU is blocked for it).',
    );
    expect(browser.logs.find((line) => line.startsWith('step 1: loss '))).toMatch(/^step 1: loss \d+\.\d+/);
    expect(browser.logs.find((line) => line.startsWith('trained on '))).toMatch(
      /^trained on wasm, accuracy (0|1|0\.\d+)$/,
    );
  } finally {
    await browser.close();
  }
}, 90_000);
