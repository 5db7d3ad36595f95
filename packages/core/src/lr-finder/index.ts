export { RangeTestConfigError, RangeTestStateError } from './errors';
export {
  createRangeTest,
  MIN_RANGE_TEST_STEPS,
  type RangeTest,
  type RangeTestOptions,
  type RangeTestResult,
  type RangeTestStopReason,
  type RangeTestSuggestions,
  type ResolvedRangeTestOptions,
  rangeTestOptionSpecs,
} from './range-test';
export { type Suggestion, smoothLosses, suggestMinimum, suggestSteepest, suggestValley } from './suggestions';
export { type LearningRateSweepOptions, learningRateSweep } from './sweep';
