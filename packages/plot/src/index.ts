/**
 * Learning-rate charts as strings, for Node and browsers alike (no dependencies, no Node APIs):
 * nice ticks and their labels, linear and log pixel scales, per-pixel decimation, a
 * self-contained SVG line chart (and bar chart), and a braille line chart for terminals.
 */

export { renderSvgBarChart, type SvgBar, type SvgBarChartOptions } from './bar-chart';
export { columnRuns, decimate } from './decimate';
export { ChartInputError } from './errors';
export { type PixelScale, pixelScale, toPixel } from './scale';
export {
  type Bounds,
  type ChartOptionsBase,
  type ChartPhase,
  type ChartSeries,
  checkSeries,
  plotPoints,
  visiblePhases,
} from './series';
export {
  type PlotArea,
  renderSvgScene,
  type SceneBand,
  type SceneLegendEntry,
  type SceneLine,
  type SceneMarkers,
  type SceneNote,
  type SceneRule,
  type SceneTick,
  type SvgDocumentHead,
  type SvgScene,
  svgDocument,
  svgNumber,
  textWidth,
} from './svg';
export {
  layoutSvgChart,
  renderSvgChart,
  SERIES_COLORS,
  SERIES_DASHES,
  type SvgChartOptions,
  type SvgLegendEntry,
  type SvgSeries,
} from './svg-chart';
export { renderTerminalChart, type TerminalChartOptions, textAxis } from './terminal';
export {
  formatDecadeTick,
  formatSpan,
  formatStepTicks,
  formatValueTick,
  formatValueTicks,
} from './tick-labels';
export { type Axis, decadeAxis, decadeTicks, niceStep, niceTicks, stepAxis, valueAxis } from './ticks';
export { type CharacterReferences, escapeXml } from './xml';
