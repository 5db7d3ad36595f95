import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from './checkpoint';
import { CheckpointError } from './errors';

describe('checkpoint encoding', () => {
  it('round-trips any tensors exactly (bit patterns included)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('float32' as const, 'float64' as const),
        fc.array(fc.array(fc.double(), { minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        (dtype, arrays, step) => {
          const Array_ = dtype === 'float64' ? Float64Array : Float32Array;
          const checkpoint: Checkpoint = {
            version: 1,
            step,
            dtype,
            fingerprint: { structure: 'abc', model: 'def' },
            schedule: { type: 'constant', value: 0.1 },
            tensors: arrays.map((values, i) => ({
              name: `t${i}`,
              role: i % 2 ? 'state' : 'parameter',
              shape: [values.length],
              data: Array_.from(values),
            })),
          };
          const decoded = decodeCheckpoint(encodeCheckpoint(checkpoint), 'memory');
          expect(decoded.step).toBe(step);
          expect(decoded.schedule).toEqual(checkpoint.schedule);
          expect(decoded.fingerprint).toEqual(checkpoint.fingerprint);
          decoded.tensors.forEach((tensor, i) => {
            const original = checkpoint.tensors[i]!;
            expect(tensor.name).toBe(original.name);
            expect(tensor.role).toBe(original.role);
            expect(
              new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength),
            ).toEqual(
              new Uint8Array(original.data.buffer, original.data.byteOffset, original.data.byteLength),
            );
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('starts with the signature and version 1, data 8-byte aligned', () => {
    const bytes = encodeCheckpoint({
      version: 1,
      step: 3,
      dtype: 'float64',
      fingerprint: { structure: 's' },
      schedule: null,
      tensors: [{ name: 'w', role: 'parameter', shape: [2], data: new Float64Array([1, 2]) }],
    });
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('ANNEALCK');
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(8, true)).toBe(1);
    const headerLength = view.getUint32(12, true);
    const payloadStart = Math.ceil((16 + headerLength) / 8) * 8;
    expect(bytes.length).toBe(payloadStart + 16);
    expect(view.getFloat64(payloadStart + 8, true)).toBe(2);
  });

  it('rejects an unknown version and an inconsistent header', () => {
    const good = encodeCheckpoint({
      version: 1,
      step: 0,
      dtype: 'float32',
      fingerprint: { structure: 's' },
      schedule: null,
      tensors: [{ name: 'w', role: 'parameter', shape: [2], data: new Float32Array([1, 2]) }],
    });
    const future = Uint8Array.from(good);
    new DataView(future.buffer).setUint32(8, 2, true);
    expect(() => decodeCheckpoint(future, 'f.ckpt')).toThrow(
      'loadCheckpoint: f.ckpt is not a usable checkpoint: format version 2 is not supported (this version reads 1).',
    );
    // same-length edit inside the header: the shape no longer matches the byte length
    const lying = Uint8Array.from(good);
    const at = new TextDecoder('latin1').decode(good).indexOf('"shape":[2]') + '"shape":['.length;
    lying[at] = '3'.charCodeAt(0);
    try {
      decodeCheckpoint(lying, 'l.ckpt');
      throw new Error('expected a rejection');
    } catch (error) {
      expect(CheckpointError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(
        'loadCheckpoint: l.ckpt is not a usable checkpoint: its header describes tensor "w" inconsistently.',
      );
    }
  });
});
