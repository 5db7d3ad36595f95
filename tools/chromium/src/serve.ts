/**
 * A static file server on 127.0.0.1 (a random free port) for pages under test: files held in
 * memory at exact paths, and folders mounted under a path prefix, each with its content type.
 * Paths that climb out of a folder (`..`, encoded or not) are refused.
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

export interface StaticOptions {
  /** Bodies by exact URL path (`'/'` is served as HTML; others take the type of their extension). */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  /** Folders by URL prefix ending in `/`, e.g. `{ '/': outDir, '/ort/': ortDist }`; `/` within one serves `index.html`. */
  readonly folders?: Readonly<Record<string, string>>;
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  close(): Promise<void>;
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
  const files = options.files ?? {};
  const folders = options.folders ?? {};
  for (const prefix of Object.keys(folders)) {
    if (!prefix.startsWith('/') || !prefix.endsWith('/')) {
      throw new TypeError(
        `serveStatic: folders keys must start and end with "/"; received ${JSON.stringify(prefix)}.`,
      );
    }
  }
  const server = createServer((request, response) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    const body = files[path];
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
