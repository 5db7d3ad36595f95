/**
 * Test helpers: build the app with Vite into a temporary folder, serve it from 127.0.0.1 on a
 * random port and drive Debian's Chromium, through the workspace's Chromium harness
 * (@anneal/chromium-harness).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  launchChromium as launchHeadless,
  openPage as openChromiumPage,
  type StaticServer,
  serveStatic,
} from '@anneal/chromium-harness';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';

export const appRoot = fileURLToPath(new URL('../..', import.meta.url));
export const artifacts = join(appRoot, 'test-artifacts');

/** Builds the app into a fresh temporary folder and returns it. */
export async function buildApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'anneal-playground-'));
  await build({
    root: appRoot,
    configFile: join(appRoot, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/** A static file server for `folder` on 127.0.0.1 (random port). */
export function serve(folder: string): Promise<StaticServer> {
  return serveStatic({ folders: { '/': folder } });
}

/** Headless Chromium with the GPU off: the app needs neither WebGL nor WebGPU. */
export function launchChromium(): Promise<Browser> {
  return launchHeadless({ gpu: false });
}

/** A page that records console errors and warnings, page errors and every request it makes. */
export function openPage(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  return openChromiumPage({ browser, viewport, acceptDownloads: true, errorTypes: ['error', 'warning'] });
}

export function cleanArtifacts(): void {
  mkdirSync(artifacts, { recursive: true });
}

export function removeFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}
