/**
 * Which Chromium the tests and the demo drive and with which flags (see /work/shared/TOOLING.md,
 * "Browsers and GPU backends"): an explicit path (the demo's `--chromium`) first, else
 * `$ANNEAL_CHROMIUM`, else Debian's `/usr/bin/chromium`; headless, without the sandbox (the tests
 * run as root), and optionally with WebGPU through Vulkan on SwiftShader or on the machine's GPU.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { withTimeout } from './timeout';

/** Debian's Chromium, used when neither an explicit path nor `$ANNEAL_CHROMIUM` names one. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * The Chromium binary to drive: `explicit` when given (a command-line flag wins), else
 * `$ANNEAL_CHROMIUM` when set and not empty, else `/usr/bin/chromium`.
 */
export function chromiumPath(explicit?: string): string {
  if (explicit !== undefined) {
    if (typeof explicit !== 'string' || explicit === '') {
      throw new TypeError(
        `chromiumPath: the path must be a non-empty string; received ${JSON.stringify(explicit) ?? String(explicit)}.`,
      );
    }
    return explicit;
  }
  return process.env.ANNEAL_CHROMIUM || DEFAULT_CHROMIUM_PATH;
}

/** The Chromium binary of this process: `$ANNEAL_CHROMIUM` if set, else `/usr/bin/chromium`. */
export const CHROMIUM_PATH = chromiumPath();

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

/**
 * WebGPU through Vulkan and WebGL through ANGLE on Vulkan, on the machine's GPU (its driver must be
 * installed; without a GPU, WebGL fails to initialise: use `WEBGPU_FLAGS` there).
 */
export const REAL_GPU_WEBGPU_FLAGS: readonly string[] = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=vulkan',
  '--ignore-gpu-blocklist',
];

export interface ChromiumOptions {
  /** Add the WebGPU flags. Default false. */
  readonly webgpu?: boolean;
  /** `false` adds `--disable-gpu` (pages that draw on a 2D canvas only); cannot be combined with `webgpu`. Default true. */
  readonly gpu?: boolean;
  /** With `webgpu: true`: WebGPU and WebGL on the machine's GPU (`REAL_GPU_WEBGPU_FLAGS`) instead of SwiftShader. Default false. */
  readonly realGpu?: boolean;
}

const received = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/** The command-line flags for `options`. */
export function chromiumArgs(options: ChromiumOptions = {}): string[] {
  const issues: string[] = [];
  for (const field of ['webgpu', 'gpu', 'realGpu'] as const) {
    const value: unknown = options[field];
    if (value !== undefined && typeof value !== 'boolean')
      issues.push(`${field} must be a boolean; received ${received(value)}.`);
  }
  if (issues.length > 0) throw new TypeError(`chromiumArgs: ${issues.join(' ')}`);
  const { webgpu = false, gpu = true, realGpu = false } = options;
  if (webgpu && !gpu) issues.push('webgpu: true needs gpu: true; received gpu: false.');
  if (realGpu && !webgpu) issues.push('realGpu: true needs webgpu: true; received webgpu: false.');
  if (issues.length > 0) throw new TypeError(`chromiumArgs: ${issues.join(' ')}`);
  const gpuFlags = webgpu ? (realGpu ? REAL_GPU_WEBGPU_FLAGS : WEBGPU_FLAGS) : [];
  return [...BASE_FLAGS, ...gpuFlags, ...(gpu ? [] : ['--disable-gpu'])];
}

const TEST_FIX =
  'install it with "apt-get install chromium", or set ANNEAL_CHROMIUM to its path to run the browser tests';

/**
 * `path` (default `CHROMIUM_PATH`) when the binary exists; else throws one error line
 * "Chromium not found at `path` (`howToFix`)." — `howToFix` defaults to installing Chromium or
 * setting ANNEAL_CHROMIUM (a command names its own flag instead).
 */
export function requireChromium(path = CHROMIUM_PATH, howToFix = TEST_FIX): string {
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path} (${howToFix}).`);
  return path;
}

export interface LaunchOptions extends ChromiumOptions {
  /** The binary; default `chromiumPath()` (`$ANNEAL_CHROMIUM` or `/usr/bin/chromium`). */
  readonly executablePath?: string;
  /** The longest the launch may take. Default 30 s. */
  readonly timeoutMs?: number;
}

/** Launches headless Chromium with `chromiumArgs(options)`, within `timeoutMs` (default 30 s). */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const executablePath = requireChromium(chromiumPath(options.executablePath));
  const args = chromiumArgs(options);
  return withTimeout(
    chromium.launch({ executablePath, args, timeout: timeoutMs }),
    timeoutMs,
    'launching Chromium',
  );
}
