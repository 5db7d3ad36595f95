/**
 * The Node side of the Chromium tests and the browser benchmark, on the workspace's Chromium
 * harness (@anneal/chromium-harness): bundles ./page.ts (from the browser entry, so a Node
 * built-in fails the bundle), serves it with onnxruntime-web's dist files at /ort/ from
 * 127.0.0.1, and opens it in headless Chromium with SwiftShader's WebGPU. Every call into the
 * page has a timeout.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePage, openModulePage, PageError, withTimeout } from '@anneal/chromium-harness';
import type { TestPage } from './page';

export { PageError } from '@anneal/chromium-harness';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const ortDist = join(packageRoot, 'node_modules', 'onnxruntime-web', 'dist');

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

/**
 * Bundles, serves and opens the test page (or `script`, a module that runs on load) in headless
 * Chromium, with the WebGPU flags unless `webgpu: false` (then `requestAdapter()` returns null).
 */
export async function openBrowser(
  options: { webgpu?: boolean; script?: string } = {},
): Promise<BrowserSession> {
  const { code } = await bundlePage(join(packageRoot, options.script ?? 'test/browser/page.ts'));
  const opened = await openModulePage(code, {
    webgpu: options.webgpu !== false,
    folders: { '/ort/': ortDist },
    ...(options.script ? {} : { ready: 'annealTestPage' }),
  });
  try {
    const adapter = await withTimeout(
      opened.page.evaluate(async () => {
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
    return {
      adapter,
      errors: opened.errors,
      logs: opened.logs,
      waitForLog: opened.waitForLog,
      call: (method, argument, timeoutMs) => {
        const crashed = opened.crashed();
        if (crashed) return Promise.reject(new PageError(crashed));
        return withTimeout(
          opened.page.evaluate(
            ([name, value]) =>
              (globalThis as unknown as { annealTestPage: Record<string, (v: unknown) => unknown> })
                .annealTestPage[name]!(value),
            [method, argument] as const,
          ) as never,
          timeoutMs,
          `page ${method}`,
        );
      },
      close: opened.close,
    };
  } catch (error) {
    await opened.close();
    throw error;
  }
}
