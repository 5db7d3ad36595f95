/** Session creation with the CPU fallback ONNX Runtime itself does not do for CUDA. */
import { InferenceSession } from 'onnxruntime-node';
import { ExecutionProviderError, TrainingConfigError } from './errors';

/** An execution provider as ONNX Runtime spells it: `'cpu'`, `'cuda'`, or `{ name: 'cuda', deviceId: 1 }`. */
export type ExecutionProvider = InferenceSession.ExecutionProviderConfig;

export interface SessionSettings {
  readonly executionProviders: readonly ExecutionProvider[];
  readonly intraOpNumThreads: number;
  readonly strict: boolean;
  readonly onWarning: (message: string) => void;
  /** Name of the calling function, for messages. */
  readonly caller: string;
}

const providerName = (provider: ExecutionProvider) =>
  typeof provider === 'string' ? provider : provider.name;

/**
 * Creates a session with the requested providers. When that fails and some requested provider
 * is not the CPU, the session is created again on the CPU after one warning, or, with
 * `strict`, an `ExecutionProviderError` is thrown. Returns the providers actually in use.
 */
export async function createSession(
  model: Uint8Array,
  settings: SessionSettings,
): Promise<{ session: InferenceSession; executionProviders: readonly ExecutionProvider[] }> {
  const base: InferenceSession.SessionOptions = { intraOpNumThreads: settings.intraOpNumThreads };
  const requested = settings.executionProviders;
  const accelerators = requested.map(providerName).filter((name) => name !== 'cpu');
  try {
    const session = await InferenceSession.create(model, { ...base, executionProviders: [...requested] });
    return { session, executionProviders: requested };
  } catch (error) {
    if (accelerators.length === 0) throw unloadable(settings.caller, model, error);
    const reason = firstLine(error);
    if (settings.strict) {
      throw new ExecutionProviderError(
        `${settings.caller}: execution provider ${accelerators.map((n) => JSON.stringify(n)).join(', ')} could not be used (${reason}). CUDA needs onnxruntime-node installed with its cuda12 flag, an NVIDIA driver, CUDA 12 and cuDNN 9; without strict: true the trainer falls back to the CPU.`,
        requested.map(providerName),
        { cause: error },
      );
    }
    settings.onWarning(
      `${settings.caller}: execution provider ${accelerators.map((n) => JSON.stringify(n)).join(', ')} is unavailable (${reason}); training on the CPU instead. Pass strict: true to make this an error.`,
    );
    try {
      const session = await InferenceSession.create(model, { ...base, executionProviders: ['cpu'] });
      return { session, executionProviders: ['cpu'] };
    } catch (cpuError) {
      throw unloadable(settings.caller, model, cpuError);
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

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}

/** The default `onWarning`: `process.emitWarning` with type `AnnealWarning`. */
export function emitWarning(message: string): void {
  process.emitWarning(message, { type: 'AnnealWarning', code: 'ANNEAL_ONNXRUNTIME_TRAINING' });
}
