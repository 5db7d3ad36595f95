/**
 * The export row: copy or download the active schedule's JSON, download the values as CSV and the
 * chart as SVG or PNG (960 × 540, legend included), copy a link to the page, import a JSON file.
 * The values and the charts wait for every sample when the curves are still being refined.
 */
import type { SeriesResult } from '../model';
import { legendRowsFor, paintChart } from '../paint';
import { activeSeries, formatConfig, type SeriesState, withSeries } from '../state';
import { chartSvg, valuesCsv } from '../svg';
import { curveLabels, layoutView, stride, type View } from '../view';
import { type App, byId, type Controller } from './controller';

/**
 * The active schedule as JSON: the normalized native config, the reference config as given, or,
 * when it has issues, the text as typed (`valid` false).
 */
export function exportText(
  result: SeriesResult | undefined,
  series: SeriesState,
): { text: string; name: string; valid: boolean } {
  if (result?.ok) {
    const config = result.kind === 'reference' ? result.input : result.nativeConfig;
    const label =
      result.kind === 'reference' ? String(result.input.api).split('.').at(-1) : result.nativeConfig.type;
    return { text: `${formatConfig(config)}\n`, name: `anneal-${label}.json`, valid: true };
  }
  return { text: series.text, name: 'anneal-schedule.json', valid: false };
}

/** The title of an exported chart: the curves it draws. */
export function exportTitle(view: View): string {
  return `Learning rate: ${curveLabels(view).join(', ') || 'no curve'}`;
}

/** The layout of an exported chart: 960 × 540 with the legend inside. */
function exportLayout(view: View) {
  const width = 960;
  return layoutView(view, width, 540, legendRowsFor(curveLabels(view), width));
}

/** Saves `blob` as `fileName` through a temporary download link. */
function download(root: Document, fileName: string, blob: Blob, say: App['say']): void {
  const url = URL.createObjectURL(blob);
  const link = root.createElement('a');
  link.href = url;
  link.download = fileName;
  root.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  say(`Saved ${fileName}.`);
}

/** Copies `text` to the clipboard, falling back to a hidden text area where the clipboard API is refused. */
async function copyText(root: Document, text: string, what: string, say: App['say']): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    say(`Copied ${what} to the clipboard.`);
  } catch {
    const area = root.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    root.body.append(area);
    area.select();
    const copied = root.execCommand('copy');
    area.remove();
    say(
      copied
        ? `Copied ${what} to the clipboard.`
        : `Could not reach the clipboard: select the ${what} and copy it by hand.`,
    );
  }
}

/** Paints the exported chart at twice its size and saves it as a PNG. */
function downloadPng(root: Document, view: View, say: App['say']): void {
  const chartLayout = exportLayout(view);
  const canvas = root.createElement('canvas');
  canvas.width = chartLayout.width * 2;
  canvas.height = chartLayout.height * 2;
  const context = canvas.getContext('2d');
  if (!context) {
    say('This browser cannot draw a PNG (no 2D canvas).');
    return;
  }
  context.setTransform(2, 0, 0, 2, 0, 0);
  paintChart(context, chartLayout);
  canvas.toBlob((blob) => {
    if (blob) download(root, 'anneal-chart.png', blob, say);
    else say('This browser could not encode the PNG.');
  }, 'image/png');
}

/** `link.writeNow()` writes the state into the URL at once, so that "Copy link" copies the current page. */
export function createExport(
  root: Document,
  app: App,
  link: { writeNow(): void },
): Pick<Controller, 'dispose'> {
  const listeners = new AbortController();
  const on = (id: string, type: 'click' | 'change', handler: () => void) =>
    byId(root, id).addEventListener(type, handler, { signal: listeners.signal });
  const active = () => {
    const { state, results } = app.view();
    return exportText(results[state.active], activeSeries(state));
  };
  const save = (fileName: string, blob: Blob) => download(root, fileName, blob, app.say);
  /** The view with every sample, saying so when the export has to wait for it. */
  const complete = () => {
    if (app.view().refining) app.say('Waiting for the curves to be sampled in full before exporting…');
    return app.sampledView();
  };

  on('copy-json', 'click', () => {
    const { text, valid } = active();
    void copyText(root, text, valid ? 'the JSON config' : 'the JSON as typed (it has issues)', app.say);
  });
  on('download-json', 'click', () => {
    const { text, name } = active();
    save(name, new Blob([text], { type: 'application/json' }));
  });
  on('download-csv', 'click', async () => {
    const { state, sampled } = await complete();
    const curves = sampled.map(({ curve, values }) => ({ label: curve.label, values }));
    save(
      'anneal-values.csv',
      new Blob([valuesCsv(state.start, state.end, stride(state), curves)], { type: 'text/csv' }),
    );
  });
  on('download-svg', 'click', async () => {
    const view = await complete();
    const svg = chartSvg(exportLayout(view), exportTitle(view));
    save('anneal-chart.svg', new Blob([svg], { type: 'image/svg+xml' }));
  });
  on('download-png', 'click', async () => downloadPng(root, await complete(), app.say));
  on('copy-link', 'click', () => {
    link.writeNow();
    void copyText(root, location.href, 'the link', app.say);
  });
  const importJson = byId<HTMLInputElement>(root, 'import-json');
  on('import-json', 'change', async () => {
    const file = importJson.files?.[0];
    if (!file) return;
    const text = await file.text();
    let formatted = text;
    try {
      formatted = formatConfig(JSON.parse(text));
    } catch {
      // Kept as typed: the issues panel says why it does not parse.
    }
    const { state } = app.view();
    importJson.value = '';
    app.commit(withSeries(state, state.active, { text: formatted }), { rebuild: true, editor: true });
    app.say(`Imported ${file.name} into ${activeSeries(app.view().state).name}.`);
  });

  return { dispose: () => listeners.abort() };
}
