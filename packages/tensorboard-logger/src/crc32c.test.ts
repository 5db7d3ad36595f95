import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceCrc32c, referenceMask } from '../test/support';
import { crc32c, maskCrc32c, maskedCrc32c, unmaskCrc32c } from './crc32c';

const ascii = (text: string) => new TextEncoder().encode(text);

describe('crc32c', () => {
  it('matches the CRC-32C check value for "123456789"', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
  });

  it('matches published CRC-32C vectors (RFC 3720 B.4)', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('gives the masked values in FORMAT.md', () => {
    // TensorBoard masked_crc.rs doc test.
    expect(maskedCrc32c(ascii('\x1a\x11CRC test, one two'))).toBe(0x5794d08a);
    // Length field 24 of the thirdparty-simplevalue-with-metadata fixture.
    expect(maskedCrc32c(Uint8Array.of(0x18, 0, 0, 0, 0, 0, 0, 0))).toBe(0x224b7fa3);
  });

  it('agrees with a bit-at-a-time implementation on any bytes and sub-range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
        const end = start + (bytes.length === 0 ? 0 : b % (bytes.length - start + 1));
        expect(crc32c(bytes, start, end)).toBe(referenceCrc32c(bytes.slice(start, end)));
      }),
      { seed: 20260601, numRuns: 400 },
    );
  });

  it('masks as ((crc >>> 15) | (crc << 17)) + 0xa282ead8 and unmasks back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (crc) => {
        expect(maskCrc32c(crc)).toBe(referenceMask(crc));
        expect(unmaskCrc32c(maskCrc32c(crc))).toBe(crc);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
