/**
 * The page: the state, and one controller per panel — the schedule tabs, the name and colour
 * fields, the generated controls, the JSON text, the native equivalent of a reference config, the
 * issues, the chart, the legend, the value at a step, the range, the exports and the URL. Every
 * change goes through `commit`, which rebuilds what changed and shows the new view in each panel.
 */
import { createChartView } from './controllers/chart-view';
import { createConfigJson } from './controllers/config-json';
import { type App, byId, type Controller, type Refresh } from './controllers/controller';
import { createControls } from './controllers/controls';
import { createExport } from './controllers/export';
import { createIssues } from './controllers/issues';
import { createLegend } from './controllers/legend';
import { createProbe } from './controllers/probe';
import { createRange } from './controllers/range';
import { createReference } from './controllers/reference';
import { createSeriesFields } from './controllers/series-fields';
import { createTabs } from './controllers/tabs';
import { createUrlSync } from './controllers/url';
import { buildSeries, type SeriesResult } from './model';
import { type AppState, defaultState } from './state';
import { type SampledCurve, sampleCurves } from './view';

/** Timings of the last redraw, in milliseconds (read by the benchmark). */
export interface RedrawTimings {
  readonly sampleMs: number;
  readonly layoutMs: number;
  readonly paintMs: number;
}

/** Starts the page in `root`; returns a function that removes every listener it added. */
export function startApp(root: Document = document): () => void {
  const banner = byId<HTMLDivElement>(root, 'banner');
  const status = byId<HTMLParagraphElement>(root, 'status');
  let state: AppState = defaultState();
  let results: SeriesResult[] = [];
  let sampled: SampledCurve[] = [];
  let sampleMs = 0;

  const showBanner = (message: string | undefined) => {
    banner.hidden = message === undefined;
    banner.textContent = message ?? '';
  };
  const view = () => ({ state, results, sampled });
  const resample = () => {
    const begin = performance.now();
    const drawn = sampleCurves(results, state);
    sampled = drawn.sampled;
    for (const failure of drawn.failures) showBanner(failure);
    sampleMs = performance.now() - begin;
  };
  /** Applies the current state to the page. */
  const apply = (what: Refresh) => {
    try {
      if (what.rebuild) results = state.series.map(buildSeries);
      if (what.rebuild || what.resample) resample();
      const current = view();
      for (const controller of controllers) controller.update(current, what);
    } catch (error) {
      showBanner(`Something went wrong while drawing: ${(error as Error).message}`);
    }
  };
  const app: App = {
    view,
    commit: (next, what = {}) => {
      state = next;
      apply(what);
    },
    keep: (next) => {
      state = next;
      url.update(view(), {});
    },
    say: (message) => {
      status.textContent = message;
    },
  };
  const load = (next: AppState) => {
    chart.clearCursor();
    app.commit(next, { rebuild: true, editor: true });
  };

  const chart = createChartView(root, app);
  const url = createUrlSync(app, { load, showBanner });
  // In the order a commit updates them: the issues mark controls the controls panel has just drawn.
  const controllers: Controller[] = [
    chart,
    createTabs(root, app),
    createSeriesFields(root, app),
    createControls(root, app),
    createConfigJson(root, app),
    createIssues(root),
    createReference(root, app),
    createLegend(root),
    createProbe(root, app),
    createRange(root, app),
    url,
  ];
  const exports = createExport(root, app, url);

  // The benchmark and the tests read timings and redraw through this handle.
  const timings = (): RedrawTimings => ({ sampleMs, ...chart.timings() });
  Object.assign(window, {
    annealPlayground: {
      state: () => state,
      load,
      timings,
      redraw: (options: { resample?: boolean } = {}) => {
        if (options.resample) resample();
        chart.redraw();
        return timings();
      },
    },
  });

  url.read();
  if (!location.hash) load(state);
  return () => {
    for (const controller of [...controllers, exports]) controller.dispose();
  };
}
