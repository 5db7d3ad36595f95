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
  CROSS_ORIGIN_ISOLATION,
  chromiumArgs,
  chromiumPath,
  contentType,
  DEFAULT_CHROMIUM_PATH,
  nodeBuiltinInputs,
  openModulePage,
  PageError,
  REAL_GPU_WEBGPU_FLAGS,
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

  it('realGpu swaps the SwiftShader flags for WebGPU and ANGLE on Vulkan on the machine GPU', () => {
    const plain = chromiumArgs();
    expect(chromiumArgs({ webgpu: true, realGpu: true })).toEqual([...plain, ...REAL_GPU_WEBGPU_FLAGS]);
    expect(REAL_GPU_WEBGPU_FLAGS).toEqual([
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      '--use-angle=vulkan',
      '--ignore-gpu-blocklist',
    ]);
    expect(chromiumArgs({ webgpu: true, realGpu: false })).toEqual([...plain, ...WEBGPU_FLAGS]);
  });

  it.each([
    [{ realGpu: true }, 'chromiumArgs: realGpu: true needs webgpu: true; received webgpu: false.'],
    [
      { webgpu: true, gpu: false, realGpu: true },
      'chromiumArgs: webgpu: true needs gpu: true; received gpu: false.',
    ],
    [
      { webgpu: 'yes', realGpu: 1 },
      'chromiumArgs: webgpu must be a boolean; received "yes". realGpu must be a boolean; received 1.',
    ],
    [{ gpu: null }, 'chromiumArgs: gpu must be a boolean; received null.'],
  ])('refuses %j, naming every field', (options, message) => {
    expect(() => chromiumArgs(options as never)).toThrow(message);
  });
});

describe('chromiumPath', () => {
  it('takes an explicit path first (a flag wins), else ANNEAL_CHROMIUM, else /usr/bin/chromium', () => {
    const saved = process.env.ANNEAL_CHROMIUM;
    try {
      process.env.ANNEAL_CHROMIUM = '/opt/env-chromium';
      expect(chromiumPath('/opt/flag-chromium')).toBe('/opt/flag-chromium');
      expect(chromiumPath()).toBe('/opt/env-chromium');
      process.env.ANNEAL_CHROMIUM = '';
      expect(chromiumPath()).toBe(DEFAULT_CHROMIUM_PATH);
      delete process.env.ANNEAL_CHROMIUM;
      expect(chromiumPath()).toBe('/usr/bin/chromium');
    } finally {
      if (saved === undefined) delete process.env.ANNEAL_CHROMIUM;
      else process.env.ANNEAL_CHROMIUM = saved;
    }
  });

  it.each([
    ['', 'chromiumPath: the path must be a non-empty string; received "".'],
    [42, 'chromiumPath: the path must be a non-empty string; received 42.'],
  ])('refuses %j', (path, message) => {
    expect(() => chromiumPath(path as never)).toThrow(message);
  });
});

