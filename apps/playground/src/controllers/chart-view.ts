/**
 * The chart: the curves painted on one canvas and the cursor on an overlay canvas above it, with
 * the value of every curve under the cursor read out below. The cursor follows the pointer (mouse,
 * pen, touch) and, when the chart has focus, the keyboard.
 */
import { type ChartLayout, stepAt, xOfStep, yOfValue } from '../chart';
import { formatExact } from '../model';
import { paintChart } from '../paint';
import type { AppState } from '../state';
import { curveLabels, layoutView, type View } from '../view';
import { type App, byId, type Controller } from './controller';

/** Time spent on the last draw, in milliseconds. */
export interface DrawTimings {
  readonly layoutMs: number;
  readonly paintMs: number;
}

export interface ChartView extends Controller {
  /** Draws the current view again. */
  redraw(): void;
  /**
   * Lays `view` out at the chart's size without painting, so that the draw that follows finds each
   * curve's extent and decimation done (a large curve's take tens of milliseconds).
   */
  prepare(view: View): void;
  /** Hides the cursor (a new state was loaded); the next draw shows none. */
  clearCursor(): void;
  timings(): DrawTimings;
}

/** The chart's size in CSS pixels for a box `boxWidth` wide (0 before layout: drawn 640 wide). */
export function chartSize(boxWidth: number): { width: number; height: number } {
  const width = Math.max(280, Math.floor(boxWidth || 640));
  const height = Math.round(Math.min(440, Math.max(240, width * 0.55)));
  return { width, height };
}

/** A readable step for a cursor position: whole steps unless a pixel spans less than half a step. */
export function roundStep(layout: ChartLayout, step: number): number {
  const perPixel = (layout.end - layout.start) / layout.plot.width;
  if (perPixel >= 0.5) return Math.round(step);
  return Number(step.toFixed(Math.min(6, Math.max(1, Math.ceil(-Math.log10(perPixel))))));
}

/**
 * Where a key moves the cursor from `cursor` (undefined: the start of the range): arrows by a pixel
 * or a step, whichever is more (Shift: ten times that), Home and End to the ends of the range.
 * 'hide' for Escape; undefined for a key that does not move it.
 */
export function cursorKeyTarget(
  key: string,
  shiftKey: boolean,
  cursor: number | undefined,
  layout: ChartLayout,
  range: Pick<AppState, 'start' | 'end'>,
): number | 'hide' | undefined {
  const perPixel = (range.end - range.start) / layout.plot.width;
  const stepSize = Math.max(perPixel, perPixel >= 0.5 ? 1 : perPixel) * (shiftKey ? 10 : 1);
  const current = cursor ?? range.start;
  let next: number | undefined;
  if (key === 'ArrowRight') next = current + stepSize;
  else if (key === 'ArrowLeft') next = current - stepSize;
  else if (key === 'Home') next = range.start;
  else if (key === 'End') next = range.end;
  else if (key === 'Escape') return 'hide';
  if (next === undefined) return undefined;
  return Math.min(range.end, Math.max(range.start, roundStep(layout, next)));
}

/** The chart's accessible name: what it draws, over which steps, on which scale. */
export function chartLabel(labels: readonly string[], state: AppState): string {
  return labels.length === 0
    ? 'Learning-rate chart: nothing to draw.'
    : `Learning-rate chart of ${labels.join(', ')} from step ${state.start} to ${state.end}, ${state.scale} scale.`;
}

/** Sizes a canvas to `width` × `height` CSS pixels at `ratio` device pixels each, unless it already is. */
function fitCanvas(canvas: HTMLCanvasElement, width: number, height: number, ratio: number): void {
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
}

/**
 * Draws the cursor at `step` on a cleared overlay: a vertical line and a dot on each curve. Returns
 * the read-out: every curve's exact value at that step.
 */
function paintCursor(
  context: CanvasRenderingContext2D,
  layout: ChartLayout,
  step: number,
  sampled: View['sampled'],
  ratio: number,
): string {
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  const x = xOfStep(layout, step);
  context.strokeStyle = '#111827';
  context.lineWidth = 1;
  context.beginPath();
  context.moveTo(Math.round(x) + 0.5, layout.plot.top);
  context.lineTo(Math.round(x) + 0.5, layout.plot.top + layout.plot.height);
  context.stroke();
  const parts: string[] = [];
  for (const { curve } of sampled) {
    const value = curve.schedule(step);
    parts.push(`${curve.label}: ${formatExact(value)}`);
    context.fillStyle = curve.color;
    context.beginPath();
    context.arc(x, yOfValue(layout, value), 4, 0, 2 * Math.PI);
    context.fill();
  }
  return `step ${step} — ${parts.join('; ') || 'no curve'}`;
}

