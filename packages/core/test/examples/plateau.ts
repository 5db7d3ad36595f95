import { reduceOnPlateau, warmupCosineDecay } from '@anneal/core';

// Standalone: the controller is the learning rate (PyTorch ReduceLROnPlateau semantics).
const plateau = reduceOnPlateau({ initialValue: 0.1, factor: 0.5, patience: 2 });
for (const validationLoss of [1.0, 0.8, 0.8, 0.8, 0.8]) {
  console.log(plateau.report(validationLoss)); // 0.1 0.1 0.1 0.1 0.05
}

// As a multiplier on any schedule: max(schedule(t) · multiplier, minValue), read live.
const controller = reduceOnPlateau({ factor: 0.5, patience: 0, minValue: 1e-6 });
const schedule = controller.applyTo(
  warmupCosineDecay({ peakValue: 1e-3, totalSteps: 10_000, warmupSteps: 500 }),
);
console.log(schedule(500)); // 0.001
controller.report(0.9);
controller.report(0.95); // no improvement, patience 0: halve
console.log(schedule(500)); // 0.0005

// Checkpoint and resume: state() is plain JSON.
const saved = JSON.stringify(controller.state());
const resumed = reduceOnPlateau({ factor: 0.5, patience: 0, minValue: 1e-6 });
resumed.restore(JSON.parse(saved));
console.log(resumed.multiplier); // 0.5