describe('requireChromium', () => {
  it('names the missing path and how to install Chromium, in one line', () => {
    expect(() => requireChromium('/nonexistent/chromium')).toThrow(
      /^Chromium not found at \/nonexistent\/chromium \(install it with "apt-get install chromium", or set ANNEAL_CHROMIUM to its path to run the browser tests\)\.$/,
    );
  });

  it('says how to fix it in the words of the caller (a command names its own flag)', () => {
    expect(() =>
      requireChromium('/nonexistent/chromium', 'point --chromium at a Chromium executable'),
    ).toThrow(
      /^Chromium not found at \/nonexistent\/chromium \(point --chromium at a Chromium executable\)\.$/,
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

  it('rejects with { message } verbatim when given one', async () => {
    const never = new Promise<never>(() => undefined);
    const failure = await withTimeout(never, 20, { message: 'the probe page did not load' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PageError);
    expect((failure as Error).message).toBe('the probe page did not load');
  });

  it.each([
    [0, 'a step', 'withTimeout: ms must be a positive finite number; received 0.'],
    [Number.NaN, 'a step', 'withTimeout: ms must be a positive finite number; received NaN.'],
    [
      Number.POSITIVE_INFINITY,
      'a step',
      'withTimeout: ms must be a positive finite number; received Infinity.',
    ],
    [10, '', 'withTimeout: what must be a step name or { message } with a non-empty message; received "".'],
    [
      10,
      { message: 7 },
      'withTimeout: what must be a step name or { message } with a non-empty message; received {"message":7}.',
    ],
  ])('refuses ms %s with what %j', async (ms, what, message) => {
    await expect(withTimeout(Promise.resolve(1), ms, what as never)).rejects.toThrow(message);
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

  it('define replaces identifiers and target picks the syntax level', async () => {
    const defined = await bundlePage(fixture('defined.ts'), {
      define: { 'process.env.NODE_ENV': '"production"' },
      target: 'chrome120',
    });
    expect(defined.code).toContain('"production"');
    expect(defined.code).not.toContain('process.env');
  });

  it('fails with a BundleError when a define value is not an expression', async () => {
    const failure = await bundlePage(fixture('defined.ts'), {
      define: { 'process.env.NODE_ENV': 'not an expression (' },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BundleError);
    expect((failure as Error).message).toMatch(/^bundlePage\(.*defined\.ts\) failed for the browser:\n/);
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

  it('sends the headers with every response and serves files set after it started', async () => {
    const isolated = await serveStatic({
      files: { '/': '<p>isolated</p>' },
      folders: { '/site/': join(folder, 'site') },
      headers: { ...CROSS_ORIGIN_ISOLATION, 'cache-control': 'no-store' },
    });
    try {
      for (const path of ['', 'site/app.mjs', 'missing.json']) {
        const response = await fetch(`${isolated.url}${path}`);
        await response.arrayBuffer();
        expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
        expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
        expect(response.headers.get('cache-control')).toBe('no-store');
      }
      expect((await fetch(`${isolated.url}config.json`)).status).toBe(404);
      isolated.set('/config.json', '{"run":1}');
      isolated.set('/data/a.bin', Uint8Array.of(1, 2, 3));
      const config = await fetch(`${isolated.url}config.json`);
      expect(config.headers.get('content-type')).toBe('application/json');
      expect(await config.text()).toBe('{"run":1}');
      isolated.set('/config.json', '{"run":2}');
      expect(await (await fetch(`${isolated.url}config.json`)).text()).toBe('{"run":2}');
      const data = await fetch(`${isolated.url}data/a.bin`);
      expect(data.headers.get('content-type')).toBe('application/octet-stream');
      expect([...new Uint8Array(await data.arrayBuffer())]).toEqual([1, 2, 3]);
    } finally {
      await isolated.close();
    }
  });

  it('refuses a file set with a bad path or body, keeping what it served', async () => {
    const running = await serveStatic({ files: { '/a.json': '{}' } });
    try {
      expect(() => running.set('a.json', '[]')).toThrow(
        'serveStatic set: file paths must start with "/"; received "a.json".',
      );
      expect(() => running.set('/a.json', 5 as never)).toThrow(
        'serveStatic set: the body of "/a.json" must be a string or a Uint8Array; received number.',
      );
      expect(await (await fetch(`${running.url}a.json`)).text()).toBe('{}');
    } finally {
      await running.close();
    }
  });

  it('names every bad file, folder and header at once', async () => {
    await expect(
      serveStatic({
        files: { 'page.js': '', '/x.bin': null as never },
        folders: { site: folder },
        headers: { 'bad name': 'x', 'x-split': 'a\r\nb', 'x-number': 3 as never },
      }),
    ).rejects.toThrow(
      'serveStatic: files: file paths must start with "/"; received "page.js". ' +
        'files: the body of "/x.bin" must be a string or a Uint8Array; received null. ' +
        'folders keys must start and end with "/"; received "site". ' +
        'headers: "bad name" is not a header name. ' +
        'headers: x-split must be a string without line breaks; received "a\\r\\nb". ' +
        'headers: x-number must be a string without line breaks; received 3.',
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
