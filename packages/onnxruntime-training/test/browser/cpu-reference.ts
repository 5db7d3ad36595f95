/** The reference for the browser runs: the same run (graph, weights, batches, schedule) on onnxruntime-node's CPU. */
import { createTrainer } from '../../src/node/trainer';
import { prepareRun, type RunSpec, schedule } from './cases';

/** The losses of `spec` trained on onnxruntime-node's CPU provider. */
export async function cpuLosses(spec: RunSpec): Promise<number[]> {
  const { graph, parameters, batches } = prepareRun(spec);
  await using trainer = await createTrainer({ model: graph, schedule, parameters });
  const losses: number[] = [];
  for (const batch of batches) losses.push(await trainer.step(batch.x, batch.y));
  return losses;
}
