/**
 * A page in headless Chromium with what it reported recorded: page errors and console messages
 * of the chosen types as `errors`, console output as `logs`, every request URL, and a crash.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type ChromiumOptions, launchChromium } from './chromium';
import { modulePage, serveStatic } from './serve';
import { PageError, withTimeout } from './timeout';

export interface OpenPageOptions extends ChromiumOptions {
  /** Open the page in a new context of this browser (closed by `close()`); else launch one (closed by `close()`). */
  readonly browser?: Browser;
  /** Navigate here once the page is open. */
  readonly url?: string;
  /** After navigating, wait until `globalThis[ready]` is truthy (e.g. `'pageReady'`). */
  readonly ready?: string;
  /** The longest any one step (launch, navigation, waiting for `ready`, a Playwright call) may take. Default 30 s. */
  readonly stepMs?: number;
  readonly viewport?: { readonly width: number; readonly height: number };
  readonly acceptDownloads?: boolean;
  /** Console message types recorded in `logs`. Default: every type. */
  readonly logTypes?: readonly string[];
  /** Console message types recorded in `errors` (as `console <type>: <text>`). Default `['error']`. */
  readonly errorTypes?: readonly string[];
}

export interface OpenedPage {
  readonly browser: Browser;
  readonly page: Page;
  /** Page errors (`page error: ...`) and console messages of `errorTypes`, in order. */
  readonly errors: string[];
  /** The text of each console message of `logTypes`, in order. */
  readonly logs: string[];
  /** Every URL the page requested, in order. */
  readonly requests: string[];
  /** Why the page died, once it crashed; else undefined. */
  crashed(): string | undefined;
  /** Resolves with the first log line matching `pattern`; rejects with a `PageError` on a crash, a page error or after `timeoutMs`. */
  waitForLog(pattern: RegExp, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

function record(page: Page, options: OpenPageOptions) {
  const errors: string[] = [];
  const logs: string[] = [];
  const requests: string[] = [];
  let crash: string | undefined;
  const errorTypes = options.errorTypes ?? ['error'];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const type = message.type();
    if (!options.logTypes || options.logTypes.includes(type)) logs.push(message.text());
    if (errorTypes.includes(type)) errors.push(`console ${type}: ${message.text()}`);
  });
  page.on('request', (request) => requests.push(request.url()));
  page.on('crash', () => {
    crash = 'the page crashed';
  });
  const crashed = () => crash;
  const waitForLog = async (pattern: RegExp, timeoutMs: number): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = logs.find((line) => pattern.test(line));
      if (found !== undefined) return found;
      const failed = crash ?? errors.find((line) => line.startsWith('page error'));
      if (failed) throw new PageError(`waiting for ${pattern}: ${crash ?? errors.join('; ')}`);
      if (Date.now() > deadline)
        throw new PageError(`waiting for ${pattern} timed out after ${timeoutMs / 1000} s`);
      await new Promise((done) => setTimeout(done, 100));
    }
  };
  return { errors, logs, requests, crashed, waitForLog };
}

/**
 * Opens a page in headless Chromium (launched with `chromiumArgs(options)` unless `browser` is
 * given), records what it reports, and, with `url`, navigates there and waits for `ready`.
 */
export async function openPage(options: OpenPageOptions = {}): Promise<OpenedPage> {
  const stepMs = options.stepMs ?? 30_000;
  const browser = options.browser ?? (await launchChromium({ ...options, timeoutMs: stepMs }));
  let context: BrowserContext | undefined;
  const close = async () => {
    const closing = options.browser ? context?.close() : browser.close();
    await withTimeout(closing ?? Promise.resolve(), 15_000, 'closing Chromium').catch(() => undefined);
  };
  try {
    context = await browser.newContext({
      ...(options.viewport ? { viewport: { ...options.viewport } } : {}),
      ...(options.acceptDownloads !== undefined ? { acceptDownloads: options.acceptDownloads } : {}),
    });
    const page = await context.newPage();
    page.setDefaultTimeout(stepMs);
    const recorded = record(page, options);
    if (options.url !== undefined) {
      await withTimeout(page.goto(options.url), stepMs, `loading ${options.url}`);
      const ready = options.ready;
      if (ready !== undefined) {
        await withTimeout(
          page.waitForFunction((name) => Boolean((globalThis as Record<string, unknown>)[name]), ready),
          stepMs,
          `waiting for globalThis.${ready}`,
        );
      }
    }
    return { browser, page, ...recorded, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Serves `code` as the module of an empty page (with `folders` beside it, see `serveStatic`) on
 * 127.0.0.1 and opens it as `openPage` does; `close()` also stops the server.
 */
export async function openModulePage(
  code: string,
  options: Omit<OpenPageOptions, 'url'> & { folders?: Readonly<Record<string, string>> } = {},
): Promise<OpenedPage> {
  const server = await serveStatic({
    files: { '/': modulePage(), '/page.js': code },
    ...(options.folders ? { folders: options.folders } : {}),
  });
  try {
    const opened = await openPage({ ...options, url: server.url });
    return {
      ...opened,
      close: async () => {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