/** What the cursor's input handlers read and move. */
interface CursorInput {
  /** The chart's current layout (undefined before the first draw). */
  layout(): ChartLayout | undefined;
  step(): number | undefined;
  range(): Pick<AppState, 'start' | 'end'>;
  move(step: number | undefined): void;
}

/** Moves the cursor with the pointer (mouse, pen, touch) and, while the chart has focus, the keyboard. */
function followCursor(
  root: Document,
  chart: HTMLCanvasElement,
  signal: AbortSignal,
  cursor: CursorInput,
): void {
  const pointerAt = (event: PointerEvent) => {
    const layout = cursor.layout();
    if (!layout) return;
    const rect = chart.getBoundingClientRect();
    cursor.move(roundStep(layout, stepAt(layout, event.clientX - rect.left)));
  };
  chart.addEventListener('pointermove', pointerAt, { signal });
  chart.addEventListener('pointerdown', pointerAt, { signal });
  chart.addEventListener(
    'pointerleave',
    () => {
      if (root.activeElement !== chart) cursor.move(undefined);
    },
    { signal },
  );
  chart.addEventListener(
    'keydown',
    (event) => {
      const layout = cursor.layout();
      if (!layout) return;
      const next = cursorKeyTarget(event.key, event.shiftKey, cursor.step(), layout, cursor.range());
      if (next === undefined) return;
      if (next !== 'hide') event.preventDefault();
      cursor.move(next === 'hide' ? undefined : next);
    },
    { signal },
  );
  chart.addEventListener(
    'focus',
    () => {
      if (cursor.step() === undefined) cursor.move(cursor.range().start);
    },
    { signal },
  );
}

export function createChartView(root: Document, app: App): ChartView {
  const box = byId<HTMLDivElement>(root, 'chart-box');
  const chart = byId<HTMLCanvasElement>(root, 'chart');
  const overlay = byId<HTMLCanvasElement>(root, 'overlay');
  const readout = byId<HTMLParagraphElement>(root, 'cursor-readout');
  const listeners = new AbortController();
  const { signal } = listeners;
  let layout: ChartLayout | undefined;
  let cursorStep: number | undefined;
  let timings: DrawTimings = { layoutMs: 0, paintMs: 0 };

  const drawCursor = ({ sampled }: View) => {
    const context = overlay.getContext('2d');
    if (!context || !layout) return;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, overlay.width, overlay.height);
    readout.textContent =
      cursorStep === undefined
        ? ''
        : paintCursor(context, layout, cursorStep, sampled, window.devicePixelRatio || 1);
  };

  const draw = (view: View) => {
    const { width, height } = chartSize(box.clientWidth);
    const ratio = window.devicePixelRatio || 1;
    for (const canvas of [chart, overlay]) fitCanvas(canvas, width, height, ratio);
    const layoutBegin = performance.now();
    layout = layoutView(view, width, height);
    const paintBegin = performance.now();
    const context = chart.getContext('2d');
    if (context) {
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      paintChart(context, layout);
    }
    const paintEnd = performance.now();
    timings = { layoutMs: paintBegin - layoutBegin, paintMs: paintEnd - paintBegin };
    chart.setAttribute('aria-label', chartLabel(curveLabels(view), view.state));
    drawCursor(view);
  };

  const moveCursor = (step: number | undefined) => {
    cursorStep = step;
    drawCursor(app.view());
  };
  followCursor(root, chart, signal, {
    layout: () => layout,
    step: () => cursorStep,
    range: () => app.view().state,
    move: moveCursor,
  });
  // Redraw on the next frame: resizing the canvas inside the observer's callback would loop.
  const resizes = new ResizeObserver(() => {
    requestAnimationFrame(() => {
      if (layout && chartSize(box.clientWidth).width !== layout.width) draw(app.view());
    });
  });
  resizes.observe(box);

  return {
    update: draw,
    redraw: () => draw(app.view()),
    prepare: (view) => {
      const { width, height } = chartSize(box.clientWidth);
      layoutView(view, width, height);
    },
    clearCursor: () => {
      cursorStep = undefined;
    },
    timings: () => timings,
    dispose: () => {
      listeners.abort();
      resizes.disconnect();
    },
  };
}
