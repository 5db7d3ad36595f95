/**
 * Seeded parameter initialization in PyTorch's default distribution for Linear and Conv2d:
 * every weight and bias ~ uniform(−1/sqrt(fanIn), 1/sqrt(fanIn)). The same seed gives the same
 * values on every machine and runtime, so a demo can hand identical weights to each backend.
 */
import { IssueList } from './errors';
import type { Dtype } from './graph/spec';

export interface InitParametersOptions {
  /** The graph whose parameters to initialize (from `buildTrainingGraph` or `buildEvaluationGraph`). */
  readonly graph: {
    readonly dtype: Dtype;
    readonly parameters: readonly {
      readonly name: string;
      readonly shape: readonly number[];
      readonly fanIn: number;
    }[];
  };
  /** Seed of the generator: an integer in [0, 2³²). */
  readonly seed: number;
}

/**
 * Mulberry32: a 32-bit generator with a 32-bit state. Two draws make one uniform double in
 * [0, 1) with 53 random bits: (a·2²¹ + b/2¹¹) / 2⁵³ with a, b the next two 32-bit outputs.
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  const next32 = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return () => {
    const high = next32() >>> 5; // 27 bits
    const low = next32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  };
}

/**
 * Initial parameter values, one typed array per parameter (graph order, row-major, torch
 * layout), drawn in that order from one generator: value = bound·(2u − 1), bound = 1/sqrt(fanIn).
 * float32 graphs get the float64 draw rounded to float32.
 *
 * @example
 * const parameters = initParameters({ graph, seed: 42 });
 */
export function initParameters(options: InitParametersOptions): Record<string, Float32Array | Float64Array> {
  const issues = new IssueList('initParameters');
  const graph = (options as Partial<InitParametersOptions> | undefined)?.graph;
  const seed = (options as Partial<InitParametersOptions> | undefined)?.seed;
  if (
    !graph ||
    typeof graph !== 'object' ||
    !Array.isArray(graph.parameters) ||
    (graph.dtype !== 'float32' && graph.dtype !== 'float64')
  ) {
    issues.add('graph', 'a graph from buildTrainingGraph or buildEvaluationGraph', graph);
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    issues.add('seed', 'an integer in [0, 4294967295]', seed);
  }
  issues.throwIfAny();
  const random = createRandom(seed as number);
  const result: Record<string, Float32Array | Float64Array> = {};
  for (const parameter of graph!.parameters) {
    const size = parameter.shape.reduce((a, b) => a * b, 1);
    const values = graph!.dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
    const bound = 1 / Math.sqrt(parameter.fanIn);
    for (let i = 0; i < size; i++) values[i] = bound * (2 * random() - 1);
    result[parameter.name] = values;
  }
  return result;
}
