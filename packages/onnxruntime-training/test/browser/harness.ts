/**
 * The Node side of the Chromium tests and the browser benchmark: bundles ./page.ts with esbuild
 * (from the browser entry, so a Node built-in would fail the bundle), serves it with
 * onnxruntime-web's dist files from 127.0.0.1, and drives Debian's Chromium headless through
 * playwright-core with SwiftShader's WebGPU. Every call into the page has a timeout.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { TestPage } from './page';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const ortDist = join(packageRoot, 'node_modules', 'onnxruntime-web', 'dist');
export const CHROMIUM = '/usr/bin/chromium';

/** Chromium flags: WebGPU on SwiftShader (software) where the machine has no GPU. */
const WEBGPU_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};

/** Bundles `script` (a path in the package) as the page's module into a fresh folder; returns the folder. */
async function bundlePage(script: string): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'anneal-ort-web-'));
  await build({
    entryPoints: [join(packageRoot, script)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['@anneal/source'],
    outfile: join(folder, 'page.js'),
    logLevel: 'silent',
  });
  writeFileSync(
    join(folder, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>anneal onnxruntime-web</title><script type="module" src="/page.js"></script>',
  );
  return folder;
}

/** Serves `folder` at / and onnxruntime-web's dist files at /ort/, on 127.0.0.1 (random port). */
async function serve(folder: string) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const [root, rest] = path.startsWith('/ort/') ? [ortDist, path.slice(4)] : [folder, path];
    const file = resolve(root, `.${normalize(rest === '/' ? '/index.html' : rest)}`);
    if (!file.startsWith(root)) return void response.writeHead(403).end();
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** A failure of the page (crash, timeout) with one line saying what happened. */
export class PageError extends Error {
  override readonly name = 'PageError';
}

export interface BrowserSession {
  /** Calls `annealTestPage[method](argument)` in the page; rejects with `PageError` after `timeoutMs`. */
  call<M extends keyof TestPage>(
    method: M,
    argument: Parameters<TestPage[M]>[0],
    timeoutMs: number,
  ): Promise<Awaited<ReturnType<TestPage[M]>>>;
  /** What `navigator.gpu.requestAdapter()` reports: the adapter's architecture/vendor, or null. */
  readonly adapter: string | null;
  /** Console errors and page errors seen so far. */
  readonly errors: string[];
  /** Every console message so far (`log`, `warning`, `error`, ...), in order. */
  readonly logs: string[];
  /** Resolves once a console message matches `pattern`; rejects with `PageError` after `timeoutMs`. */
  waitForLog(pattern: RegExp, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

/** Races `promise` against `timeoutMs`; the loser's timer is cleared. */
async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PageError(`${what} timed out after ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Bundles, serves and opens the test page (or `script`, a module that runs on load) in headless
 * Chromium, with the WebGPU flags unless `webgpu: false` (then `requestAdapter()` returns null).
 */
export async function openBrowser(
  options: { webgpu?: boolean; script?: string } = {},
): Promise<BrowserSession> {
  const folder = await bundlePage(options.script ?? 'test/browser/page.ts');
  const server = await serve(folder);
  let browser: Browser | undefined;
  try {
    browser = await withTimeout(
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', ...(options.webgpu === false ? [] : WEBGPU_FLAGS)],
      }),
      30_000,
      'launching Chromium',
    );
    const page: Page = await browser.newPage();
    const errors: string[] = [];
    let crashed: string | undefined;
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    const logs: string[] = [];
    page.on('console', (message) => {
      logs.push(message.text());
      if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
    });
    page.on('crash', () => {
      crashed = 'the page crashed';
    });
    await withTimeout(page.goto(server.url), 30_000, 'loading the test page');
    if (!options.script)
      await withTimeout(
        page.waitForFunction(() => 'annealTestPage' in globalThis),
        30_000,
        'starting the test page',
      );
    const adapter = await withTimeout(
      page.evaluate(async () => {
        type Adapter = { info?: { architecture?: string; vendor?: string } } | null;
        const { navigator } = globalThis as unknown as {
          navigator: { gpu?: { requestAdapter(): Promise<Adapter> } };
        };
        const gpu = navigator.gpu;
        const found = gpu ? await gpu.requestAdapter() : null;
        return found
          ? `${found.info?.vendor ?? ''} ${found.info?.architecture ?? ''}`.trim() || 'unknown'
          : null;
      }),
      15_000,
      'asking for a WebGPU adapter',
    );
    const opened = browser;
    const waitForLog = async (pattern: RegExp, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = logs.find((line) => pattern.test(line));
        if (found !== undefined) return found;
        if (crashed || errors.some((line) => line.startsWith('page error')))
          throw new PageError(`waiting for ${pattern}: ${crashed ?? errors.join('; ')}`);
        if (Date.now() > deadline)
          throw new PageError(`waiting for ${pattern} timed out after ${timeoutMs / 1000} s`);
        await new Promise((done) => setTimeout(done, 100));
      }
    };
    return {
      adapter,
      errors,
      logs,
      waitForLog,
      call: (method, argument, timeoutMs) => {
        if (crashed) return Promise.reject(new PageError(crashed));
        return withTimeout(
          page.evaluate(
            ([name, value]) =>
              (globalThis as unknown as { annealTestPage: Record<string, (v: unknown) => unknown> })
                .annealTestPage[name]!(value),
            [method, argument] as const,
          ) as never,
          timeoutMs,
          `page ${method}`,
        );
      },
      close: async () => {
        await withTimeout(opened.close(), 15_000, 'closing Chromium').catch(() => undefined);
        await server.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.close();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}
