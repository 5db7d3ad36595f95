/**
 * The adapter's browser tests and benchmark on the workspace's Chromium harness
 * (@anneal/chromium-harness): the page script bundled for the browser with `@tensorflow/tfjs`
 * aliased to the parts the package installs, served from 127.0.0.1 and opened in headless
 * Chromium with WebGPU on SwiftShader (a real GPU where the machine has one).
 */
import { fileURLToPath } from 'node:url';
import { bundlePage as bundle, type OpenedPage, openModulePage } from '@anneal/chromium-harness';

export { withTimeout } from '@anneal/chromium-harness';

/** Docs examples import `@tensorflow/tfjs` as users do; in the page that name is the parts the package installs. */
const tfjsBundle = fileURLToPath(new URL('../tfjs-bundle.ts', import.meta.url));

/** The page script, bundled for the browser. */
export async function bundlePage(entry: string): Promise<string> {
  return (await bundle(entry, { alias: { '@tensorflow/tfjs': tfjsBundle } })).code;
}

/** An open page: `errors` holds page errors and console errors, `logs` what the page wrote with console.log. */
export type ServedPage = OpenedPage;

/**
 * Serves `code` as the module of an empty page, opens it in headless Chromium (with the WebGPU
 * flags unless `webgpu` is false) and waits until the page sets `globalThis.pageReady`. Each step
 * waits at most `stepMs`.
 */
export function openPage(code: string, stepMs = 30_000, webgpu = true): Promise<ServedPage> {
  return openModulePage(code, { webgpu, stepMs, ready: 'pageReady', logTypes: ['log'] });
}
