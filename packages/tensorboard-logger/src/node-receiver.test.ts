import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invalidArgumentMessage, temporaryDirectory } from '../test/support';
import { EventFileWriteError, eventFileReceiver } from './index';

const PATH_EXPECTED =
  'a relative "/"-separated path without "", "." or ".." segments whose file name contains "tfevents" (a browser SummaryWriter\'s path)';

describe('eventFileReceiver', () => {
  it('creates each file on its first bytes and appends the later ones in order, under the directory', async () => {
    const root = temporaryDirectory();
    const receiver = eventFileReceiver(root);
    const path = 'webgl/sub/events.out.tfevents.1700000000.browser.0.0';
    await Promise.all([
      receiver.write(path, new Uint8Array([1, 2])),
      receiver.write(path, new Uint8Array([3])),
      receiver.write(path, new Uint8Array([4, 5])),
    ]);
    await receiver.close(path);
    expect([
      ...readFileSync(join(root, 'webgl', 'sub', 'events.out.tfevents.1700000000.browser.0.0')),
    ]).toEqual([1, 2, 3, 4, 5]);
    expect(receiver.files()).toEqual([
      join(root, 'webgl', 'sub', 'events.out.tfevents.1700000000.browser.0.0'),
    ]);
  });

  it.each([
    ['../escape/events.out.tfevents.1', '"../escape/events.out.tfevents.1"'],
    ['/etc/events.out.tfevents.1', '"/etc/events.out.tfevents.1"'],
    ['run//events.out.tfevents.1', '"run//events.out.tfevents.1"'],
    ['run/./events.out.tfevents.1', '"run/./events.out.tfevents.1"'],
    ['run\\..\\events.out.tfevents.1', '"run\\\\..\\\\events.out.tfevents.1"'],
    ['run/notes.txt', '"run/notes.txt"'],
    [42, '42'],
  ])('%#: refuses the path %s before touching the disk', (path, shown) => {
    const receiver = eventFileReceiver(temporaryDirectory());
    expect(invalidArgumentMessage(() => receiver.write(path as string, new Uint8Array(1)))).toBe(
      `eventFileReceiver.write: path must be ${PATH_EXPECTED}; received ${shown}.`,
    );
    expect(receiver.files()).toEqual([]);
  });

  it('refuses bytes that are not a Uint8Array and a missing directory, naming the argument', () => {
    const receiver = eventFileReceiver(temporaryDirectory());
    expect(
      invalidArgumentMessage(() =>
        receiver.write('r/events.out.tfevents.1', [1, 2] as unknown as Uint8Array),
      ),
    ).toBe('eventFileReceiver.write: bytes must be a Uint8Array; received [1,2].');
    expect(invalidArgumentMessage(() => eventFileReceiver(''))).toBe(
      'eventFileReceiver: directory must be a non-empty string; received "".',
    );
  });

  it('never appends to a file that already exists, and fails the later writes of that file too', async () => {
    const root = temporaryDirectory();
    writeFileSync(join(root, 'events.out.tfevents.1'), 'someone else');
    const receiver = eventFileReceiver(root);
    const first = await receiver
      .write('events.out.tfevents.1', new Uint8Array([1]))
      .catch((error: unknown) => error);
    expect(EventFileWriteError.isInstance(first)).toBe(true);
    expect((first as EventFileWriteError).operation).toBe('open');
    expect((first as EventFileWriteError).errno).toBe('EEXIST');
    await expect(receiver.write('events.out.tfevents.1', new Uint8Array([2]))).rejects.toBe(first);
    await expect(receiver.settled()).rejects.toBe(first);
    expect(readFileSync(join(root, 'events.out.tfevents.1'), 'utf8')).toBe('someone else');
  });
});
