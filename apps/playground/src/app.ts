/**
 * The page: state, the series tabs, the generated controls, the JSON editor, the chart (a canvas
 * for the curves and an overlay canvas for the cursor), the value-at-step table and the exports.
 * Every change goes through `commit`, which rebuilds what changed, redraws and writes the URL.
 */
import { sample } from '@anneal/core';
import { type ChartLayout, layoutChart, stepAt, xOfStep, yOfValue } from './chart';
import { renderEditor } from './editor';
import { buildSeries, type Curve, formatExact, naturalEnd, type SeriesResult } from './model';
import { legendRowsFor, paintChart } from './paint';
import { referenceExamples } from './presets';
import {
  type AppState,
  decodeState,
  defaultState,
  encodeState,
  formatConfig,
  maxPoints,
  maxSeries,
  palette,
  type SeriesState,
} from './state';
import { chartSvg, valuesCsv } from './svg';

interface SampledCurve {
  readonly curve: Curve;
  readonly values: Float64Array;
}

/** Timings of the last redraw, in milliseconds (read by the benchmark). */
export interface RedrawTimings {
  readonly sampleMs: number;
  readonly layoutMs: number;
  readonly paintMs: number;
}

const byId = <T extends HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The page is missing #${id}.`);
  return node as T;
};

