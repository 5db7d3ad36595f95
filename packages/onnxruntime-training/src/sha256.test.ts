import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256, sha256Hex } from './sha256';

describe('sha256 (plain TypeScript) equals node:crypto', () => {
  // every padding case: empty, short, 55/56/63/64 bytes around the length field, several blocks
  it.each([0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 65_537])('%d bytes', (length) => {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 131 + 17) & 255);
    expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('hashes a view at its own offset, and strings as UTF-8', () => {
    const buffer = Uint8Array.from({ length: 100 }, (_, i) => i);
    const view = buffer.subarray(7, 77);
    expect(Buffer.from(sha256(view)).toString('hex')).toBe(createHash('sha256').update(view).digest('hex'));
    expect(sha256Hex('schedule η₀ → 0')).toBe(
      createHash('sha256').update('schedule η₀ → 0', 'utf8').digest('hex'),
    );
    // FIPS 180-4 example
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
