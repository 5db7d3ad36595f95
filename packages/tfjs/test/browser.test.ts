/**
 * Acceptance in Chromium (headless, playwright-core): on the webgl and webgpu backends, with cpu as
 * the reference in the same page, every tfjs optimizer's update k used Math.fround(schedule(k)),
 * through model.fit + learningRateScheduler and through scheduledOptimizer in a custom loop (the
 * rates read back bit for bit, the parameters replayed in float64), and no step leaves a tensor or
 * GPU bytes behind. Without a GPU, Chromium runs WebGL and WebGPU on SwiftShader.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BrowserBackend,
  browserBackends,
  type MemorySample,
  replayEpochs,
  replaySteps,
  zigzag,
} from './browser/cases';
import { bundlePage, openPage, type ServedPage, withTimeout } from './browser/harness';
import { expectExactRates } from './replay-checks';
import { optimizerCases } from './support';

type Page = (typeof globalThis)['annealPage'];
const STEP_MS = 30_000;

/** Runs `annealPage[method](...args)` in the page, at most STEP_MS. */
function call<M extends keyof Page>(
  served: ServedPage,
  method: M,
  ...args: Parameters<Page[M]>
): Promise<Awaited<ReturnType<Page[M]>>> {
  return withTimeout(
    served.page.evaluate(
      ([name, rest]) => (globalThis.annealPage[name] as (...a: unknown[]) => unknown)(...rest),
      [method, args] as const,
    ) as Promise<Awaited<ReturnType<Page[M]>>>,
    STEP_MS,
    `annealPage.${method}(${args.map((arg) => JSON.stringify(arg)).join(', ')})`,
  );
}

/** Every step's memory equals the first's: no tensor and no GPU byte left behind per step. */
function expectNoGrowth(memory: readonly MemorySample[]): void {
  expect(memory.length).toBeGreaterThan(1);
  for (const sample of memory) expect(sample).toEqual(memory[0]);
}

let code: string;
let served: ServedPage;

beforeAll(async () => {
  code = await bundlePage(fileURLToPath(new URL('./browser/page.ts', import.meta.url)));
  served = await openPage(code, STEP_MS);
}, 90_000);

afterAll(async () => {
  await served?.close();
});

const optimizers = Object.keys(optimizerCases);

for (const backend of browserBackends) {
  describe(`${backend} in Chromium`, () => {
    let epsilon = Number.NaN;

    beforeAll(async () => {
      const setup = await call(served, 'setBackend', backend as BrowserBackend);
      expect(setup.backend).toBe(backend);
      epsilon = setup.epsilon;
    }, STEP_MS);

    test('describeBackend names the backend and, on a GPU backend, the adapter it runs on', async () => {
      const setup = await call(served, 'setBackend', backend);
      if (backend === 'cpu') expect(setup.adapter).toBeUndefined();
      else expect(setup.adapter).toMatch(/\S/);
      expect(served.errors).toEqual([]);
    });

    for (const name of optimizers) {
      test(
        `${name}: model.fit + learningRateScheduler: update k used Math.fround(schedule(k)); no growth per step`,
        async () => {
          const schedule = (k: number) => optimizerCases[name]!.scale * zigzag(k);
          const run = await call(served, 'fitReplay', name);
          expectExactRates(name, schedule, replayEpochs, epsilon, run, 1e-4);
          const expected = Array.from({ length: replaySteps }, (_, k) => Math.fround(schedule(k)));
          expect(run.logged).toEqual(expected);
          expect(run.historyLr).toEqual([expected[4], expected[9]]);
          // The first epoch creates the optimizer's slot variables; after it, memory stays put.
          expectNoGrowth(run.memory.slice(5));
        },
        STEP_MS,
      );

      test(
        `${name}: scheduledOptimizer in a custom loop: update k used Math.fround(schedule(k)); no growth per step`,
        async () => {
          const schedule = (k: number) => optimizerCases[name]!.scale * zigzag(k);
          const run = await call(served, 'loopReplay', name);
          expectExactRates(name, schedule, replayEpochs, epsilon, run, 1e-4);
          expectNoGrowth(run.memory.slice(1));
        },
        STEP_MS,
      );
    }

    for (const name of ['sgd', 'adam']) {
      test(
        `${name}: 40 steps of model.fit with learningRateScheduler and tensorBoard: no tensor or GPU byte added`,
        async () => {
          const run = await call(served, 'fitLeak', name);
          expectNoGrowth(run.memory);
          if (backend !== 'cpu') expect(run.memory[0]!.numBytesInGPU).toBeGreaterThan(0);
          expect(run.scalarsWritten).toBeGreaterThan(80);
        },
        STEP_MS,
      );
    }
  });
}

describe('the docs example in Chromium', () => {
  test(
    'examples/browser/train-in-browser.ts trains on the first backend the browser starts (webgpu here) and logs it',
    async () => {
      const before = served.logs.length;
      await call(served, 'runTrainInBrowserExample');
      expect(served.errors).toEqual([]);
      const lines = served.logs.slice(before);
      expect(lines).toHaveLength(1);
      // e.g. "webgpu on google swiftshader: loss 1.091 -> 0.690, 196 samples/s, last learning rate 0.000167..."
      const match =
        /^webgpu on (.+): loss ([\d.]+) -> ([\d.]+), \d+ samples\/s, last learning rate ([\d.e-]+)$/.exec(
          lines[0]!,
        );
      expect(match, lines[0]).not.toBeNull();
      expect(Number(match![3])).toBeLessThan(Number(match![2]));
      // warmupCosineDecay (peak 0.03, 3 warm-up steps, 24 in all) at step 23: 0.03 (1 + cos(pi 20/21)) / 2, as float32.
      expect(Number(match![4])).toBe(Math.fround((0.03 * (1 + Math.cos((Math.PI * 20) / 21))) / 2));
    },
    STEP_MS,
  );
});

describe('Chromium without the WebGPU flags', () => {
  test("setBackend('webgpu') fails at once with one line naming what is missing and the flags", async () => {
    const plain = await openPage(code, STEP_MS, false);
    try {
      const failure = await call(plain, 'setBackend', 'webgpu').catch((error: unknown) => error as Error);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(
        /WebGPU unavailable: navigator\.gpu\.requestAdapter\(\) returned null \(Chromium needs --enable-unsafe-webgpu --enable-features=Vulkan --use-vulkan=swiftshader --use-webgpu-adapter=swiftshader --use-angle=swiftshader without a GPU\)\./,
      );
      // The page stays usable: webgl still starts.
      expect((await call(plain, 'setBackend', 'webgl')).backend).toBe('webgl');
    } finally {
      await plain.close();
    }
  }, 60_000);
});
