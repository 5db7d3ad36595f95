import type { Report, RunReport } from './report';
import { barChart, escapeXml, lineChart, type Series } from './svg';

/** One colour per backend; tfjs runs solid and wide, ONNX Runtime runs dashed on top (the curves overlap). */
const colors: Record<string, string> = {
  wasm: '#f97316',
  cpu: '#2563eb',
  tensorflow: '#f97316',
  cuda: '#16a34a',
  webgl: '#9333ea',
  webgpu: '#059669',
};
const style = (run: RunReport): { color: string; dash?: string; width?: number } => {
  const color = colors[run.backend] ?? '#6b7280';
  if (run.runtime === 'tfjs') return { color, width: run.environment === 'node' ? 3.2 : 2.4 };
  return {
    color: run.environment === 'browser' && run.backend === 'wasm' ? '#dc2626' : color,
    dash: '6 4',
    width: 1.6,
  };
};
const label = (run: RunReport) => run.name;

/** Exponential moving average, for readable noisy per-step curves. */
function smooth(values: readonly number[], weight = 0.9): number[] {
  const result: number[] = [];
  let last = values[0] ?? 0;
  for (const value of values) {
    last = weight * last + (1 - weight) * value;
    result.push(last);
  }
  return result;
}

function perStep(values: readonly number[]): [number, number][] {
  return values.map((value, step) => [step, value]);
}

function fixed(value: number | null, digits: number, suffix = ''): string {
  return value === null || !Number.isFinite(value) ? '—' : `${value.toFixed(digits)}${suffix}`;
}

function scientific(value: number | null): string {
  if (value === null) return '—';
  return value === 0 ? '0' : value.toExponential(2);
}

function parityRows(report: Report): string {
  const { parity } = report;
  const row = (name: string, value: string, limit: string, ok: boolean) =>
    `<tr><td>${escapeXml(name)}</td><td>${escapeXml(value)}</td><td>${escapeXml(limit)}</td><td class="${ok ? 'ok' : 'bad'}">${ok ? 'pass' : 'fail'}</td></tr>`;
  return [
    row(
      'learning rate, max |Δ| at every step (float32)',
      scientific(parity.learningRateMaxAbsDiff),
      '0 (identical)',
      parity.learningRateMaxAbsDiff === 0,
    ),
    row(
      `loss between CPU runs, max |Δ| over the first ${parity.lossSteps} steps`,
      scientific(parity.lossMaxAbsDiff),
      `≤ ${parity.thresholds.lossMaxAbsDiff}`,
      parity.lossMaxAbsDiff === null || parity.lossMaxAbsDiff <= parity.thresholds.lossMaxAbsDiff,
    ),
    ...(parity.gpuLossMaxAbsDiff === null
      ? []
      : [
          row(
            `loss with a GPU run, max |Δ| over the first ${parity.lossSteps} steps`,
            scientific(parity.gpuLossMaxAbsDiff),
            `≤ ${parity.thresholds.gpuLossMaxAbsDiff}`,
            parity.gpuLossMaxAbsDiff <= parity.thresholds.gpuLossMaxAbsDiff,
          ),
        ]),
    row(
      'test accuracy, |Δ|',
      parity.testAccuracyDiff === null ? '—' : `${(parity.testAccuracyDiff * 100).toFixed(2)} pp`,
      '≤ 1 pp',
      parity.testAccuracyDiff === null || parity.testAccuracyDiff <= parity.thresholds.testAccuracyDiff,
    ),
  ].join('\n');
}

/** The report's charts, in page order: learning rate, loss, accuracy, throughput, loss difference. */
function reportCharts(report: Report): string[] {
  const runs = report.runs;
  const lrChart = lineChart({
    title: 'Learning rate per step (all runtimes overlaid)',
    xLabel: 'step',
    yLabel: 'learning rate',
    yMin: 0,
    series: runs.map((run) => ({ name: label(run), ...style(run), points: perStep(run.learningRates) })),
  });
  const lossChart = lineChart({
    title: 'Training loss per step',
    xLabel: 'step',
    yLabel: 'cross-entropy',
    yMin: 0,
    series: runs.map((run) => ({ name: label(run), ...style(run), width: 1.4, points: perStep(run.losses) })),
  });
  const accuracySeries: Series[] = runs.flatMap((run) => [
    // onnxruntime-web runs do not measure the batch accuracy (a second forward pass per step).
    ...(run.trainAccuracies.every((value) => Number.isFinite(value))
      ? [
          {
            name: `${run.name} train (EMA)`,
            ...style(run),
            width: 1.4,
            points: perStep(smooth(run.trainAccuracies)),
          },
        ]
      : []),
    {
      name: `${run.name} test`,
      color: style(run).color,
      markers: true,
      markerRadius: run.runtime === 'tfjs' ? 6 : 3.5,
      points: run.testAccuracyByEpoch.map((value, epoch) => [
        (epoch + 1) * report.data.stepsPerEpoch - 1,
        value,
      ]),
    },
  ]);
  const accuracyChart = lineChart({
    title: 'Accuracy: training batches (EMA) and test set per epoch',
    xLabel: 'step',
    yLabel: 'accuracy',
    yMax: 1,
    series: accuracySeries,
  });
  const throughputChart = barChart({
    title: 'Training throughput',
    xLabel: 'samples per second (training steps only)',
    bars: runs.map((run) => ({
      name: label(run),
      value: run.samplesPerSecond,
      color: style(run).color,
      label: `${Math.round(run.samplesPerSecond).toLocaleString('en-US')} /s`,
    })),
  });
  const lossDiff =
    runs.length > 1
      ? lineChart({
          title: `|loss difference| vs ${runs[0]!.name}`,
          xLabel: 'step',
          yLabel: '|Δ loss|',
          yMin: 0,
          series: runs.slice(1).map((run) => ({
            name: `${run.name} − ${runs[0]!.name}`,
            ...style(run),
            width: 1.4,
            dash: undefined,
            points: run.losses.map(
              (loss, step) =>
                [step, Math.abs(loss - (runs[0]!.losses[step] ?? Number.NaN))] as [number, number],
            ),
          })),
        })
      : '';
  return [lrChart, lossChart, accuracyChart, throughputChart, lossDiff];
}

