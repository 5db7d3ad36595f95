/**
 * Atomic writes of checkpoint files: a temporary file `.<name>.<pid>.<uuid>.tmp` in the same
 * directory is written, fsynced and renamed over the target, then the directory is fsynced, so a
 * crash leaves either the old file or the new one, never half of one. A process killed mid-save
 * leaves its temporary file behind; the next save of the same checkpoint removes it.
 */
import { randomUUID } from 'node:crypto';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * How far a file's modification time may lie before the start of the process that wrote it
 * (file systems that store times in whole seconds, or two, round them down).
 */
const TIMESTAMP_SLACK_MS = 2000;

/** The pid in `entry` when it is a temporary file of the checkpoint `name` (`.<name>.<pid>.<uuid>.tmp`). */
function temporaryFilePid(entry: string, name: string): number | undefined {
  const prefix = `.${name}.`;
  if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) return undefined;
  const middle = entry.slice(prefix.length, -'.tmp'.length);
  const dot = middle.indexOf('.');
  const pid = middle.slice(0, dot);
  if (dot < 1 || !/^[1-9][0-9]*$/.test(pid) || !UUID.test(middle.slice(dot + 1))) return undefined;
  return Number(pid);
}

/** Whether a process with this pid exists (one we may not signal exists too). */
function isLiveProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code !== 'ESRCH';
  }
}

/**
 * Whether the temporary file `path` of process `pid` is stale: its process is gone, or it has this
 * process's pid but is older than this process (a killed process whose pid was reused, as in
 * containers). A temporary file of another live process is never stale: its save may be running.
 */
async function isStale(path: string, pid: number): Promise<boolean> {
  if (pid !== process.pid) return !isLiveProcess(pid);
  const started = Date.now() - process.uptime() * 1000;
  try {
    return (await stat(path)).mtimeMs < started - TIMESTAMP_SLACK_MS;
  } catch {
    return false; // gone already
  }
}

/** Codes of a stale temporary file that cannot be removed; the save goes on without removing it. */
const LEFT_IN_PLACE = new Set(['ENOENT', 'EPERM', 'EACCES', 'EBUSY']);

/**
 * Removes the stale temporary files of the checkpoint `path` (see `isStale`). Files that are gone
 * meanwhile or that this process may not delete are left; a directory that cannot be listed is
 * reported by the write that follows.
 */
export async function removeStaleTemporaryFiles(path: string): Promise<void> {
  const directory = dirname(path);
  const name = basename(path);
  let entries: string[];
  try {
    entries = await readdir(directory);
  } catch {
    return;
  }
  await Promise.all(
    entries.map(async (entry) => {
      const pid = temporaryFilePid(entry, name);
      const file = join(directory, entry);
      if (pid === undefined || !(await isStale(file, pid))) return;
      await unlink(file).catch((error: { code?: string }) => {
        if (!LEFT_IN_PLACE.has(error.code ?? '')) throw error;
      });
    }),
  );
}

/**
 * Writes `bytes` to `path` atomically: first removes the stale temporary files of `path` (which
 * frees their space), then writes, fsyncs and renames a temporary file in the same directory over
 * `path`, and fsyncs the directory so the rename is durable.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await removeStaleTemporaryFiles(path);
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temporary, 'wx');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  let directoryHandle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    directoryHandle = await open(directory, 'r');
    await directoryHandle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a directory; the rename itself is done.
    const code = (error as { code?: string }).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    await directoryHandle?.close().catch(() => undefined);
  }
}
