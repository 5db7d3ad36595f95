/**
 * Which Chromium the tests drive and with which flags (see /work/shared/TOOLING.md, "Browsers and
 * GPU backends"): Debian's `/usr/bin/chromium` unless `ANNEAL_CHROMIUM` names another binary,
 * headless, without the sandbox (the tests run as root), and optionally with WebGPU through
 * Vulkan on SwiftShader (a real GPU is used where the machine has one).
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { withTimeout } from './timeout';

/** The Chromium binary: `$ANNEAL_CHROMIUM` if set, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.ANNEAL_CHROMIUM || '/usr/bin/chromium';

/** Headless, no sandbox (root), nothing fetched in the background. */
export const BASE_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** WebGPU (and WebGL) on SwiftShader; without these `navigator.gpu.requestAdapter()` returns null. */
export const WEBGPU_FLAGS: readonly string[] = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
];

export interface ChromiumOptions {
  /** Add the WebGPU flags. Default false. */
  readonly webgpu?: boolean;
  /** `false` adds `--disable-gpu` (pages that draw on a 2D canvas only); cannot be combined with `webgpu`. Default true. */
  readonly gpu?: boolean;
}

/** The command-line flags for `options`. */
export function chromiumArgs(options: ChromiumOptions = {}): string[] {
  const { webgpu = false, gpu = true } = options;
  if (webgpu && !gpu) {
    throw new TypeError('chromiumArgs: webgpu: true needs gpu: true; received gpu: false.');
  }
  return [...BASE_FLAGS, ...(webgpu ? WEBGPU_FLAGS : []), ...(gpu ? [] : ['--disable-gpu'])];
}

/** `CHROMIUM_PATH`, or one error line saying how to install Chromium or point at another one. */
export function requireChromium(path = CHROMIUM_PATH): string {
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install it (apt-get install chromium) or set ANNEAL_CHROMIUM to its path to run the browser tests.`,
    );
  }
  return path;
}

/** Launches headless Chromium with `chromiumArgs(options)`, within `timeoutMs` (default 30 s). */
export async function launchChromium(
  options: ChromiumOptions & { timeoutMs?: number } = {},
): Promise<Browser> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const executablePath = requireChromium();
  const args = chromiumArgs(options);
  return withTimeout(
    chromium.launch({ executablePath, args, timeout: timeoutMs }),
    timeoutMs,
    'launching Chromium',
  );
}
