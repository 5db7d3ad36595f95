/**
 * The Node end of a browser writer's sink: `eventFileReceiver(directory)` is an `EventByteSink`
 * that appends the bytes a page sends (`write(path, bytes)`) to real event files under
 * `directory`, so runs trained in a browser land next to the Node runs. Node only.
 */

import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EventByteSink } from './byte-sink';
import { EventFileWriteError } from './errors';
import { isEventFileName } from './run-data';
import { IssueCollector, isNonEmptyString } from './validation';

/** An {@link EventByteSink} writing files under one directory. */
export interface EventFileReceiver extends EventByteSink {
  /** The directory the files are written under. */
  readonly directory: string;
  /** Appends `bytes` to the file `path` under the directory (creating it on its first bytes); resolves once written. */
  write(path: string, bytes: Uint8Array): Promise<void>;
  /** Resolves once every write of `path` received so far is on disk. */
  close(path: string): Promise<void>;
  /** Resolves once every write received so far is on disk (rejects with the first failure). */
  settled(): Promise<void>;
  /** The files written so far (absolute or as `directory` was given, joined with each `path`). */
  files(): string[];
}

/** `path` as the browser writer names files: relative, `/`-separated, no `.`/`..`/empty segment, an event file name last. */
function checkPath(issues: IssueCollector, path: unknown): void {
  const segments = typeof path === 'string' ? path.split('/') : [];
  const valid =
    segments.length > 0 &&
    segments.every(
      (segment) => segment !== '' && segment !== '.' && segment !== '..' && !segment.includes('\\'),
    ) &&
    !segments.some((segment) => segment.includes('\0')) &&
    isEventFileName(segments[segments.length - 1]!);
  if (!valid) {
    issues.add(
      'path',
      'a relative "/"-separated path without "", "." or ".." segments whose file name contains "tfevents" (a browser SummaryWriter\'s path)',
      path,
    );
  }
}

/**
 * An {@link EventByteSink} that writes each file the browser writer sends under `directory`:
 * the first bytes of a path create the file (`wx`: an existing file is never appended to or
 * overwritten), later ones are appended in the order received. Each `write` resolves once its
 * bytes are written; a failure rejects it (the page's writer reports an `EventFileWriteError`) and
 * every later write of that file.
 *
 * @example
 * // Node, driving a page with playwright-core:
 * const receiver = eventFileReceiver('runs');
 * await page.exposeFunction('sendEventBytes', (path: string, bytes: Uint8Array) => receiver.write(path, bytes));
 * // In the page:
 * // new SummaryWriter('webgl', { sink: { write: (path, bytes) => sendEventBytes(path, bytes) } })
 */
export function eventFileReceiver(directory: string): EventFileReceiver {
  const issues = new IssueCollector('eventFileReceiver');
  if (!isNonEmptyString(directory)) issues.add('directory', 'a non-empty string', directory);
  issues.throwIfAny();
  const chains = new Map<string, Promise<void>>();
  const written: string[] = [];
  return {
    directory,
    write(path, bytes) {
      const check = new IssueCollector('eventFileReceiver.write');
      checkPath(check, path);
      if (!(bytes instanceof Uint8Array)) check.add('bytes', 'a Uint8Array', bytes);
      check.throwIfAny();
      const file = join(directory, ...path.split('/'));
      const previous = chains.get(file);
      const next = (async () => {
        if (previous === undefined) {
          written.push(file);
          await attempt('mkdir', dirname(file), () => mkdir(dirname(file), { recursive: true }));
          await attempt('open', file, () => writeFile(file, bytes, { flag: 'wx' }));
        } else {
          await previous;
          await attempt('write', file, () => appendFile(file, bytes));
        }
      })();
      chains.set(file, next);
      return next;
    },
    async close(path) {
      await chains.get(join(directory, ...path.split('/')));
    },
    async settled() {
      await Promise.all(chains.values());
    },
    files: () => [...written],
  };
}

async function attempt(operation: string, path: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    throw new EventFileWriteError(operation, path, error);
  }
}
