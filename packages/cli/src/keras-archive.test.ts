import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CliError } from './errors';
import { looksLikeZip, memorySource, readKerasArchive } from './keras-archive';

const config = '{"module": "keras", "class_name": "Sequential"}';
const archive = zipSync({
  'metadata.json': strToU8('{"keras_version": "3.3.3", "date_saved": "2024-05-01@12:00:00"}'),
  'config.json': strToU8(config),
  'model.weights.h5': new Uint8Array([0x89, 0x48, 0x44, 0x46]),
});

/**
 * `zip` rewritten as a zip64 archive: its end record's size and offset set to 0xffffffff, with a
 * zip64 end record and locator (APPNOTE 4.3.14, 4.3.15) before it, as writers do past 4 GiB.
 */
function asZip64(zip: Uint8Array): Uint8Array {
  const end = zip.length - 22;
  const eocd = new DataView(zip.buffer, zip.byteOffset + end, 22);
  const entries = eocd.getUint16(10, true);
  const size = eocd.getUint32(12, true);
  const offset = eocd.getUint32(16, true);
  const out = new Uint8Array(end + 56 + 20 + 22);
  out.set(zip.subarray(0, end));
  const view = new DataView(out.buffer);
  view.setUint32(end, 0x06064b50, true);
  view.setBigUint64(end + 4, 44n, true);
  view.setUint16(end + 12, 45, true);
  view.setUint16(end + 14, 45, true);
  view.setBigUint64(end + 24, BigInt(entries), true);
  view.setBigUint64(end + 32, BigInt(entries), true);
  view.setBigUint64(end + 40, BigInt(size), true);
  view.setBigUint64(end + 48, BigInt(offset), true);
  const locator = end + 56;
  view.setUint32(locator, 0x07064b50, true);
  view.setBigUint64(locator + 8, BigInt(end), true);
  view.setUint32(locator + 16, 1, true);
  const record = locator + 20;
  view.setUint32(record, 0x06054b50, true);
  view.setUint16(record + 8, 0xffff, true);
  view.setUint16(record + 10, 0xffff, true);
  view.setUint32(record + 12, 0xffffffff, true);
  view.setUint32(record + 16, 0xffffffff, true);
  return out;
}

async function failure(bytes: Uint8Array): Promise<string> {
  try {
    await readKerasArchive(memorySource(bytes), 'm.keras', 1024 * 1024);
  } catch (error) {
    expect(CliError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a failure');
}

describe('readKerasArchive', () => {
  it('reads config.json and keras_version', async () => {
    const read = await readKerasArchive(memorySource(archive), 'm.keras', 1024 * 1024);
    expect(new TextDecoder().decode(read.configText)).toBe(config);
    expect(read.kerasVersion).toBe('3.3.3');
    expect(looksLikeZip(archive)).toBe(true);
  });

  it('follows a zip64 end record', async () => {
    const read = await readKerasArchive(memorySource(asZip64(archive)), 'm.keras', 1024 * 1024);
    expect(new TextDecoder().decode(read.configText)).toBe(config);
  });

  it('refuses a broken archive with the reason', async () => {
    const broken = archive.slice();
    const view = new DataView(broken.buffer);
    const directory = view.getUint32(broken.length - 22 + 16, true);
    view.setUint32(directory, 0, true);
    expect(await failure(broken)).toBe(
      'm.keras is not a readable zip archive (a broken central directory); expected a .keras file as model.save() writes it',
    );
    const zip64 = asZip64(archive);
    new DataView(zip64.buffer).setUint32(zip64.length - 42, 0, true);
    expect(await failure(zip64)).toContain('(zip64 sizes without a zip64 locator)');
  });

  it('bounds the central directory and config.json by the limit', async () => {
    await expect(readKerasArchive(memorySource(archive), 'm.keras', 16)).rejects.toThrow(
      'm.keras: its zip directory is over 16 bytes; not a .keras file',
    );
  });
});
