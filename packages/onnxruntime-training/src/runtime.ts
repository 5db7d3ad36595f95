/**
 * The ONNX Runtime the adapter runs on, passed in by the user: the module namespace of
 * onnxruntime-node or onnxruntime-web (`import * as ort from 'onnxruntime-web/webgpu'`). Both
 * re-export onnxruntime-common, whose types are the only ones this package imports, so no copy
 * of either runtime is bundled with it.
 */
import type { InferenceSessionFactory, TensorConstructor } from 'onnxruntime-common';

export type { InferenceSession, Tensor } from 'onnxruntime-common';

/** What the adapter uses of an ONNX Runtime module: `InferenceSession.create` and `Tensor`. */
export interface OrtRuntime {
  readonly InferenceSession: Pick<InferenceSessionFactory, 'create'>;
  readonly Tensor: TensorConstructor;
}

/** Whether `value` looks like an ONNX Runtime module namespace (`InferenceSession.create` and `Tensor`). */
export function isOrtRuntime(value: unknown): value is OrtRuntime {
  if (typeof value !== 'object' || value === null) return false;
  const { InferenceSession, Tensor } = value as Partial<OrtRuntime>;
  return typeof InferenceSession?.create === 'function' && typeof Tensor === 'function';
}

/** What `ort` must be, for messages. */
export const ORT_EXPECTED =
  'the ONNX Runtime module (import * as ort from "onnxruntime-web" or "onnxruntime-node")';
