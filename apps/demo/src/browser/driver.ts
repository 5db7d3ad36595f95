/**
 * Browser runs, driven from the demo's Node process through `@anneal/chromium-harness`: bundles
 * the training page, serves it with the data from 127.0.0.1 (cross-origin isolated), launches
 * headless Chromium (WebGPU on SwiftShader, or on the machine's GPU) and trains each run in a fresh page, forwarding every step to the demo's hooks and writer.
 * Every wait is bounded; a crashed page or a dead browser fails that run, never the demo.
 */
import { createRequire } from 'node:module';
import { basename, dirname, join, dirname as parentOf } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StaticServer } from '@anneal/chromium-harness';
import { type EventFileReceiver, eventFileReceiver } from '@anneal/tensorboard-logger';
import type { Browser, Page } from 'playwright-core';
import type { BrowserRunName } from '../args';
import type { ModelParameters } from '../models';
import type { PreparedRunner, TrainingHooks, TrainingPlan, TrainingResult } from '../runners/types';
import type { RunLog } from '../tensorboard';
import type { PageBridge, PageConfig, PageDone, PageEpoch, PageHparams, PageStep } from './protocol';
import { pageFiles } from './protocol';

/** The Chromium harness (esbuild, playwright-core), loaded only when a browser run is wanted. */
const harness = () => import('@anneal/chromium-harness');

/** What to do when the Chromium binary is missing, in the words of the demo's own flag. */
const chromiumFix =
  'install it with "sudo apt-get install chromium", or point --chromium at a Chromium or Chrome executable';

export interface BrowserOptions {
  readonly chromiumPath: string;
  /** Longest wait for any one browser step (launch, page load, a training step, an evaluation), in ms. */
  readonly stepTimeoutMs: number;
  /** Use the machine's GPU instead of SwiftShader. */
  readonly realGpu: boolean;
}

/** What the probe page found: the WebGL renderer and the WebGPU adapter, or why there is none. */
export interface AdapterProbe {
  readonly webgl: string | null;
  readonly webgpu: string | null;
  readonly webgpuProblem: string | null;
}

export interface BrowserSession {
  readonly browser: Browser;
  readonly server: StaticServer;
  readonly probe: AdapterProbe;
  readonly options: BrowserOptions;
  close(): Promise<void>;
}

const demoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** onnxruntime-web's dist folder (its WebGPU bundle and every wasm/mjs file it loads), served as `/ort/`. */
function onnxRuntimeWebFolder(): string {
  const require = createRequire(join(demoRoot, 'package.json'));
  // The package exports no package.json; its main entry lives in dist/.
  return dirname(require.resolve('onnxruntime-web'));
}

const pageHtml = `<!doctype html><html><head><meta charset="utf-8"><title>anneal demo</title></head>
<body><script type="module" src="/page.js"></script></body></html>`;

