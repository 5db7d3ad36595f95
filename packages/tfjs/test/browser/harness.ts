/**
 * Chromium harness for the adapter's browser tests and benchmark: bundle a page script with
 * esbuild (browser platform, sources through the `@anneal/source` condition), serve it from
 * 127.0.0.1, and drive Debian's Chromium headless with playwright-core, with WebGPU enabled on
 * SwiftShader (a real GPU is used where the machine has one). Every step has a timeout.
 */

import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Chromium flags: headless, no sandbox (root). */
const BASE_ARGS = ['--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking'];

/** Plus WebGPU through Vulkan on SwiftShader (a real GPU is used where there is one). */
export const CHROMIUM_ARGS = [
  ...BASE_ARGS,
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
];

/** Docs examples import `@tensorflow/tfjs` as users do; in the page that name is the parts the package installs. */
const tfjsBundle = fileURLToPath(new URL('../tfjs-bundle.ts', import.meta.url));

/** The page script, bundled for the browser. */
export async function bundlePage(entry: string): Promise<string> {
  const result = await build({
    alias: { '@tensorflow/tfjs': tfjsBundle },
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@anneal/source'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** Rejects with `what` timed out after `ms` unless `promise` settles first. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface ServedPage {
  readonly page: Page;
  /** Page errors and console errors, for failure messages. */
  readonly errors: string[];
  /** What the page wrote with console.log. */
  readonly logs: string[];
  close(): Promise<void>;
}

/**
 * Serves `code` as the module of an empty page on 127.0.0.1, opens it in headless Chromium (with
 * the WebGPU flags unless `webgpu` is false) and waits until the page sets `globalThis.pageReady`.
 * Each step waits at most `stepMs`.
 */
export async function openPage(code: string, stepMs = 30_000, webgpu = true): Promise<ServedPage> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) to run the browser tests.`,
    );
  }
  const html = '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>';
  const server = createServer((request, response) => {
    if (request.url === '/page.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else if (request.url === '/favicon.ico') response.writeHead(204).end();
    else response.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const stopServer = () => new Promise<void>((done) => server.close(() => done()));
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: webgpu ? CHROMIUM_ARGS : BASE_ARGS,
      timeout: stepMs,
    });
    const page = await browser.newPage();
    page.setDefaultTimeout(stepMs);
    const errors: string[] = [];
    const logs: string[] = [];
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
      if (message.type() === 'log') logs.push(message.text());
    });
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`, { timeout: stepMs });
    await page.waitForFunction(() => (globalThis as { pageReady?: boolean }).pageReady === true, undefined, {
      timeout: stepMs,
    });
    const opened = browser;
    return {
      page,
      errors,
      logs,
      close: async () => {
        await opened.close();
        await stopServer();
      },
    };
  } catch (error) {
    await browser?.close();
    await stopServer();
    throw error;
  }
}
