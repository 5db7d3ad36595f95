import type { PreparedRunner, TrainingPlan } from './types';
import { RuntimeUnavailableError } from './types';

export async function prepareOnnxRuntime(_plan: TrainingPlan): Promise<PreparedRunner> {
  throw new RuntimeUnavailableError('onnxruntime: not wired yet');
}
