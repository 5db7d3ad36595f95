/**
 * Chromium harness for the logger's browser tests: bundle a page script with esbuild (browser
 * platform, sources through the `@anneal/source` condition), serve it from 127.0.0.1 and drive
 * Debian's Chromium headless with playwright-core. Every step has a timeout.
 */

import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build, type Metafile } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 20_000;

/** The page script bundled for the browser, and the files it was built from. */
export async function bundlePage(entry: string): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@anneal/source'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, metafile: result.metafile };
}

export interface ServedPage {
  readonly browser: Browser;
  readonly page: Page;
  /** Page errors and console errors, for failure messages. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Serves `code` as the module of an empty page on 127.0.0.1 and opens it in headless Chromium. */
export async function openPage(code: string): Promise<ServedPage> {
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
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
      timeout: STEP_TIMEOUT_MS,
    });
    const page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
    });
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`, { timeout: STEP_TIMEOUT_MS });
    await page.waitForFunction(() => (globalThis as { pageReady?: boolean }).pageReady === true, undefined, {
      timeout: STEP_TIMEOUT_MS,
    });
    const opened = browser;
    return {
      browser: opened,
      page,
      errors,
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
