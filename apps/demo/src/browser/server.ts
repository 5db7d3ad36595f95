/** The local server that hands the training page its code, its data and onnxruntime-web's files. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  readonly body: Uint8Array | string;
  readonly type: string;
}

export interface PageServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** Adds or replaces a file (e.g. the next run's config). */
  set(path: string, file: ServedFile): void;
  close(): Promise<void>;
}

/** Serves `files` (by exact path) on 127.0.0.1, on a port the system picks. */
export async function servePage(files: Map<string, ServedFile>): Promise<PageServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = files.get(path === '/' ? '/index.html' : path);
    if (file === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    response
      .writeHead(200, {
        'content-type': file.type,
        // onnxruntime-web's threaded wasm wants cross-origin isolation for SharedArrayBuffer.
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cache-control': 'no-store',
      })
      .end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    set: (path, file) => files.set(path, file),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Content types of the files the page loads. */
export const contentTypes = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json',
  wasm: 'application/wasm',
  binary: 'application/octet-stream',
} as const;
