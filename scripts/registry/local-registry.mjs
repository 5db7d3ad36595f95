// A throwaway npm registry for publish-and-install checks: verdaccio (the workspace's pinned
// devDependency) on 127.0.0.1 at a free port, with storage, config and users in a temporary
// folder, no uplinks (only @anneal/* lives there; consumers take third-party packages from their
// usual registry through a scoped `@anneal:registry`), always stopped by `stop()` or on exit.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';

const require = createRequire(import.meta.url);
const START_TIMEOUT_MS = 60_000;

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** verdaccio's config: everyone may read, the one throwaway user may publish; nothing proxied. */
export function registryConfig(storage) {
  return [
    `storage: ${JSON.stringify(storage)}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(path.join(storage, 'htpasswd'))}`,
    '    max_users: 1',
    'uplinks: {}',
    'packages:',
    "  '@anneal/*':",
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    'server:',
    '  keepAliveTimeout: 5',
    'web:',
    '  enable: false',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

async function waitForPing(url, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited early (code ${child.exitCode})`);
    try {
      const response = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer ${url}-/ping within ${START_TIMEOUT_MS / 1000} s`);
}

/** Creates the publishing user and returns its token (the registry's CouchDB-style user API). */
async function createUser(url) {
  const response = await fetch(`${url}-/user/org.couchdb.user:anneal-ci`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'anneal-ci', password: `ci-${process.pid}-${Date.now()}` }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json();
  if (!response.ok || typeof body.token !== 'string')
    throw new Error(`could not create the registry user: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/**
 * Starts verdaccio with storage under `dir`; returns `{ url, host, token, stop, log }`. `host` is
 * the `//127.0.0.1:PORT/` prefix npm uses for per-registry settings such as `_authToken`.
 */
export async function startRegistry(dir) {
  const storage = path.join(dir, 'storage');
  mkdirSync(storage, { recursive: true });
  const config = path.join(dir, 'config.yaml');
  writeFileSync(config, registryConfig(storage));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const bin = path.join(path.dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio');
  const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const log = [];
  const keep = (chunk) => log.push(chunk.toString());
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForPing(url, child, Date.now() + START_TIMEOUT_MS);
    const token = await createUser(url);
    return { url, host: `//127.0.0.1:${port}/`, token, stop, log };
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${log.join('')}`);
  }
}

/** The dist-tags of a package, read the way a user would: `npm view <name> dist-tags --registry`. */
export function distTags(url, name) {
  const out = execFileSync('npm', ['view', name, 'dist-tags', '--json', `--registry=${url}`], {
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out);
}
