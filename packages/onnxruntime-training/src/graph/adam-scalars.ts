/**
 * The scalars shared by every parameter's Adam update: stepSize = lr / (1 − β1ᵗ),
 * bias2Sqrt = sqrt(1 − β2ᵗ), decayFactor = 1 − lr·λ (AdamW).
 *
 * PyTorch computes them in Python floats (float64). A float64 graph does the same. A float32 graph
 * computes them without any float64 value, because ONNX Runtime's browser build (the `wasm` and
 * `webgpu` providers of onnxruntime-web) has no float64 `Cast`, while still matching the float64
 * values to a few float32 roundings: 1 − βᵗ = −expm1(t·ln β), with ln β taken in float64 when the
 * graph is built (so β is not first rounded to float32, which would put 1 − β2 off by 1.3e-5
 * relative for β2 = 0.999), and expm1 evaluated by its Taylor series where |t·ln β| < 1/2 (where
 * 1 − exp would cancel) and as 1 − exp(t·ln β) elsewhere.
 */
import type { GraphBuilder } from '../onnx/graph-builder';
import type { NormalizedOptimizer } from './spec';

export type AdamFamily = Extract<NormalizedOptimizer, { type: 'adam' | 'adamw' }>;

export interface AdamScalars {
  readonly stepSize: string;
  readonly bias2Sqrt: string;
  readonly decayFactor: string | undefined;
}

/** Where |x| is below this, −expm1(x) comes from the series; above, from 1 − exp(x). */
const SERIES_LIMIT = 0.5;
/** 1/(k+1)! for k = 0…8: expm1(x)/x = Σ x^k/(k+1)!, truncated where 0.5⁹/10! < 2^-24. */
const SERIES = Array.from({ length: 9 }, (_, k) => {
  let factorial = 1;
  for (let i = 2; i <= k + 1; i++) factorial *= i;
  return 1 / factorial;
});

/** 1 − βᵗ in float32 from the float32 step `t` (β in [0, 1)). */
function oneMinusPower(g: GraphBuilder, beta: number, step: string): string {
  if (beta === 0) return g.scalar(1); // 0ᵗ = 0 for every update count t ≥ 1
  const x = g.op('Mul', [step, g.scalar(Math.log(beta))]); // t·ln β ≤ 0
  // Horner: expm1(x)/x = c0 + x (c1 + x (c2 + …))
  let series = g.scalar(SERIES[SERIES.length - 1]!);
  for (let k = SERIES.length - 2; k >= 0; k--)
    series = g.op('Add', [g.scalar(SERIES[k]!), g.op('Mul', [x, series])]);
  const small = g.op('Neg', [g.op('Mul', [x, series])]);
  const large = g.op('Sub', [g.scalar(1), g.op('Exp', [x])]);
  return g.op('Where', [g.op('Less', [g.op('Abs', [x]), g.scalar(SERIES_LIMIT)]), small, large]);
}

/** Emits the shared Adam scalars once per graph (see the module comment for the float32 path). */
export function emitAdamScalars(g: GraphBuilder, optimizer: AdamFamily): AdamScalars {
  const decaying = optimizer.type === 'adamw' && optimizer.weightDecay > 0;
  if (g.dtype === 'float32') {
    const decay = decaying
      ? g.op('Sub', [g.scalar(1), g.op('Mul', ['learning_rate', g.scalar(optimizer.weightDecay)])])
      : undefined;
    return {
      stepSize: g.op('Div', ['learning_rate', oneMinusPower(g, optimizer.beta1, 'step')]),
      bias2Sqrt: g.op('Sqrt', [oneMinusPower(g, optimizer.beta2, 'step')]),
      decayFactor: decay,
    };
  }
  const bias1 = g.op('Sub', [g.scalar64(1), g.op('Pow', [g.scalar64(optimizer.beta1), 'step'])]);
  const bias2Sqrt = g.op('Sqrt', [
    g.op('Sub', [g.scalar64(1), g.op('Pow', [g.scalar64(optimizer.beta2), 'step'])]),
  ]);
  const decay = decaying
    ? g.op('Sub', [g.scalar64(1), g.op('Mul', ['learning_rate', g.scalar64(optimizer.weightDecay)])])
    : undefined;
  return { stepSize: g.op('Div', ['learning_rate', bias1]), bias2Sqrt, decayFactor: decay };
}
