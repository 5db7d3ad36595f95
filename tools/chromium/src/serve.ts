/**
 * A static file server on 127.0.0.1 (a random free port) for pages under test: files held in
 * memory at exact paths (more can be added while it runs), and folders mounted under a path
 * prefix, each with its content type, plus fixed response headers (e.g. COOP/COEP for
 * cross-origin isolation). Paths that climb out of a folder (`..`, encoded or not) are refused.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';

/** Content types by file extension; anything else is served as `application/octet-stream`. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The content type for `path`, from its extension. */
export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** A file's body: text (sent as UTF-8) or bytes. */
export type ServedBody = string | Uint8Array;

export interface StaticOptions {
  /** Bodies by exact URL path starting with `/` (`'/'` is served as HTML; others take the type of their extension). */
  readonly files?: Readonly<Record<string, ServedBody>>;
  /** Folders by URL prefix ending in `/`, e.g. `{ '/': outDir, '/ort/': ortDist }`; `/` within one serves `index.html`. */
  readonly folders?: Readonly<Record<string, string>>;
  /**
   * Headers sent with every response, e.g. `CROSS_ORIGIN_ISOLATION` (which onnxruntime-web's
   * threaded wasm needs for SharedArrayBuffer) or `{ 'cache-control': 'no-store' }`.
   */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** Adds or replaces the file at `path` (e.g. the next run's config); later requests get it. */
  set(path: string, body: ServedBody): void;
  close(): Promise<void>;
}

/** The headers that make a page cross-origin isolated (`crossOriginIsolated`, SharedArrayBuffer). */
export const CROSS_ORIGIN_ISOLATION: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const shown = (value: unknown) => JSON.stringify(value) ?? String(value);

function filePathProblem(path: unknown): string | undefined {
  return typeof path === 'string' && path.startsWith('/')
    ? undefined
    : `file paths must start with "/"; received ${shown(path)}.`;
}

function bodyProblem(path: string, body: unknown): string | undefined {
  return typeof body === 'string' || body instanceof Uint8Array
    ? undefined
    : `the body of ${JSON.stringify(path)} must be a string or a Uint8Array; received ${body === null ? 'null' : typeof body}.`;
}

/** Every problem with `options`, each naming the field, the expected and the received value. */
function optionProblems(options: StaticOptions): string[] {
  const issues: string[] = [];
  for (const [path, body] of Object.entries(options.files ?? {})) {
    const problem = filePathProblem(path) ?? bodyProblem(path, body);
    if (problem) issues.push(`files: ${problem}`);
  }
  for (const prefix of Object.keys(options.folders ?? {})) {
    if (!prefix.startsWith('/') || !prefix.endsWith('/'))
      issues.push(`folders keys must start and end with "/"; received ${JSON.stringify(prefix)}.`);
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (!HEADER_NAME.test(name)) issues.push(`headers: ${JSON.stringify(name)} is not a header name.`);
    else if (typeof value !== 'string' || /[\r\n]/.test(value))
      issues.push(`headers: ${name} must be a string without line breaks; received ${shown(value)}.`);
  }
  return issues;
}

/**
 * The file on disk for URL `path` under the folder mounted at `prefix`, or undefined when the
 * path leaves the folder.
 */
export function resolveInFolder(folder: string, prefix: string, path: string): string | undefined {
  const root = resolve(folder);
  const rest = path.slice(prefix.length);
  const file = resolve(root, rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest);
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

async function sendFolderFile(
  folders: Readonly<Record<string, string>>,
  path: string,
  response: ServerResponse,
): Promise<void> {
  // the longest prefix wins, so '/ort/' is served from its own folder rather than from '/'
  const prefix = Object.keys(folders)
    .filter((candidate) => path.startsWith(candidate))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix === undefined) {
    response.writeHead(path === '/favicon.ico' ? 204 : 404).end();
    return;
  }
  const file = resolveInFolder(folders[prefix]!, prefix, path);
  if (file === undefined) {
    response.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    response.writeHead(200, { 'content-type': contentType(file) }).end(body);
  } catch {
    response.writeHead(path === '/favicon.ico' ? 204 : 404).end();
  }
}

/** Serves `options.files` and `options.folders` from 127.0.0.1 on a random port. */
export async function serveStatic(options: StaticOptions): Promise<StaticServer> {
  const issues = optionProblems(options);
  if (issues.length > 0) throw new TypeError(`serveStatic: ${issues.join(' ')}`);
  const files = new Map(Object.entries(options.files ?? {}));
  const folders = options.folders ?? {};
  const headers = Object.entries(options.headers ?? {});
  const server = createServer((request, response) => {
    for (const [name, value] of headers) response.setHeader(name, value);
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    const body = files.get(path);
    if (body !== undefined) {
      response.writeHead(200, { 'content-type': path === '/' ? CONTENT_TYPES['.html']! : contentType(path) });
      response.end(body);
      return;
    }
    void sendFolderFile(folders, path, response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    set: (path, body) => {
      const problem = filePathProblem(path) ?? bodyProblem(path, body);
      if (problem) throw new TypeError(`serveStatic set: ${problem}`);
      files.set(path, body);
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** An empty HTML page that loads `script` as an ES module. */
export function modulePage(script = '/page.js', title = 'anneal test page'): string {
  return `<!doctype html><meta charset="utf-8"><title>${title}</title><script type="module" src="${script}"></script>`;
}