export function startApp(): void {
  const ui = {
    banner: byId<HTMLDivElement>('banner'),
    tabs: byId<HTMLDivElement>('tabs'),
    addSeries: byId<HTMLButtonElement>('add-series'),
    removeSeries: byId<HTMLButtonElement>('remove-series'),
    seriesName: byId<HTMLInputElement>('series-name'),
    seriesColor: byId<HTMLInputElement>('series-color'),
    issues: byId<HTMLDivElement>('issues'),
    controls: byId<HTMLDivElement>('controls'),
    referencePanel: byId<HTMLDivElement>('reference-panel'),
    nativeConfig: byId<HTMLPreElement>('native-config'),
    useNative: byId<HTMLButtonElement>('use-native'),
    configText: byId<HTMLTextAreaElement>('config-text'),
    referenceExample: byId<HTMLSelectElement>('reference-example'),
    rangeStart: byId<HTMLInputElement>('range-start'),
    rangeEnd: byId<HTMLInputElement>('range-end'),
    points: byId<HTMLInputElement>('points'),
    scale: byId<HTMLSelectElement>('scale'),
    fitRange: byId<HTMLButtonElement>('fit-range'),
    rangeIssues: byId<HTMLParagraphElement>('range-issues'),
    chartBox: byId<HTMLDivElement>('chart-box'),
    chart: byId<HTMLCanvasElement>('chart'),
    overlay: byId<HTMLCanvasElement>('overlay'),
    readout: byId<HTMLParagraphElement>('cursor-readout'),
    legend: byId<HTMLUListElement>('legend'),
    probeStep: byId<HTMLInputElement>('probe-step'),
    probeValues: byId<HTMLTableElement>('probe-values'),
    copyJson: byId<HTMLButtonElement>('copy-json'),
    downloadJson: byId<HTMLButtonElement>('download-json'),
    downloadCsv: byId<HTMLButtonElement>('download-csv'),
    downloadSvg: byId<HTMLButtonElement>('download-svg'),
    downloadPng: byId<HTMLButtonElement>('download-png'),
    copyLink: byId<HTMLButtonElement>('copy-link'),
    importJson: byId<HTMLInputElement>('import-json'),
    status: byId<HTMLParagraphElement>('status'),
  };

  let state: AppState = defaultState();
  let results: SeriesResult[] = [];
  let sampled: SampledCurve[] = [];
  let layout: ChartLayout | undefined;
  let cursorStep: number | undefined;
  let lastHash = '';
  let timings: RedrawTimings = { sampleMs: 0, layoutMs: 0, paintMs: 0 };
  /** The config object the controls edit (the active series' parsed text), if it parses. */
  let editing: Record<string, unknown> | undefined;

  const showBanner = (message: string | undefined) => {
    ui.banner.hidden = message === undefined;
    ui.banner.textContent = message ?? '';
  };
  const say = (message: string) => {
    ui.status.textContent = message;
  };

  // ---------------------------------------------------------------------------------------------
  // State changes

  const activeSeries = () => state.series[state.active]!;
  const setSeries = (index: number, change: Partial<SeriesState>) => {
    state = {
      ...state,
      series: state.series.map((series, i) => (i === index ? { ...series, ...change } : series)),
    };
  };

  const rebuild = () => {
    results = state.series.map(buildSeries);
  };

  const stride = () => (state.end - state.start) / (state.points - 1);

  const resample = () => {
    const begin = performance.now();
    sampled = [];
    const step = stride();
    results.forEach((result) => {
      if (!result.ok) return;
      for (const curve of result.curves) {
        try {
          sampled.push({
            curve,
            values: sample(curve.schedule, { start: state.start, end: state.end, stride: step }),
          });
        } catch (error) {
          showBanner(`Could not sample ${curve.label}: ${(error as Error).message}`);
        }
      }
    });
    timings = { ...timings, sampleMs: performance.now() - begin };
  };

  const chartSize = () => {
    const width = Math.max(280, Math.floor(ui.chartBox.clientWidth || 640));
    const height = Math.round(Math.min(440, Math.max(240, width * 0.55)));
    return { width, height };
  };

  const phaseMarks = () =>
    results.flatMap((result, index) =>
      result.ok
        ? result.phases.map((phase) => ({
            step: phase.start,
            name: phase.name,
            color: state.series[index]!.color,
          }))
        : [],
    );

  const layoutFor = (width: number, height: number, legendRows = 0) =>
    layoutChart({
      width,
      height,
      start: state.start,
      end: state.end,
      stride: stride(),
      scale: state.scale,
      curves: sampled.map(({ curve, values }) => ({
        label: curve.label,
        color: curve.color,
        dashed: curve.dashed,
        wide: curve.wide,
        values,
      })),
      phases: phaseMarks(),
      legendRows,
    });

  const draw = () => {
    const { width, height } = chartSize();
    const ratio = window.devicePixelRatio || 1;
    for (const canvas of [ui.chart, ui.overlay]) {
      if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
        canvas.style.width = `${width}px`;
        canvas.style.height = `${height}px`;
      }
    }
    const layoutBegin = performance.now();
    layout = layoutFor(width, height);
    const paintBegin = performance.now();
    const context = ui.chart.getContext('2d');
    if (context) {
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      paintChart(context, layout);
    }
    const paintEnd = performance.now();
    timings = { ...timings, layoutMs: paintBegin - layoutBegin, paintMs: paintEnd - paintBegin };
    const labels = sampled.map(({ curve }) => curve.label);
    ui.chart.setAttribute(
      'aria-label',
      labels.length === 0
        ? 'Learning-rate chart: nothing to draw.'
        : `Learning-rate chart of ${labels.join(', ')} from step ${state.start} to ${state.end}, ${state.scale} scale.`,
    );
    drawCursor();
  };

  const drawCursor = () => {
    const ratio = window.devicePixelRatio || 1;
    const context = ui.overlay.getContext('2d');
    if (!context || !layout) return;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, ui.overlay.width, ui.overlay.height);
    if (cursorStep === undefined) {
      ui.readout.textContent = '';
      return;
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const x = xOfStep(layout, cursorStep);
    context.strokeStyle = '#111827';
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(Math.round(x) + 0.5, layout.plot.top);
    context.lineTo(Math.round(x) + 0.5, layout.plot.top + layout.plot.height);
    context.stroke();
    const parts: string[] = [];
    for (const { curve } of sampled) {
      const value = curve.schedule(cursorStep);
      parts.push(`${curve.label}: ${formatExact(value)}`);
      context.fillStyle = curve.color;
      context.beginPath();
      context.arc(x, yOfValue(layout, value), 4, 0, 2 * Math.PI);
      context.fill();
    }
    ui.readout.textContent = `step ${cursorStep} — ${parts.join('; ') || 'no curve'}`;
  };

  /** A readable step for a cursor position: whole steps unless a pixel spans less than half a step. */
  const roundStep = (step: number) => {
    if (!layout) return step;
    const perPixel = (layout.end - layout.start) / layout.plot.width;
    if (perPixel >= 0.5) return Math.round(step);
    return Number(step.toFixed(Math.min(6, Math.max(1, Math.ceil(-Math.log10(perPixel))))));
  };

  const renderTabs = () => {
    ui.tabs.replaceChildren();
    state.series.forEach((series, index) => {
      const tab = document.createElement('button');
      tab.type = 'button';
      tab.id = `tab-${index}`;
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-controls', 'series-panel');
      tab.setAttribute('aria-selected', String(index === state.active));
      tab.tabIndex = index === state.active ? 0 : -1;
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = series.color;
      swatch.setAttribute('aria-hidden', 'true');
      tab.append(swatch, series.name || `schedule ${index + 1}`);
      if (results[index] && !results[index]!.ok) {
        const mark = document.createElement('span');
        mark.className = 'tab-issue';
        mark.textContent = ' ⚠';
        mark.setAttribute('aria-label', ' (has issues)');
        tab.append(mark);
      }
      tab.addEventListener('click', () => selectSeries(index));
      tab.addEventListener('keydown', (event) => {
        const count = state.series.length;
        let next: number | undefined;
        if (event.key === 'ArrowRight') next = (index + 1) % count;
        else if (event.key === 'ArrowLeft') next = (index - 1 + count) % count;
        else if (event.key === 'Home') next = 0;
        else if (event.key === 'End') next = count - 1;
        if (next === undefined) return;
        event.preventDefault();
        selectSeries(next);
        document.getElementById(`tab-${next}`)?.focus();
      });
      ui.tabs.append(tab);
    });
    ui.addSeries.disabled = state.series.length >= maxSeries;
    ui.addSeries.title = ui.addSeries.disabled ? `At most ${maxSeries} schedules` : '';
    ui.removeSeries.disabled = state.series.length <= 1;
    document.getElementById('series-panel')?.setAttribute('aria-labelledby', `tab-${state.active}`);
  };

  const renderIssues = () => {
    ui.issues.replaceChildren();
    const result = results[state.active];
    for (const node of ui.controls.querySelectorAll('[aria-invalid="true"]'))
      node.removeAttribute('aria-invalid');
    ui.configText.removeAttribute('aria-invalid');
    const others = results
      .map((other, index) => ({ other, index }))
      .filter(({ other, index }) => index !== state.active && !other.ok);
    if (result && !result.ok) {
      ui.configText.setAttribute('aria-invalid', 'true');
      const heading = document.createElement('p');
      heading.className = 'issues-heading';
      heading.textContent = `${result.issues.length === 1 ? 'One issue' : `${result.issues.length} issues`} — this schedule is not drawn until they are fixed:`;
      const list = document.createElement('ul');
      for (const issue of result.issues) {
        const item = document.createElement('li');
        if (issue.path) {
          const code = document.createElement('code');
          code.textContent = issue.path;
          item.append(code, ' ');
        }
        item.append(issue.message);
        list.append(item);
        if (issue.path) {
          const control = ui.controls.querySelector(`[data-path="${CSS.escape(issue.path)}"]`);
          control?.setAttribute('aria-invalid', 'true');
        }
      }
      ui.issues.append(heading, list);
    }
    if (others.length > 0) {
      const note = document.createElement('p');
      note.className = 'issues-heading';
      note.textContent = `Also not drawn: ${others.map(({ index }) => state.series[index]!.name).join(', ')} (see their tabs).`;
      ui.issues.append(note);
    }
  };

  const renderReference = () => {
    const result = results[state.active];
    const isReference = result?.ok === true && result.kind === 'reference';
    ui.referencePanel.hidden = !isReference;
    if (isReference) ui.nativeConfig.textContent = formatConfig(result.nativeConfig);
  };

  const renderEditorPanel = () => {
    const series = activeSeries();
    ui.seriesName.value = series.name;
    ui.seriesColor.value = series.color;
    if (ui.configText.value !== series.text) ui.configText.value = series.text;
    editing = undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(series.text);
    } catch {
      parsed = undefined;
    }
    const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    if (isObject && 'api' in (parsed as object) && !('type' in (parsed as object))) {
      ui.controls.replaceChildren(
        Object.assign(document.createElement('p'), {
          className: 'help',
          textContent:
            'A reference config: edit it as JSON below, or pick "Edit the native config" to use the controls.',
        }),
      );
      return;
    }
    if (!isObject) {
      ui.controls.replaceChildren(
        Object.assign(document.createElement('p'), {
          className: 'help',
          textContent: 'The JSON below is not a config object yet; fix it to get the controls back.',
        }),
      );
      return;
    }
    editing = parsed as Record<string, unknown>;
    const config = editing;
    renderEditor(ui.controls, config, {
      changed: () => {
        if (editing !== config) return;
        const text = formatConfig(config);
        setSeries(state.active, { text });
        ui.configText.value = text;
        commit({ rebuild: true });
      },
      replaced: (next) => {
        setSeries(state.active, { text: formatConfig(next) });
        commit({ rebuild: true, editor: true });
        document.getElementById('family')?.focus();
      },
      rangeEnd: () => Math.max(state.end, 1),
    });
  };

  const renderLegend = () => {
    ui.legend.replaceChildren();
    for (const { curve } of sampled) {
      const item = document.createElement('li');
      item.dataset.label = curve.label;
      const line = document.createElement('span');
      line.className = `legend-line${curve.dashed ? ' dashed' : ''}${curve.wide ? ' wide' : ''}`;
      line.style.borderColor = curve.color;
      line.setAttribute('aria-hidden', 'true');
      item.append(line, `${curve.label}${curve.dashed ? ' (dashed)' : curve.wide ? ' (wide, pale)' : ''}`);
      ui.legend.append(item);
    }
  };

  const renderProbe = () => {
    const body = ui.probeValues.tBodies[0]!;
    body.replaceChildren();
    if (document.activeElement !== ui.probeStep) ui.probeStep.value = String(state.probe);
    for (const { curve } of sampled) {
      const row = body.insertRow();
      row.dataset.label = curve.label;
      const name = row.insertCell();
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = curve.color;
      swatch.setAttribute('aria-hidden', 'true');
      name.append(swatch, curve.label);
      const value = row.insertCell();
      const exact = formatExact(curve.schedule(state.probe));
      value.textContent = exact;
      value.dataset.value = exact;
      value.className = 'value';
    }
  };

  const renderRangeInputs = () => {
    const active = document.activeElement;
    if (active !== ui.rangeStart) ui.rangeStart.value = String(state.start);
    if (active !== ui.rangeEnd) ui.rangeEnd.value = String(state.end);
    if (active !== ui.points) ui.points.value = String(state.points);
    ui.scale.value = state.scale;
  };

  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  const writeUrl = () => {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      const hash = encodeState(state);
      if (hash === lastHash) return;
      lastHash = hash;
      try {
        history.replaceState(null, '', hash);
      } catch {
        location.hash = hash;
      }
    }, 120);
  };

  /** Applies the current state to the page. */
  const commit = (what: { rebuild?: boolean; editor?: boolean; resample?: boolean } = {}) => {
    try {
      if (what.rebuild) rebuild();
      if (what.rebuild || what.resample) resample();
      draw();
      renderTabs();
      if (what.editor) renderEditorPanel();
      renderIssues();
      renderReference();
      renderLegend();
      renderProbe();
      renderRangeInputs();
      writeUrl();
    } catch (error) {
      showBanner(`Something went wrong while drawing: ${(error as Error).message}`);
    }
  };

  const selectSeries = (index: number) => {
    state = { ...state, active: index };
    commit({ editor: true });
  };

  const load = (next: AppState) => {
    state = next;
    cursorStep = undefined;
    commit({ rebuild: true, editor: true });
  };

  // ---------------------------------------------------------------------------------------------
  // Events

  ui.addSeries.addEventListener('click', () => {
    if (state.series.length >= maxSeries) return;
    const used = new Set(state.series.map((series) => series.color));
    const color =
      palette.find((candidate) => !used.has(candidate)) ?? palette[state.series.length % palette.length]!;
    const names = new Set(state.series.map((series) => series.name));
    let number = state.series.length + 1;
    while (names.has(`schedule ${number}`)) number++;
    state = {
      ...state,
      series: [...state.series, { name: `schedule ${number}`, color, text: activeSeries().text }],
      active: state.series.length,
    };
    commit({ rebuild: true, editor: true });
    document.getElementById(`tab-${state.active}`)?.focus();
    say(`Added schedule ${number}, a copy of the one you were editing.`);
  });

  ui.removeSeries.addEventListener('click', () => {
    if (state.series.length <= 1) return;
    const removed = activeSeries().name;
    state = {
      ...state,
      series: state.series.filter((_, index) => index !== state.active),
      active: Math.max(0, state.active - 1),
    };
    commit({ rebuild: true, editor: true });
    document.getElementById(`tab-${state.active}`)?.focus();
    say(`Removed ${removed}.`);
  });

  ui.seriesName.addEventListener('input', () => {
    setSeries(state.active, { name: ui.seriesName.value });
    commit({ rebuild: true });
  });
  ui.seriesColor.addEventListener('input', () => {
    setSeries(state.active, { color: ui.seriesColor.value });
    commit({ rebuild: true });
  });

  ui.configText.addEventListener('input', () => {
    setSeries(state.active, { text: ui.configText.value });
    commit({ rebuild: true, editor: true });
  });

  ui.referenceExample.append(new Option('(choose an example)', ''));
  referenceExamples.forEach((example, index) => {
    ui.referenceExample.append(new Option(example.label, String(index)));
  });
  ui.referenceExample.addEventListener('change', () => {
    const example = referenceExamples[Number(ui.referenceExample.value)];
    if (!example || ui.referenceExample.value === '') return;
    setSeries(state.active, { text: formatConfig(example.config) });
    commit({ rebuild: true, editor: true });
    say(`Loaded the ${example.label} example into ${activeSeries().name}.`);
  });

  ui.useNative.addEventListener('click', () => {
    const result = results[state.active];
    if (!result?.ok) return;
    setSeries(state.active, { text: formatConfig(result.nativeConfig) });
    commit({ rebuild: true, editor: true });
    document.getElementById('family')?.focus();
  });

  const rangeInput = () => {
    const start = Number(ui.rangeStart.value);
    const end = Number(ui.rangeEnd.value);
    const points = Number(ui.points.value);
    const problems: string[] = [];
    if (ui.rangeStart.value.trim() === '' || !(Number.isFinite(start) && start >= 0))
      problems.push(`From must be a finite number >= 0; received ${JSON.stringify(ui.rangeStart.value)}.`);
    if (ui.rangeEnd.value.trim() === '' || !Number.isFinite(end))
      problems.push(`To must be a finite number; received ${JSON.stringify(ui.rangeEnd.value)}.`);
    else if (!(end > start)) problems.push(`To must be greater than From (${start}); received ${end}.`);
    if (!(Number.isInteger(points) && points >= 2 && points <= maxPoints))
      problems.push(
        `Points must be an integer in [2, ${maxPoints}]; received ${JSON.stringify(ui.points.value)}.`,
      );
    ui.rangeIssues.textContent = problems.join(' ');
    for (const [input, bad] of [
      [ui.rangeStart, problems.some((p) => p.startsWith('From'))],
      [ui.rangeEnd, problems.some((p) => p.startsWith('To'))],
      [ui.points, problems.some((p) => p.startsWith('Points'))],
    ] as const) {
      if (bad) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
    if (problems.length > 0) return;
    state = { ...state, start, end, points };
    commit({ resample: true });
  };
  for (const input of [ui.rangeStart, ui.rangeEnd, ui.points]) input.addEventListener('input', rangeInput);
  ui.scale.addEventListener('change', () => {
    state = { ...state, scale: ui.scale.value === 'log' ? 'log' : 'linear' };
    commit();
  });
  ui.fitRange.addEventListener('click', () => {
    const end = naturalEnd(results);
    state = { ...state, start: 0, end: end === undefined ? 1000 : Math.ceil(end * 1.1) };
    ui.rangeIssues.textContent = '';
    commit({ resample: true });
    say(`Range set to steps 0–${state.end}.`);
  });

  ui.probeStep.addEventListener('input', () => {
    const step = Number(ui.probeStep.value);
    if (ui.probeStep.value.trim() === '' || !(Number.isFinite(step) && step >= 0)) {
      ui.probeStep.setAttribute('aria-invalid', 'true');
      return;
    }
    ui.probeStep.removeAttribute('aria-invalid');
    state = { ...state, probe: step };
    renderProbe();
    writeUrl();
  });

  // Cursor: pointer (mouse, pen, touch) and keyboard.
  const pointerAt = (event: PointerEvent) => {
    if (!layout) return;
    const rect = ui.chart.getBoundingClientRect();
    cursorStep = roundStep(stepAt(layout, event.clientX - rect.left));
    drawCursor();
  };
  ui.chart.addEventListener('pointermove', pointerAt);
  ui.chart.addEventListener('pointerdown', pointerAt);
  ui.chart.addEventListener('pointerleave', () => {
    if (document.activeElement === ui.chart) return;
    cursorStep = undefined;
    drawCursor();
  });
  ui.chart.addEventListener('keydown', (event) => {
    if (!layout) return;
    const perPixel = (state.end - state.start) / layout.plot.width;
    const stepSize = Math.max(perPixel, perPixel >= 0.5 ? 1 : perPixel) * (event.shiftKey ? 10 : 1);
    const current = cursorStep ?? state.start;
    let next: number | undefined;
    if (event.key === 'ArrowRight') next = current + stepSize;
    else if (event.key === 'ArrowLeft') next = current - stepSize;
    else if (event.key === 'Home') next = state.start;
    else if (event.key === 'End') next = state.end;
    else if (event.key === 'Escape') {
      cursorStep = undefined;
      drawCursor();
      return;
    }
    if (next === undefined) return;
    event.preventDefault();
    cursorStep = Math.min(state.end, Math.max(state.start, roundStep(next)));
    drawCursor();
  });
  ui.chart.addEventListener('focus', () => {
    if (cursorStep === undefined) {
      cursorStep = state.start;
      drawCursor();
    }
  });

  // Exports.
  const download = (fileName: string, blob: Blob) => {
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    say(`Saved ${fileName}.`);
  };

  /** The active series as JSON: the normalized native config, the reference config as given, or the text as typed. */
  const exportText = (): { text: string; name: string; valid: boolean } => {
    const result = results[state.active];
    if (result?.ok) {
      const config = result.kind === 'reference' ? result.input : result.nativeConfig;
      const label =
        result.kind === 'reference' ? String(result.input.api).split('.').at(-1) : result.nativeConfig.type;
      return { text: `${formatConfig(config)}\n`, name: `anneal-${label}.json`, valid: true };
    }
    return { text: activeSeries().text, name: 'anneal-schedule.json', valid: false };
  };

  const copyText = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      say(`Copied ${what} to the clipboard.`);
    } catch {
      const area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.className = 'visually-hidden';
      document.body.append(area);
      area.select();
      const copied = document.execCommand('copy');
      area.remove();
      say(
        copied
          ? `Copied ${what} to the clipboard.`
          : `Could not reach the clipboard: select the ${what} and copy it by hand.`,
      );
    }
  };

  ui.copyJson.addEventListener('click', () => {
    const { text, valid } = exportText();
    void copyText(text, valid ? 'the JSON config' : 'the JSON as typed (it has issues)');
  });
  ui.downloadJson.addEventListener('click', () => {
    const { text, name } = exportText();
    download(name, new Blob([text], { type: 'application/json' }));
  });
  ui.downloadCsv.addEventListener('click', () => {
    const csv = valuesCsv(
      state.start,
      state.end,
      stride(),
      sampled.map(({ curve, values }) => ({ label: curve.label, values })),
    );
    download('anneal-values.csv', new Blob([csv], { type: 'text/csv' }));
  });
  const exportLayout = () => {
    const width = 960;
    const labels = sampled.map(({ curve }) => curve.label);
    return layoutFor(width, 540, legendRowsFor(labels, width));
  };
  const title = () => `Learning rate: ${sampled.map(({ curve }) => curve.label).join(', ') || 'no curve'}`;
  ui.downloadSvg.addEventListener('click', () => {
    download('anneal-chart.svg', new Blob([chartSvg(exportLayout(), title())], { type: 'image/svg+xml' }));
  });
  ui.downloadPng.addEventListener('click', () => {
    const chartLayout = exportLayout();
    const canvas = document.createElement('canvas');
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
      if (blob) download('anneal-chart.png', blob);
      else say('This browser could not encode the PNG.');
    }, 'image/png');
  });
  ui.copyLink.addEventListener('click', () => {
    clearTimeout(urlTimer);
    lastHash = encodeState(state);
    try {
      history.replaceState(null, '', lastHash);
    } catch {
      location.hash = lastHash;
    }
    void copyText(location.href, 'the link');
  });
  ui.importJson.addEventListener('change', async () => {
    const file = ui.importJson.files?.[0];
    if (!file) return;
    const text = await file.text();
    let formatted = text;
    try {
      formatted = formatConfig(JSON.parse(text));
    } catch {
      // Kept as typed: the issues panel says why it does not parse.
    }
    setSeries(state.active, { text: formatted });
    ui.importJson.value = '';
    commit({ rebuild: true, editor: true });
    say(`Imported ${file.name} into ${activeSeries().name}.`);
  });

  // URL state and resizing.
  const loadFromHash = () => {
    if (location.hash === lastHash) return;
    try {
      const decoded = decodeState(location.hash);
      lastHash = location.hash;
      showBanner(undefined);
      load(decoded ?? defaultState());
    } catch (error) {
      showBanner(`${(error as Error).message} Showing the default schedule instead.`);
      load(defaultState());
    }
  };
  window.addEventListener('hashchange', loadFromHash);
  // Redraw on the next frame: resizing the canvas inside the observer's callback would loop.
  new ResizeObserver(() => {
    requestAnimationFrame(() => {
      if (layout && chartSize().width !== layout.width) draw();
    });
  }).observe(ui.chartBox);

  // The benchmark and the tests read timings and redraw through this handle.
  Object.assign(window, {
    annealPlayground: {
      state: () => state,
      load,
      timings: () => timings,
      redraw: (options: { resample?: boolean } = {}) => {
        if (options.resample) resample();
        draw();
        return timings;
      },
    },
  });

  loadFromHash();
  if (!location.hash) load(state);
}
