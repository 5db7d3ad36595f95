import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { useBackend } from '../test/backend';
import { describeBackend, type TfLike, TrainingSetupError } from './index';

/** A tf namespace whose current backend is `name`, implemented by `backend`. */
const fakeTf = (name: string | null, backend: unknown): TfLike => ({
  getBackend: () => name,
  backend: () => backend,
});

const RENDERER = 0x1f01;
const UNMASKED_RENDERER_WEBGL = 0x9246;

function fakeGl(parameters: Record<number, string>, withDebugInfo: boolean) {
  return {
    RENDERER,
    getExtension: (name: string) =>
      withDebugInfo && name === 'WEBGL_debug_renderer_info' ? { UNMASKED_RENDERER_WEBGL } : null,
    getParameter: (parameter: number) => parameters[parameter] ?? null,
  };
}

describe('describeBackend', () => {
  test.each(['cpu', 'wasm'] as const)('%s in Node: the backend, no adapter', async (name) => {
    await useBackend(name);
    expect(describeBackend(tf)).toEqual({ backend: name, adapter: undefined });
  });

  test('webgl: the unmasked renderer, else RENDERER (the masked one) when the browser hides it', () => {
    const parameters = {
      [RENDERER]: 'WebKit WebGL',
      [UNMASKED_RENDERER_WEBGL]: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 4090)',
    };
    expect(describeBackend(fakeTf('webgl', { gpgpu: { gl: fakeGl(parameters, true) } }))).toEqual({
      backend: 'webgl',
      adapter: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 4090)',
    });
    expect(describeBackend(fakeTf('webgl', { gpgpu: { gl: fakeGl(parameters, false) } })).adapter).toBe(
      'WebKit WebGL',
    );
    expect(describeBackend(fakeTf('webgl', { gpgpu: { gl: fakeGl({}, true) } })).adapter).toBeUndefined();
    expect(describeBackend(fakeTf('webgl', {})).adapter).toBeUndefined();
  });

  test("webgpu: the device's adapter info when the browser gives it, else tfjs's (vendor, architecture); empty and repeated parts dropped", () => {
    const device = { adapterInfo: { vendor: 'nvidia', architecture: 'ada', device: '', description: 'ada' } };
    expect(describeBackend(fakeTf('webgpu', { device, adapterInfo: { vendor: 'x' } })).adapter).toBe(
      'nvidia ada',
    );
    expect(
      describeBackend(fakeTf('webgpu', { adapterInfo: { vendor: 'google', architecture: 'swiftshader' } })),
    ).toEqual({
      backend: 'webgpu',
      adapter: 'google swiftshader',
    });
    expect(
      describeBackend(fakeTf('webgpu', { adapterInfo: { vendor: '', architecture: '' } })).adapter,
    ).toBeUndefined();
    expect(describeBackend(fakeTf('webgpu', {})).adapter).toBeUndefined();
  });

  const withoutBackend: unknown = { getBackend: () => 'cpu' };
  test.each<[unknown, string]>([
    [
      null,
      'describeBackend: tf must be the tfjs namespace (with getBackend() and backend()); received null.',
    ],
    [
      withoutBackend,
      'describeBackend: tf must be the tfjs namespace (with getBackend() and backend()); received {}.',
    ],
    [
      fakeTf(null, undefined),
      'describeBackend: no tfjs backend is initialized (tf.getBackend() returned null); await tf.ready() or tf.setBackend(...) first.',
    ],
  ])('%#: throws TrainingSetupError naming what it received', (value, message) => {
    let caught: unknown;
    try {
      describeBackend(value as TfLike);
    } catch (error) {
      caught = error;
    }
    expect(TrainingSetupError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(message);
  });
});
