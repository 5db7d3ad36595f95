/**
 * Checkpoint integrity through the trainer: every bit of a saved checkpoint is covered, a load
 * that fails leaves the trainer exactly as it was, and a save removes the temporary files that
 * killed saves of the same checkpoint left behind.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constant } from '@anneal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../src/checkpoint';
import { CheckpointError } from '../src/errors';
import { createRandom, initParameters } from '../src/init';
import { createTrainer } from '../src/node/trainer';
import type { Trainer } from '../src/trainer/trainer';
import { headerTextOf, withHeaderText } from './checkpoint-files';
import { smallAdamGraph, temporaryDirectory } from './helpers';
import { blobs } from './problems';

const directory = temporaryDirectory('anneal-ort-integrity-');

const graph = smallAdamGraph();

/** A trainer of the small Adam MLP after `steps` updates (the same batches for the same `steps`). */
async function adamTrainer(steps: number): Promise<Trainer> {
  const trainer = await createTrainer({
    model: graph,
    schedule: constant({ value: 0.01 }),
    parameters: initParameters({ graph, seed: 1 }),
  });
  for (let k = 0; k < steps; k++) {
    const { x, y } = blobs(6, k);
    await trainer.step(x, y);
  }
  return trainer;
}

/** Every byte of the trainer's parameters and optimizer state, and its step. */
function stateOf(trainer: Trainer) {
  const bytes = (values: Record<string, Float32Array | Float64Array>) =>
    Object.fromEntries(Object.entries(values).map(([name, data]) => [name, new Uint8Array(data.buffer)]));
  return {
    parameters: bytes(trainer.parameters()),
    optimizerState: bytes(trainer.optimizerState()),
    step: trainer.currentStep,
  };
}

/** Asserts that `promise` rejects with a `CheckpointError` and returns it. */
async function checkpointRejection(promise: Promise<unknown>): Promise<CheckpointError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(CheckpointError.isInstance(caught), `expected a CheckpointError, got ${String(caught)}`).toBe(true);
  return caught as CheckpointError;
}

/** The file's bytes with one same-length edit of its header text (the filer's hand edits). */
function editHeader(bytes: Uint8Array, edit: (text: string) => string): Uint8Array {
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  const text = new TextDecoder().decode(bytes.subarray(16, 16 + headerLength));
  const edited = new TextEncoder().encode(edit(text));
  expect(edited.length).toBe(headerLength);
  expect(edit(text)).not.toBe(text);
  const out = Uint8Array.from(bytes);
  out.set(edited, 16);
  return out;
}

/** Swaps two strings of the same total length in `text`. */
const swap = (text: string, a: string, b: string) =>
  text.replace(a, '\u0000').replace(b, a).replace('\u0000', b);

describe('checkpoint integrity', () => {
  let bytes: Uint8Array;
  beforeAll(async () => {
    await using trainer = await adamTrainer(10);
    const path = join(directory, 'adam-10.ckpt');
    await trainer.save(path);
    bytes = await readFile(path);
  });

  it('rejects every single-bit flip of a 10-step Adam checkpoint with CheckpointError', () => {
    const accepted: string[] = [];
    const otherErrors: string[] = [];
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = Uint8Array.from(bytes);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      try {
        decodeCheckpoint(flipped, 'flipped.ckpt');
        accepted.push(`byte ${bit >> 3} bit ${bit & 7}`);
      } catch (error) {
        if (!CheckpointError.isInstance(error)) otherErrors.push(String(error));
      }
    }
    expect(bytes.length).toBeLessThan(4096);
    expect(accepted).toEqual([]);
    expect(otherErrors).toEqual([]);
  });

  it.each([
    ['step 10 → 11', (text: string) => text.replace('"step":10', '"step":11')],
    [
      'exp_avg and exp_avg_sq swapped',
      (text: string) => swap(text, '"layers.0.weight.exp_avg"', '"layers.0.weight.exp_avg_sq"'),
    ],
    ['role state → stbte', (text: string) => text.replace('"state"', '"stbte"')],
    ['fingerprint key model → iodel', (text: string) => text.replace('"model"', '"iodel"')],
    [
      'tensor name layers.2.weight → layers.2.weighu',
      (text: string) => text.replace('layers.2.weight"', 'layers.2.weighu"'),
    ],
  ])('a same-length header edit (%s) is rejected and the trainer is exactly as before', async (_, edit) => {
    const path = join(directory, `edited-${randomUUID()}.ckpt`);
    await writeFile(path, editHeader(bytes, edit));
    await using trainer = await adamTrainer(3);
    const before = stateOf(trainer);
    const error = await checkpointRejection(trainer.load(path));
    expect(error.message).toBe(
      `loadCheckpoint: ${path} is not a usable checkpoint: its data does not match the recorded SHA-256 (truncated or damaged file).`,
    );
    expect(stateOf(trainer)).toEqual(before);
    // the next step gives exactly what it gives on a trainer that never saw the file
    await using untouched = await adamTrainer(3);
    const { x, y } = blobs(6, 3);
    expect(await trainer.step(x, y)).toBe(await untouched.step(x, y));
    expect(stateOf(trainer)).toEqual(stateOf(untouched));
  });

  it.each([
    [
      'a renamed tensor',
      (text: string) => text.replace('layers.2.weight"', 'layers.2.weighu"'),
      '"layers.2.weight" missing from the checkpoint; "layers.2.weighu" not in this model',
    ],
    [
      'state recorded as a parameter',
      (text: string) => text.replace('"role":"state"', '"role":"parameter"'),
      '"layers.0.weight.exp_avg" parameter vs state',
    ],
  ])(
    'a checkpoint with a valid checksum but %s is refused as another model, and nothing is loaded',
    async (_, edit, difference) => {
      const edited = withHeaderText(bytes, edit(headerTextOf(bytes)));
      const path = join(directory, `sealed-${randomUUID()}.ckpt`);
      await writeFile(path, edited);
      await using trainer = await adamTrainer(3);
      const before = stateOf(trainer);
      const error = await checkpointRejection(trainer.load(path));
      expect(error.message).toBe(
        `trainer.load: ${path} was saved from another model (checkpoint vs this trainer: ${difference}); nothing was loaded.`,
      );
      expect(stateOf(trainer)).toEqual(before);
    },
  );

  it('300 random single-bit flips through trainer.load: each a CheckpointError, the trainer unchanged', async () => {
    const random = createRandom(13);
    await using trainer = await adamTrainer(3);
    const before = stateOf(trainer);
    const path = join(directory, 'random-flip.ckpt');
    for (let copy = 0; copy < 300; copy++) {
      const flipped = Uint8Array.from(bytes);
      flipped[Math.floor(random() * flipped.length)]! ^= 1 << Math.floor(random() * 8);
      await writeFile(path, flipped);
      await checkpointRejection(trainer.load(path));
    }
    expect(stateOf(trainer)).toEqual(before);
  });

  it('an intact checkpoint still loads exactly', async () => {
    const path = join(directory, 'intact.ckpt');
    await writeFile(path, bytes);
    await using source = await adamTrainer(10);
    await using trainer = await adamTrainer(0);
    await trainer.load(path);
    expect(stateOf(trainer)).toEqual(stateOf(source));
  });

  it('a version 1 checkpoint (header not covered by the checksum) is refused with a CheckpointError saying so', async () => {
    const path = join(import.meta.dirname, 'fixtures', 'adam-v1.ckpt');
    await using trainer = await adamTrainer(0);
    const error = await checkpointRejection(trainer.load(path));
    expect(error.message).toBe(
      `loadCheckpoint: ${path} is not a usable checkpoint: it is in checkpoint format version 1, which this version no longer reads: version 1 did not cover its header (step, tensor names and roles) with its checksum, so the file cannot be verified. This version reads format 2; save the trainer again with this version.`,
    );
    expect(trainer.currentStep).toBe(0);
  });
});

