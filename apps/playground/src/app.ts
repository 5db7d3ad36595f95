/**
 * The page: the state, and one controller per panel — the schedule tabs, the name and colour
 * fields, the generated controls, the JSON text, the native equivalent of a reference config, the
 * issues, the chart, the sampling note, the legend, the value at a step, the range, the exports
 * and the URL. Every change goes through `commit`, which rebuilds what changed and shows the new
 * view in each panel. Curves are sampled progressively (`sampling.ts`): a large range is drawn
 * from a preview first, and each panel is shown the complete samples when the last slice is in.
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
import { createSamplingNote } from './controllers/sampling-note';
import { createSeriesFields } from './controllers/series-fields';
import { createTabs } from './controllers/tabs';
import { createUrlSync } from './controllers/url';
import { type SeriesResult, seriesBuilder } from './model';
import { PageSamples } from './page-samples';
import { type AppState, defaultState } from './state';
import type { View } from './view';

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
  const build = seriesBuilder();

  const showBanner = (message: string | undefined) => {
    banner.hidden = message === undefined;
    banner.textContent = message ?? '';
  };
  const guarded = (action: () => void) => {
    try {
      action();
    } catch (error) {
      showBanner(`Something went wrong while drawing: ${(error as Error).message}`);
    }
  };
  const samples = new PageSamples({
    failed: showBanner,
    progressed: () => guarded(() => note.update(view(), { samples: true })),
    prepare: () => guarded(() => chart.prepare(view())),
    redraw: () =>
      guarded(() => {
        const current = view();
        for (const controller of controllers) controller.update(current, { samples: true });
      }),
  });
  const view = (): View => ({
    state,
    results,
    sampled: samples.snapshot.sampled,
    refining: samples.snapshot.refining,
  });
  /** Applies the current state to the page. */
  const apply = (what: Refresh) =>
    guarded(() => {
      if (what.rebuild) results = state.series.map(build);
      if (what.rebuild || what.resample) samples.start(results, state);
      const current = view();
      for (const controller of controllers) controller.update(current, what);
    });
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
    sampledView: () => samples.complete().then(view),
  };
  const load = (next: AppState) => {
    chart.clearCursor();
    app.commit(next, { rebuild: true, editor: true });
  };

  const chart = createChartView(root, app);
  const note = createSamplingNote(root);
  const url = createUrlSync(app, { load, showBanner });
  // In the order a commit updates them: the issues mark controls the controls panel has just drawn.
  const controllers: Controller[] = [
    chart,
    note,
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

  exposeHandle({ app, load, samples, chart, results: () => results });

  url.read();
  if (!location.hash) load(state);
  return () => {
    for (const controller of [...controllers, exports]) controller.dispose();
  };
}

/**
 * `window.annealPlayground`, through which the benchmark and the tests read the state, timings
 * and samples, load a state and redraw.
 */
function exposeHandle(page: {
  app: App;
  load: (state: AppState) => void;
  samples: PageSamples;
  chart: ReturnType<typeof createChartView>;
  results: () => readonly SeriesResult[];
}): void {
  const { app, load, samples, chart } = page;
  const timings = (): RedrawTimings => ({ sampleMs: samples.sampleMs, ...chart.timings() });
  Object.assign(window, {
    annealPlayground: {
      state: () => app.view().state,
      load,
      timings,
      samples: () =>
        samples.snapshot.sampled.map(({ curve, values }) => ({ label: curve.label, length: values.length })),
      sampleValue: (curve: number, index: number) => samples.snapshot.sampled[curve]?.values[index],
      /** Redraws; `resample` samples every point first, in this task. */
      redraw: (options: { resample?: boolean } = {}) => {
        if (options.resample) samples.startAll(page.results(), app.view().state);
        chart.redraw();
        return timings();
      },
    },
  });
}
