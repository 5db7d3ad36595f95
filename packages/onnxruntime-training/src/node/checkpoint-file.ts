/** Checkpoint files in Node: reading one (writing is `writeFileAtomic`). */
import { readFile } from 'node:fs/promises';
import { type Checkpoint, decodeCheckpoint } from '../checkpoint';
import { CheckpointError } from '../errors';

/** The bytes of the checkpoint file at `path`; one that cannot be read is a `CheckpointError` naming `caller`. */
export async function readCheckpointBytes(path: string, caller: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new CheckpointError(`${caller}: cannot read ${path}: ${(error as Error).message}`, path, {
      cause: error,
    });
  }
}

/** Reads and parses a checkpoint file without a trainer (e.g. to rebuild its schedule with `fromConfig`). */
export async function readCheckpoint(path: string): Promise<Checkpoint> {
  return decodeCheckpoint(await readCheckpointBytes(path, 'readCheckpoint'), path);
}
