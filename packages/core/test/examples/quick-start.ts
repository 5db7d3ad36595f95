import { fromConfig, toConfig, warmupCosineDecay } from '@anneal/core';

const schedule = warmupCosineDecay({
  peakValue: 1e-3,
  totalSteps: 10_000,
  warmupSteps: 500,
  finalValue: 1e-5,
});

console.log(schedule(0), schedule(500), schedule(10_000)); // 0 0.001 0.00001

const json = JSON.stringify(toConfig(schedule)); // {"type":"warmupCosineDecay","peakValue":0.001,...}
const again = fromConfig(JSON.parse(json)); // the same value at every step
console.log(again(1234) === schedule(1234)); // true