/** The self-contained report page: inline CSS and SVG only, no scripts, no network. */
export function renderReportHtml(report: Report): string {
  const runs = report.runs;
  const verdict = report.parity.pass ? 'Parity holds' : 'Parity fails';
  const lossDiff = (run: RunReport) => {
    const compared = report.parity.perRun.find((entry) => entry.runtime === run.name);
    return compared ? scientific(compared.lossMaxAbsDiff) : run === runs[0] ? 'reference' : '—';
  };
  const runRows = [
    ...runs.map(
      (run) =>
        `<tr><td>${escapeXml(run.runtime)}</td><td>${escapeXml(run.environment)}</td><td>${escapeXml(run.backend)}</td><td>${escapeXml(run.device)}</td><td>${escapeXml(run.adapter)}</td><td>${run.steps}</td><td>${fixed(run.losses.at(-1) ?? null, 4)}</td><td>${lossDiff(run)}</td><td>${run.testAccuracy === null ? '—' : `${(run.testAccuracy * 100).toFixed(2)} %`}</td><td>${Math.round(run.samplesPerSecond).toLocaleString('en-US')}</td><td>${run.seconds.toFixed(1)}</td></tr>`,
    ),
    ...report.skipped.map(
      (run) =>
        `<tr class="skipped"><td>${escapeXml(run.runtime)}</td><td>${escapeXml(run.environment)}</td><td>${escapeXml(run.backend)}</td><td colspan="8">skipped: ${escapeXml(run.reason)}</td></tr>`,
    ),
  ].join('\n');
  const notes = runs.flatMap((run) => run.notes);
  const schedule = report.schedule.config
    ? JSON.stringify(report.schedule.config, null, 2)
    : report.schedule.description;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>anneal demo: ${escapeXml(verdict)}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1180px; color: #111827; padding: 0 16px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  .sub { color: #4b5563; margin: 0 0 16px; }
  .verdict { display: inline-block; padding: 6px 12px; border-radius: 6px; font-weight: 600; margin: 4px 0 12px; }
  .verdict.pass { background: #dcfce7; color: #166534; }
  .verdict.fail { background: #fee2e2; color: #991b1b; }
  .incomplete { background: #fef3c7; color: #92400e; padding: 6px 12px; border-radius: 6px; }
  table { border-collapse: collapse; margin: 8px 0 18px; }
  th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 12px 4px 0; text-align: left; }
  td.ok { color: #166534; font-weight: 600; } td.bad { color: #991b1b; font-weight: 600; }
  tr.skipped td { color: #6b7280; font-style: italic; }
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 12px; }
  .charts svg { border: 1px solid #e5e7eb; border-radius: 6px; max-width: 100%; height: auto; }
  pre { background: #f3f4f6; padding: 8px; border-radius: 6px; overflow-x: auto; font-size: 12px; }
</style>
</head>
<body>
<h1>anneal demo — one schedule, every runtime and adapter</h1>
<p class="sub">${escapeXml(report.modelDescription)} on ${escapeXml(report.data.source)}: ${report.data.trainSamples.toLocaleString('en-US')} training samples, ${report.data.testSamples.toLocaleString('en-US')} test samples, ${report.epochs} epoch${report.epochs === 1 ? '' : 's'} × ${report.data.stepsPerEpoch} steps of ${report.batchSize}, optimizer ${escapeXml(report.optimizer.name)}, seed ${report.seed}. ${escapeXml(report.createdAt)}</p>
${report.complete ? '' : `<p class="incomplete">Incomplete report: ${report.interrupted ? 'the run was interrupted (Ctrl-C)' : 'a run did not finish'}.</p>`}
<div class="verdict ${report.parity.pass ? 'pass' : 'fail'}">${escapeXml(verdict)}</div>
${report.parity.reasons.length ? `<ul>${report.parity.reasons.map((reason) => `<li>${escapeXml(reason)}</li>`).join('')}</ul>` : ''}
<table>
<thead><tr><th>check</th><th>measured</th><th>allowed</th><th>verdict</th></tr></thead>
<tbody>
${parityRows(report)}
</tbody>
</table>
<table>
<thead><tr><th>runtime</th><th>environment</th><th>backend</th><th>device</th><th>adapter</th><th>steps</th><th>last loss</th><th>loss |Δ| (first ${report.parity.lossSteps} steps)</th><th>test accuracy</th><th>samples/s</th><th>seconds</th></tr></thead>
<tbody>
${runRows}
</tbody>
</table>
<div class="charts">
${reportCharts(report).join('\n')}
</div>
${notes.length ? `<h2>Notes</h2><ul>${notes.map((note) => `<li>${escapeXml(note)}</li>`).join('')}</ul>` : ''}
<h2>Schedule</h2>
<p>${escapeXml(report.schedule.description)}</p>
<pre>${escapeXml(schedule)}</pre>
</body>
</html>
`;
}
