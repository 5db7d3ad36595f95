/**
 * The writer's platform in Node: `node:fs`, `os.hostname()`, `process.pid`, `node:path`,
 * `Buffer.allocUnsafeSlow` and one process 'exit' listener that writes what is still queued.
 */

import * as nodeFs from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { WriterFileSystem } from './file-sink';
import type { WriterPlatform } from './writer-platform';

// One 'exit' listener for all open files; it runs each one's drain (a synchronous write of what
// is still queued for it).
const drainsOnExit = new Set<() => void>();
let exitHookInstalled = false;

function drainAllOnExit(): void {
  for (const drain of drainsOnExit) drain();
}

export const nodePlatform: WriterPlatform = {
  defaultHostname: () => hostname(),
  defaultPid: () => process.pid,
  defaultFileSystem: () => nodeFs as unknown as WriterFileSystem,
  join,
  dirname,
  allocate: (bytes) => Buffer.allocUnsafeSlow(bytes),
  drainOnExit(drain) {
    drainsOnExit.add(drain);
    if (!exitHookInstalled) {
      process.on('exit', drainAllOnExit);
      exitHookInstalled = true;
    }
  },
  cancelDrainOnExit(drain) {
    drainsOnExit.delete(drain);
  },
};
