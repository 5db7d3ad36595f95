import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BundleError,
  bundlePage,
  CHROMIUM_PATH,
  chromiumArgs,
  contentType,
  nodeBuiltinInputs,
  openModulePage,
  PageError,
  requireChromium,
  resolveInFolder,
  type StaticServer,
  serveStatic,
  WEBGPU_FLAGS,
  withTimeout,
} from '../src/index';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('chromiumArgs', () => {
  it('is headless without the sandbox; webgpu adds the SwiftShader flags; gpu: false adds --disable-gpu', () => {
    const plain = chromiumArgs();
    expect(plain).toContain('--headless');
    expect(plain).toContain('--no-sandbox');
    expect(plain.some((flag) => flag.includes('webgpu'))).toBe(false);
    expect(chromiumArgs({ webgpu: true })).toEqual([...plain, ...WEBGPU_FLAGS]);
    expect(WEBGPU_FLAGS).toEqual([
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      '--use-vulkan=swiftshader',
      '--use-webgpu-adapter=swiftshader',
      '--use-angle=swiftshader',
    ]);
    expect(chromiumArgs({ gpu: false })).toEqual([...plain, '--disable-gpu']);
  });

  it('refuses webgpu without a GPU', () => {
    expect(() => chromiumArgs({ webgpu: true, gpu: false })).toThrow(
      'chromiumArgs: webgpu: true needs gpu: true; received gpu: false.',
    );
  });
});

describe('requireChromium', () => {
  it('names the missing path and how to install Chromium, in one line', () => {
    expect(() => requireChromium('/nonexistent/chromium')).toThrow(
      /^Chromium not found at \/nonexistent\/chromium: install it \(apt-get install chromium\) or set ANNEAL_CHROMIUM to its path to run the browser tests\.$/,
    );
  });

  it('returns the binary when it exists', () => {
    expect(requireChromium(process.execPath)).toBe(process.execPath);
    expect(CHROMIUM_PATH).toBe(process.env.ANNEAL_CHROMIUM || '/usr/bin/chromium');
  });
});

describe('withTimeout', () => {
  it('passes the value through, and rejects with a PageError naming the step after the limit', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000, 'a step')).resolves.toBe(7);
    const never = new Promise<never>(() => undefined);
    const failure = await withTimeout(never, 20, 'waiting for nothing').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PageError);
    expect((failure as Error).message).toBe('waiting for nothing timed out after 0.02 s');
  });

  it('keeps the original rejection', async () => {
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000, 'a step')).rejects.toThrow('boom');
  });
});

describe('bundlePage', () => {
  it('bundles a page into one browser module; alias replaces a module', async () => {
    const bundle = await bundlePage(fixture('page.ts'));
    expect(bundle.code).toContain('hello from the page');
    expect(nodeBuiltinInputs(bundle.metafile)).toEqual([]);
    const aliased = await bundlePage(fixture('aliased.ts'), {
      alias: { 'anneal-greeting': fixture('other-greeting.ts') },
    });
    expect(aliased.code).toContain('hello from the alias');
  });

  it('fails with a BundleError naming the importer and the Node built-in', async () => {
    const failure = await bundlePage(fixture('node-builtin.ts')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BundleError);
    expect((failure as Error).message).toMatch(
      /^bundlePage\(.*node-builtin\.ts\) failed for the browser:\n.*fixtures\/node-builtin\.ts:1:\d+: imports the Node built-in "node:fs", which a browser page cannot load\.$/,
    );
  });
});

describe('serveStatic', () => {
  let folder: string;
  let server: StaticServer;
  const get = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await response.text(),
    };
  };

  const rawStatus = (path: string) =>
    new Promise<number>((done, fail) => {
      const { port } = new URL(server.url);
      request({ host: '127.0.0.1', port, path }, (response) => {
        response.resume();
        done(response.statusCode ?? 0);
      })
        .on('error', fail)
        .end();
    });

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'anneal-serve-'));
    mkdirSync(join(folder, 'site'));
    mkdirSync(join(folder, 'wasm'));
    writeFileSync(join(folder, 'site', 'index.html'), '<p>site</p>');
    writeFileSync(join(folder, 'site', 'app.mjs'), 'export {};');
    writeFileSync(join(folder, 'wasm', 'kernel.wasm'), 'wasm bytes');
    writeFileSync(join(folder, 'secret.txt'), 'secret');
    server = await serveStatic({
      files: { '/': '<p>page</p>', '/page.js': 'console.log(1);' },
      folders: { '/site/': join(folder, 'site'), '/wasm/': join(folder, 'wasm') },
    });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('serves files and folders with their content types', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await get('')).toEqual({ status: 200, type: 'text/html; charset=utf-8', body: '<p>page</p>' });
    expect(await get('page.js')).toEqual({ status: 200, type: 'text/javascript', body: 'console.log(1);' });
    expect(await get('site/')).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<p>site</p>',
    });
    expect((await get('site/app.mjs')).type).toBe('text/javascript');
    expect((await get('wasm/kernel.wasm')).type).toBe('application/wasm');
    expect((await get('missing.js')).status).toBe(404);
    expect((await get('site/missing.js')).status).toBe(404);
    expect((await get('favicon.ico')).status).toBe(204);
  });

  it('refuses paths that leave a folder, encoded or not', async () => {
    // raw request paths (fetch() would normalize them before sending): dot segments are resolved
    // first, so these name /secret.txt, which no folder serves; an encoded slash is refused
    expect(await rawStatus('/site/../secret.txt')).toBe(404);
    expect(await rawStatus('/site/%2e%2e/secret.txt')).toBe(404);
    expect(await rawStatus('/site/..%2fsecret.txt')).toBe(403);
    expect(await rawStatus('/site/%E0%A4%A')).toBe(400);
    expect(resolveInFolder('/srv/site', '/site/', '/site/../site-secret/x')).toBeUndefined();
    expect(resolveInFolder('/srv/site', '/site/', '/site/a/b.js')).toBe('/srv/site/a/b.js');
    expect(contentType('X.WASM')).toBe('application/wasm');
    expect(contentType('data.bin')).toBe('application/octet-stream');
  });

  it('rejects a folder prefix that is not a path ending in /', async () => {
    await expect(serveStatic({ folders: { '/site': folder } })).rejects.toThrow(
      'serveStatic: folders keys must start and end with "/"; received "/site".',
    );
  });
});

describe('openModulePage in Chromium', () => {
  it('loads the bundled page, waits for pageReady and records logs, errors and requests', async () => {
    const { code } = await bundlePage(fixture('page.ts'));
    const opened = await openModulePage(code, { ready: 'pageReady', errorTypes: ['error', 'warning'] });
    try {
      expect(opened.logs).toEqual(['hello from the page', 'a warning']);
      expect(opened.errors).toEqual(['console warning: a warning']);
      expect(opened.requests.map((url) => new URL(url).pathname)).toEqual(['/', '/page.js']);
      expect(opened.crashed()).toBeUndefined();
      await expect(opened.waitForLog(/^hello/, 1000)).resolves.toBe('hello from the page');
      await expect(opened.waitForLog(/^never/, 200)).rejects.toThrow(
        'waiting for /^never/ timed out after 0.2 s',
      );
    } finally {
      await opened.close();
    }
  }, 60_000);
});
