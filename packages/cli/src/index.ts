/**
 * Reusable pieces of the `anneal` command: the SVG and terminal chart renderers (pure functions
 * returning strings, no Node APIs) and the helpers that turn a schedule into a plotted series.
 * The command itself lives in the `anneal` bin.
 */

export { defaultStepRange, MAX_PLOT_EVALUATIONS, sampleSchedule, valueRange } from './chart/sample';
export { formatStepTicks, formatValueTick, formatValueTicks, niceStep } from './chart/scale';
export type { ChartOptionsBase, ChartSeries } from './chart/series';
export { renderSvgChart, SERIES_COLORS, type SvgChartOptions } from './chart/svg';
export { renderTerminalChart, type TerminalChartOptions } from './chart/terminal';
export { ChartInputError } from './errors';
