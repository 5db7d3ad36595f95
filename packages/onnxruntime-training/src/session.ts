/**
 * Session creation on the runtime the user passed, with the fallback ONNX Runtime itself does
 * not do: from CUDA to the CPU in Node, from WebGPU to wasm in the browser.
 */
import { ExecutionProviderError, TrainingConfigError } from './errors';
import type { InferenceSession, OrtRuntime } from './runtime';

/**
 * An execution provider as ONNX Runtime spells it: `'cpu'`, `'cuda'`, `{ name: 'cuda', deviceId: 1 }`
 * in Node; `'webgpu'`, `'wasm'` in the browser.
 */
export type ExecutionProvider = InferenceSession.ExecutionProviderConfig;

/** What differs between the hosts: the provider to fall back to, and what accelerators need. */
export interface HostProviders {
  /** The provider a failed accelerator falls back to: `'cpu'` (Node) or `'wasm'` (browser). */
  readonly fallback: string;
  /** The fallback as messages name it: `the CPU`, `wasm`. */
  readonly fallbackLabel: string;
  /** What the requested accelerators need, for the error message (e.g. CUDA 12 and cuDNN 9). */
  readonly requirements: string;
  /**
   * Throws `ExecutionProviderError` (one line saying which provider and why) when a requested
   * provider cannot work here, before ONNX Runtime tries it; e.g. no WebGPU adapter.
   */
  readonly check?: (providers: readonly string[], caller: string) => Promise<void>;
}

export interface SessionSettings {
  readonly ort: OrtRuntime;
  readonly executionProviders: readonly ExecutionProvider[];
  readonly intraOpNumThreads: number;
  readonly strict: boolean;
  readonly onWarning: (message: string) => void;
  /** Name of the calling function, for messages. */
  readonly caller: string;
  readonly host: HostProviders;
}

export const providerName = (provider: ExecutionProvider) =>
  typeof provider === 'string' ? provider : provider.name;

/**
 * Creates a session with the requested providers. When that fails and some requested provider
 * is not the host's fallback, the session is created again on the fallback after one warning,
 * or, with `strict`, an `ExecutionProviderError` is thrown. Returns the providers actually in use.
 * `options` adds session options (e.g. `preferredOutputLocation`) for the providers in use.
 */
export async function createSession(
  model: Uint8Array,
  settings: SessionSettings,
  options: (providers: readonly ExecutionProvider[]) => InferenceSession.SessionOptions = () => ({}),
): Promise<{ session: InferenceSession; executionProviders: readonly ExecutionProvider[] }> {
  const { ort, host, caller } = settings;
  const base: InferenceSession.SessionOptions = { intraOpNumThreads: settings.intraOpNumThreads };
  const requested = settings.executionProviders;
  const accelerators = requested.map(providerName).filter((name) => name !== host.fallback);
  const create = (providers: readonly ExecutionProvider[]) =>
    ort.InferenceSession.create(model, {
      ...base,
      ...options(providers),
      executionProviders: [...providers],
    });
  try {
    await host.check?.(requested.map(providerName), caller);
    return { session: await create(requested), executionProviders: requested };
  } catch (error) {
    if (accelerators.length === 0) throw unloadable(caller, model, error);
    const reason = firstLine(error);
    const names = accelerators.map((n) => JSON.stringify(n)).join(', ');
    if (settings.strict) {
      if (error instanceof ExecutionProviderError) throw error;
      throw new ExecutionProviderError(
        `${caller}: execution provider ${names} could not be used (${reason}). ${host.requirements}; without strict: true the trainer falls back to ${host.fallbackLabel}.`,
        requested.map(providerName),
        { cause: error },
      );
    }
    settings.onWarning(
      `${caller}: execution provider ${names} is unavailable (${reason}); training on ${host.fallbackLabel} instead. Pass strict: true to make this an error.`,
    );
    try {
      return { session: await create([host.fallback]), executionProviders: [host.fallback] };
    } catch (fallbackError) {
      throw unloadable(caller, model, fallbackError);
    }
  }
}

function unloadable(caller: string, model: Uint8Array, error: unknown): TrainingConfigError {
  const failure = new TrainingConfigError(caller, [
    {
      path: 'model',
      expected: 'an ONNX model that ONNX Runtime can load',
      received: `${model.length} bytes`,
      message: `${caller}: ONNX Runtime could not load the model (${model.length} bytes): ${firstLine(error)}`,
    },
  ]);
  (failure as { cause?: unknown }).cause = error;
  return failure;
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}