/** A file name `save` gives its temporary file for `name` (`.<name>.<pid>.<uuid>.tmp`). */
const temporaryName = (name: string, pid: number) => `.${name}.${pid}.${randomUUID()}.tmp`;

/**
 * Starts a process that writes a temporary file of `name` in `folder` as a save would, kills it
 * with SIGKILL once the file exists and resolves to the file's name (its pid is then dead).
 */
async function killedWriter(folder: string, name: string): Promise<string> {
  const script = `const fs = require('node:fs'); const file = process.argv[1] + '/.' + process.argv[2] + '.' + process.pid + '.' + require('node:crypto').randomUUID() + '.tmp'; fs.writeFileSync(file, Buffer.alloc(4096)); process.stdout.write(require('node:path').basename(file)); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script, folder, name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const file = await new Promise<string>((resolve) =>
    child.stdout.once('data', (data) => resolve(String(data))),
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return file;
}

describe('stale temporary files', () => {
  it("a save removes its checkpoint's temporary files whose process is gone, and no others", async () => {
    const folder = await mkdtemp(join(directory, 'stale-'));
    const killed = await killedWriter(folder, 'model.ckpt');
    const fromKilledOther = await killedWriter(folder, 'other.ckpt');
    const deadPid = Number(killed.split('.').at(-3));
    const ofLiveProcess = temporaryName('model.ckpt', process.ppid);
    const unrelated = [
      'model.ckpt.bak',
      `.model.ckpt.${deadPid}.tmp`,
      `.model.ckpt.${deadPid}.not-a-uuid.tmp`,
      temporaryName('model.ckpt.1', deadPid),
      temporaryName('model.ckpt', deadPid).slice(1),
    ];
    for (const name of [ofLiveProcess, ...unrelated]) await writeFile(join(folder, name), 'x');
    await using trainer = await adamTrainer(1);
    await trainer.save(join(folder, 'model.ckpt'));
    expect((await readdir(folder)).sort()).toEqual(
      ['model.ckpt', fromKilledOther, ofLiveProcess, ...unrelated].sort(),
    );
  });

  it('a save removes a temporary file of its own pid left by an earlier process (pid reuse)', async () => {
    const folder = await mkdtemp(join(directory, 'reused-'));
    const leftover = temporaryName('model.ckpt', process.pid);
    await writeFile(join(folder, leftover), 'x');
    const longAgo = new Date(Date.now() - 3600_000 - process.uptime() * 1000);
    await utimes(join(folder, leftover), longAgo, longAgo);
    await using trainer = await adamTrainer(1);
    await trainer.save(join(folder, 'model.ckpt'));
    expect(await readdir(folder)).toEqual(['model.ckpt']);
  });

  it('concurrent saves of one checkpoint by two trainers of this process both complete', async () => {
    const folder = await mkdtemp(join(directory, 'concurrent-'));
    const path = join(folder, 'model.ckpt');
    await using first = await adamTrainer(1);
    await using second = await adamTrainer(2);
    for (let round = 0; round < 10; round++) await Promise.all([first.save(path), second.save(path)]);
    expect(await readdir(folder)).toEqual(['model.ckpt']);
    expect([1, 2]).toContain(decodeCheckpoint(await readFile(path), path).step);
  });
});
