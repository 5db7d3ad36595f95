/**
 * Reusable pieces of the `anneal` command: the helpers that turn a schedule into a plotted series,
 * and the SVG and terminal chart renderers it draws them with (from @anneal/plot, re-exported:
 * pure functions returning strings, no Node APIs). The command itself lives in the `anneal` bin.
 */

export {
  ChartInputError,
  type ChartOptionsBase,
  type ChartSeries,
  formatStepTicks,
  formatValueTick,
  formatValueTicks,
  niceStep,
  renderSvgChart,
  renderTerminalChart,
  SERIES_COLORS,
  type SvgChartOptions,
  type TerminalChartOptions,
} from '@anneal/plot';
export { defaultStepRange, MAX_PLOT_EVALUATIONS, sampleSchedule, valueRange } from './chart/sample';
