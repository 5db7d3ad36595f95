import {
  clamp,
  cosineDecay,
  epochsToSteps,
  fromConfig,
  join,
  linear,
  noise,
  sample,
  scale,
  toConfig,
  warmup,
} from '@anneal/core';

// Steps from epochs: 391 updates per epoch (50,000 images, batch 128).
const { warmupSteps, decaySteps } = epochsToSteps(
  { warmupEpochs: 2, decayEpochs: 28 },
  { stepsPerEpoch: 391 },
);

// A warm-up phase in front of any schedule: the cosine sees step 0 when the warm-up ends.
const warmCosine = warmup({
  schedule: cosineDecay({ initialValue: 0.1, decaySteps, finalValue: 1e-4 }),
  warmupSteps,
  shape: 'cosine',
});
console.log(warmCosine(warmupSteps) === 0.1); // true

// Segments one after another, each on its own local step.
const threePhase = join({
  segments: [
    { schedule: linear({ initialValue: 0, finalValue: 0.1, transitionSteps: 500 }), steps: 500 },
    { schedule: cosineDecay({ initialValue: 0.1, decaySteps: 5000 }), steps: 5000 },
    { schedule: linear({ initialValue: 0.01, finalValue: 0, transitionSteps: 1000 }) },
  ],
});

// Half the rate, never below 1e-4, with ±10% deterministic noise (the same seed and step always agree).
const tuned = noise({
  schedule: clamp({ schedule: scale({ schedule: threePhase, factor: 0.5 }), minValue: 1e-4 }),
  seed: 42,
  kind: 'uniform',
  rangeFraction: 0.1,
});
console.log(fromConfig(toConfig(tuned))(1000) === tuned(1000)); // true: rebuilt, same noise

// Values for a plot or an export.
const values = sample(tuned, { start: 0, end: 6500, stride: 100 });
console.log(values.length); // 66
