import { fromConfig, ScheduleConfigError, toConfig } from '@anneal/core';

// A config is plain JSON: { "type": <family>, ...options }. Nested schedules are configs too.
const schedule = fromConfig({
  type: 'join',
  segments: [
    { schedule: { type: 'linear', initialValue: 0, finalValue: 0.1, transitionSteps: 500 }, steps: 500 },
    { schedule: { type: 'cosineDecay', initialValue: 0.1, decaySteps: 9500, finalValue: 0.001 } },
  ],
});
console.log(schedule(250), schedule(500)); // 0.05 0.1
console.log(toConfig(schedule).type); // join

// Bad configs are rejected with every issue at once, each with its field path.
try {
  fromConfig({ type: 'warmupCosineDecay', peakValue: -1, totalSteps: 100, warmupSteps: 20, holdStep: 5 });
} catch (error) {
  if (!ScheduleConfigError.isInstance(error)) throw error;
  for (const issue of error.issues) console.log(issue.message);
  // warmupCosineDecay: unknown option "holdStep" (expected one of peakValue, ...); received 5.
  // warmupCosineDecay: peakValue must be a finite number >= 0; received -1.
}