function bytes(array: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function concatenated(parameters: ModelParameters): Float32Array {
  const total = parameters.tensors.reduce((sum, tensor) => sum + tensor.values.length, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const tensor of parameters.tensors) {
    all.set(tensor.values, offset);
    offset += tensor.values.length;
  }
  return all;
}

/** The files of one plan: the page, its config and data. */
async function planFiles(
  plan: TrainingPlan,
  scheduleConfig: unknown,
): Promise<Record<string, string | Uint8Array>> {
  const { data, parameters } = plan;
  const totalSteps = plan.epochs * data.stepsPerEpoch;
  const config: PageConfig = {
    model: parameters.model,
    tensors: parameters.tensors.map(({ name, tag, shape }) => ({ name, tag, shape })),
    trainCount: data.train.count,
    testCount: data.test.count,
    pixels: data.train.pixels,
    batchSize: plan.batchSize,
    epochs: plan.epochs,
    stepsPerEpoch: data.stepsPerEpoch,
    optimizer: plan.optimizer,
    scheduleConfig: scheduleConfig ?? null,
    scheduleValues:
      scheduleConfig === undefined
        ? Array.from({ length: totalSteps }, (_, step) => plan.schedule(step))
        : null,
    source: data.source,
  };
  const { bundlePage } = await harness();
  const page = await bundlePage(join(demoRoot, 'src/browser/page.ts'), {
    target: 'chrome120',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return {
    '/': pageHtml,
    '/page.js': page.code,
    [pageFiles.config]: JSON.stringify(config),
    [pageFiles.parameters]: bytes(concatenated(parameters)),
    [pageFiles.trainImages]: bytes(data.train.images),
    [pageFiles.trainLabels]: bytes(data.train.labels),
    [pageFiles.testImages]: bytes(data.test.images),
    [pageFiles.testLabels]: bytes(data.test.labels),
  };
}

/** Asks a blank page of the session's browser which WebGL renderer and WebGPU adapter it has. */
async function probeAdapters(browser: Browser, url: string, timeoutMs: number): Promise<AdapterProbe> {
  const { withTimeout } = await harness();
  const page = await browser.newPage();
  try {
    await withTimeout(page.goto(`${url}probe.html`), timeoutMs, { message: 'the probe page did not load' });
    return await withTimeout(
      page.evaluate(async () => {
        const canvas = document.createElement('canvas');
        const gl = canvas.getContext('webgl2');
        const info = gl?.getExtension('WEBGL_debug_renderer_info');
        const webgl = gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : null;
        const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
        if (!gpu) return { webgl, webgpu: null, webgpuProblem: 'navigator.gpu is missing (WebGPU disabled)' };
        const adapter = (await gpu.requestAdapter()) as { info?: Record<string, string> } | null;
        if (!adapter)
          return { webgl, webgpu: null, webgpuProblem: 'navigator.gpu.requestAdapter() returned null' };
        const i = adapter.info ?? {};
        const main = [i.vendor, i.architecture, i.device].filter((part) => part).join(' ');
        const text = i.description ? `${main} (${i.description})` : main;
        return { webgl, webgpu: text.trim() || 'unnamed adapter', webgpuProblem: null };
      }),
      timeoutMs,
      { message: 'the probe page did not answer' },
    );
  } finally {
    await page.close().catch(() => undefined);
  }
}

/**
 * Launches Chromium and serves the plan's page and data. Throws an Error whose message says in
 * one line why the browser runs cannot happen (no Chromium, launch failed, ...).
 */
export async function openBrowserSession(
  plan: TrainingPlan,
  scheduleConfig: unknown,
  options: BrowserOptions,
): Promise<BrowserSession> {
  const { CROSS_ORIGIN_ISOLATION, launchChromium, requireChromium, serveStatic } = await harness();
  requireChromium(options.chromiumPath, chromiumFix);
  const server = await serveStatic({
    files: {
      ...(await planFiles(plan, scheduleConfig)),
      '/probe.html': '<!doctype html><title>probe</title>',
    },
    folders: { '/ort/': onnxRuntimeWebFolder() },
    // onnxruntime-web's threaded wasm wants cross-origin isolation for SharedArrayBuffer.
    headers: { ...CROSS_ORIGIN_ISOLATION, 'cache-control': 'no-store' },
  });
  let browser: Browser;
  try {
    browser = await launchChromium({
      executablePath: options.chromiumPath,
      webgpu: true,
      realGpu: options.realGpu,
      timeoutMs: options.stepTimeoutMs,
    });
  } catch (error) {
    await server.close();
    throw new Error(
      `Chromium at ${options.chromiumPath} did not start: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  try {
    const probe = await probeAdapters(browser, server.url, options.stepTimeoutMs);
    return {
      browser,
      server,
      probe,
      options,
      close: async () => {
        await browser.close().catch(() => undefined);
        await server.close();
      },
    };
  } catch (error) {
    await browser.close().catch(() => undefined);
    await server.close();
    throw error;
  }
}

/** Why `run` cannot train in this browser (e.g. no WebGPU adapter), or undefined when it can. */
export function runProblem(session: BrowserSession, run: BrowserRunName): string | undefined {
  const [, backend] = run.split('/');
  if (backend === 'webgl' && session.probe.webgl === null) return 'WebGL2 is not available in this Chromium';
  if (backend === 'webgpu' && session.probe.webgpu === null)
    return `no WebGPU adapter (${session.probe.webgpuProblem})`;
  return undefined;
}

/** The adapter a run reports: the WebGL renderer, the WebGPU adapter, or the CPU for wasm. */
function adapterFor(session: BrowserSession, run: BrowserRunName): string {
  const [, backend] = run.split('/');
  if (backend === 'webgl') return session.probe.webgl ?? 'none';
  if (backend === 'webgpu') return session.probe.webgpu ?? 'none';
  return 'CPU (wasm)';
}

/** One browser run's page and log, from `openLog` to the log's `close`. */
interface PageRun {
  receiver: EventFileReceiver | undefined;
  page: Page | undefined;
  close: () => Promise<void>;
  readonly errors: Error[];
}

/** One run in a fresh page: resolves with the page's result, rejects when the page fails, crashes or stalls. */
async function trainInPage(
  session: BrowserSession,
  run: BrowserRunName,
  plan: TrainingPlan,
  hooks: TrainingHooks,
  state: PageRun,
): Promise<PageDone> {
  const { browser, server, options } = session;
  const context = await browser.newContext();
  state.close = () => context.close().catch(() => undefined);
  const page: Page = await context.newPage();
  state.page = page;
  return new Promise<PageDone>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let waitingFor = 'the page to load';
    let settled = false;
    const arm = (what: string, ms = options.stepTimeoutMs) => {
      waitingFor = what;
      clearTimeout(timer);
      timer = setTimeout(() => fail(`timed out after ${ms / 1000} s waiting for ${waitingFor}.`), ms);
    };
    const fail = (message: string) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      state.page = undefined;
      reject(new Error(message));
    };
    page.on('crash', () => fail(`the page crashed while waiting for ${waitingFor}.`));
    page.on('close', () =>
      fail(
        browser.isConnected()
          ? `the page closed while waiting for ${waitingFor}.`
          : `the browser died while waiting for ${waitingFor}.`,
      ),
    );
    browser.on('disconnected', () => fail(`the browser died while waiting for ${waitingFor}.`));
    const bridge: PageBridge = {
      annealEventBytes: async (path: string, bytes: Uint8Array) => {
        await state.receiver?.write(path, Uint8Array.from(bytes));
      },
      annealStep: async (step: PageStep) => {
        hooks.onStep(step);
        arm(`step ${step.step + 2}`);
      },
      annealEpoch: async (epoch: PageEpoch) => {
        hooks.onEpoch({
          epoch: epoch.epoch,
          steps: epoch.steps,
          testAccuracy: epoch.testAccuracy,
          parameters: {
            model: plan.parameters.model,
            tensors: plan.parameters.tensors.map((tensor, index) => ({
              ...tensor,
              values: Float32Array.from(epoch.parameters[index]!),
            })),
          },
        });
        arm('the next step');
      },
      annealDone: async (done: PageDone) => {
        clearTimeout(timer);
        settled = true;
        resolve(done);
      },
      annealFailed: async (message: string) => fail(message),
    };
    const start = async () => {
      for (const [name, fn] of Object.entries(bridge)) await page.exposeFunction(name, fn);
      arm('the page to load');
      await page.goto(`${server.url}#${run}`);
      await page.waitForFunction(
        () => typeof (window as unknown as { annealStart?: unknown }).annealStart === 'function',
      );
      // The first step compiles every shader: allow three times the usual wait.
      arm('step 1 (shader compilation included)', options.stepTimeoutMs * 3);
      await page.evaluate(() => (window as unknown as { annealStart(): void }).annealStart());
    };
    start().catch((error: Error) => fail(error.message.split('\n')[0]!));
  });
}

/** The run's log: its event files arrive from the page; hparams are handed to the page at the end. */
function pageRunLog(state: PageRun, directory: string, timeoutMs: number): RunLog {
  // The page's writer names files `<folder>/events...`, relative to the TensorBoard folder.
  state.receiver = eventFileReceiver(parentOf(directory));
  let hparams: PageHparams | undefined;
  const { errors } = state;
  const expected = basename(directory);
  return {
    writer: { addScalar: () => undefined },
    histogram: () => undefined,
    hparams: (values, metrics) => {
      hparams = { hparams: values, metrics };
    },
    flush: async () => undefined,
    close: async () => {
      try {
        const page = state.page;
        if (page !== undefined && hparams !== undefined) {
          const { withTimeout } = await harness();
          await withTimeout(
            page.evaluate(
              (h) => (window as unknown as { annealFinish(h: PageHparams): Promise<void> }).annealFinish(h),
              hparams,
            ),
            timeoutMs,
            { message: 'the page did not close its TensorBoard writer in time' },
          );
        }
        await state.receiver?.settled();
        if (state.receiver && !state.receiver.files().some((file) => file.includes(expected)))
          errors.push(new Error(`no event file arrived from the page for ${expected}.`));
      } catch (error) {
        errors.push(error as Error);
      } finally {
        await state.close();
      }
    },
    errors,
  };
}

/** A browser run as the demo's runners look: `train` drives the page. */
export function browserRunner(
  session: BrowserSession,
  run: BrowserRunName,
  plan: TrainingPlan,
): PreparedRunner {
  const [runtime, backend] = run.split('/') as ['tfjs' | 'onnxruntime', string];
  const state: PageRun = { receiver: undefined, page: undefined, close: async () => undefined, errors: [] };
  return {
    runtime,
    environment: 'browser',
    backend,
    device: backend === 'wasm' ? 'cpu' : 'gpu',
    adapter: adapterFor(session, run),
    notes: [],
    logits: () => Promise.reject(new Error('logits are not read from browser runs.')),
    openLog: (directory: string) => pageRunLog(state, directory, session.options.stepTimeoutMs),
    async train(hooks: TrainingHooks): Promise<TrainingResult> {
      const done = await trainInPage(session, run, plan, hooks, state);
      return {
        adapter: done.adapter,
        steps: done.steps,
        samples: done.samples,
        trainingSeconds: done.trainingSeconds,
        completed: done.completed,
      };
    },
    async dispose() {
      await state.close();
    },
  };
}
