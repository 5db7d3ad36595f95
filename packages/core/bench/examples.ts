// One example config per registered family, spanning about 10,000 steps, for the benchmark (and
// for anything that wants a representative instance of every type). Single-child composites wrap
// the same cosineDecay, so their row minus the cosineDecay row is the composite's own cost.
import type { ScheduleConfig } from '../src/index';

const cosine = { type: 'cosineDecay', initialValue: 0.1, decaySteps: 10_000, finalValue: 0.001 } as const;
const headline = {
  type: 'warmupCosineDecay',
  peakValue: 0.1,
  totalSteps: 10_000,
  warmupSteps: 500,
  holdSteps: 500,
  finalValue: 0.001,
} as const;

export const examples: Readonly<Record<string, ScheduleConfig>> = {
  constant: { type: 'constant', value: 0.1 },
  linear: { type: 'linear', initialValue: 0.1, finalValue: 0.001, transitionSteps: 10_000 },
  polynomial: { type: 'polynomial', initialValue: 0.1, finalValue: 0.001, decaySteps: 10_000, power: 2 },
  exponentialDecay: { type: 'exponentialDecay', initialValue: 0.1, decaySteps: 1000, decayFactor: 0.5 },
  inverseTimeDecay: { type: 'inverseTimeDecay', initialValue: 0.1, decaySteps: 1000, decayRate: 0.5 },
  inverseSqrt: { type: 'inverseSqrt', peakValue: 0.1, warmupSteps: 1000 },
  stepDecay: { type: 'stepDecay', initialValue: 0.1, intervalSteps: 3000, decayFactor: 0.5 },
  multiStepDecay: {
    type: 'multiStepDecay',
    initialValue: 0.1,
    milestones: [3000, 6000, 9000],
    decayFactor: 0.1,
  },
  piecewiseConstant: {
    type: 'piecewiseConstant',
    boundaries: [2000, 5000, 8000],
    values: [0.1, 0.05, 0.01, 0.001],
  },
  piecewiseInterpolate: {
    type: 'piecewiseInterpolate',
    boundaries: [0, 2000, 5000, 10_000],
    values: [0, 0.1, 0.05, 0.001],
    interpolation: 'cosine',
  },
  cosineDecay: cosine,
  tanhDecay: { type: 'tanhDecay', initialValue: 0.1, decaySteps: 10_000 },
  warmupCosineDecay: headline,
  warmupStableDecay: {
    type: 'warmupStableDecay',
    peakValue: 0.1,
    totalSteps: 10_000,
    decaySteps: 2000,
    warmupSteps: 500,
  },
  cosineRestarts: {
    type: 'cosineRestarts',
    peakValue: 0.1,
    firstCycleSteps: 1000,
    cycleLengthFactor: 2,
    peakDecayFactor: 0.5,
    finalValue: 0.001,
    warmupSteps: 100,
  },
  cyclic: { type: 'cyclic', minValue: 0.001, maxValue: 0.1, stepUpSteps: 500, mode: 'triangular2' },
  oneCycle: { type: 'oneCycle', maxValue: 0.1, totalSteps: 10_000 },
  warmup: { type: 'warmup', schedule: cosine, warmupSteps: 500, shape: 'cosine' },
  join: {
    type: 'join',
    segments: [
      { schedule: { type: 'linear', initialValue: 0, finalValue: 0.1, transitionSteps: 500 }, steps: 500 },
      { schedule: { type: 'constant', value: 0.1 }, steps: 4500 },
      { schedule: { ...cosine, decaySteps: 5000 } },
    ],
  },
  scale: { type: 'scale', schedule: cosine, factor: 0.5 },
  clamp: { type: 'clamp', schedule: cosine, minValue: 0.005 },
  noise: { type: 'noise', schedule: cosine, seed: 42 },
  // Registered by the reference-compatibility module (fromReference).
  offset: { type: 'offset', schedule: cosine, offsetSteps: 100 },
  cycleRestarts: {
    type: 'cycleRestarts',
    peakValue: 0.1,
    minValue: 0.001,
    firstCycleSteps: 1000,
    cycleLengthFactor: 2,
    peakDecayFactor: 0.5,
  },
  float32: { type: 'float32', schedule: headline },
  float32WarmupCosineDecay: {
    type: 'float32WarmupCosineDecay',
    peakValue: 0.1,
    totalSteps: 10_000,
    warmupSteps: 500,
    holdSteps: 500,
  },
  // Registered by the learning-rate range test (lr-finder).
  learningRateSweep: { type: 'learningRateSweep', minValue: 1e-7, maxValue: 1, steps: 10_000 },
  epochSchedule: { type: 'epochSchedule', schedule: { ...cosine, decaySteps: 30 }, stepsPerEpoch: 391 },
};

/** Extra rows: variants worth timing on their own. */
export const variants: Readonly<Record<string, ScheduleConfig>> = {
  'scale (by a schedule)': { type: 'scale', schedule: cosine, factor: { type: 'constant', value: 0.5 } },
  'noise (uniform)': { type: 'noise', schedule: cosine, seed: 42, kind: 'uniform' },
  'noise (on warmupCosineDecay)': { type: 'noise', schedule: headline, seed: 42 },
  'epochSchedule (on stepDecay)': {
    type: 'epochSchedule',
    schedule: { type: 'stepDecay', initialValue: 0.1, intervalSteps: 3, decayFactor: 0.5 },
    stepsPerEpoch: 391,
  },
};
