import type { Report, RunReport } from './report';

/** Where the demo writes for people: a TTY gets a redrawn progress bar, anything else plain lines. */
export interface Output {
  write(text: string): void;
  readonly isTTY: boolean;
  readonly columns: number;
}

export function formatLearningRate(value: number): string {
  return Number.isFinite(value) ? value.toExponential(2) : String(value);
}

export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export interface ProgressState {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number;
  readonly learningRate: number;
  readonly samplesPerSecond: number;
}

/** Progress of one run: a bar redrawn in place on a TTY (at most every 100 ms), a line every tenth of the run otherwise. */
export class Progress {
  private lastDraw = 0;
  /** A bar is drawn on the current line (a TTY only). */
  private barShown = false;
  private readonly lineEvery: number;
  constructor(
    private readonly output: Output,
    private readonly name: string,
    totalSteps: number,
  ) {
    this.lineEvery = Math.max(1, Math.floor(totalSteps / 10));
  }

  private describe(state: ProgressState): string {
    return `epoch ${state.epoch + 1}/${state.epochs}  step ${state.step}/${state.totalSteps}  loss ${state.loss.toFixed(4)}  lr ${formatLearningRate(state.learningRate)}  ${formatInteger(state.samplesPerSecond)} samples/s`;
  }

  update(state: ProgressState): void {
    if (this.output.isTTY) {
      const now = performance.now();
      if (now - this.lastDraw < 100 && state.step !== state.totalSteps) return;
      this.lastDraw = now;
      const text = this.describe(state);
      const barWidth = Math.max(10, Math.min(30, this.output.columns - text.length - this.name.length - 6));
      const filled = Math.round((state.step / state.totalSteps) * barWidth);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
      this.output.write(`\r\x1b[2K${this.name} ${bar} ${text}`.slice(0, this.output.columns + 8));
      this.barShown = true;
    } else if (state.step % this.lineEvery === 0 || state.step === state.totalSteps) {
      this.output.write(`${this.name}: ${this.describe(state)}\n`);
    }
  }

  /** A line of its own (epoch results, notes), keeping the bar intact on a TTY. */
  line(text: string): void {
    this.output.write(this.output.isTTY ? `\r\x1b[2K${this.name}: ${text}\n` : `${this.name}: ${text}\n`);
    this.lastDraw = 0;
    this.barShown = false;
  }

  finish(): void {
    if (this.barShown) this.output.write('\n');
    this.barShown = false;
  }
}

function pad(cells: string[][]): string {
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The adapter, shortened for the table (the report keeps it whole). */
function shortAdapter(adapter: string): string {
  if (/swiftshader/i.test(adapter)) return 'SwiftShader';
  return adapter.length > 24 ? `${adapter.slice(0, 23)}…` : adapter;
}

function runRow(run: RunReport, report: Report): string[] {
  const compared = report.parity.perRun.find((entry) => entry.runtime === run.name);
  return [
    run.runtime,
    run.environment,
    run.backend,
    shortAdapter(run.adapter),
    String(run.steps),
    run.losses.length ? run.losses.at(-1)!.toFixed(4) : '—',
    compared ? compared.lossMaxAbsDiff.toExponential(1) : report.runs[0] === run ? 'reference' : '—',
    run.testAccuracy === null ? '—' : `${(run.testAccuracy * 100).toFixed(2)} %`,
    formatInteger(run.samplesPerSecond),
    run.seconds.toFixed(1),
  ];
}

/** The closing summary: one row per run, then the three parity checks and the verdict. */
export function formatSummary(report: Report): string {
  // loss |Δ|: the largest difference to the first run's loss over the parity window.
  const runs = pad([
    [
      'runtime',
      'env',
      'backend',
      'adapter',
      'steps',
      'last loss',
      'loss |Δ|',
      'test acc',
      'samples/s',
      'seconds',
    ],
    ...report.runs.map((run) => runRow(run, report)),
    ...report.skipped.map((run) => [
      run.runtime,
      run.environment,
      run.backend,
      'skipped',
      '',
      '',
      '',
      '',
      '',
      '',
    ]),
  ]);
  const { parity } = report;
  const mark = (ok: boolean) => (ok ? 'ok' : 'FAIL');
  const checks = pad([
    ['parity check', 'measured', 'allowed', ''],
    [
      'learning rate max |Δ| (float32, every step)',
      parity.learningRateMaxAbsDiff === 0 ? '0' : parity.learningRateMaxAbsDiff.toExponential(2),
      '0',
      mark(parity.learningRateMaxAbsDiff === 0),
    ],
    [
      `loss max |Δ|, CPU runs (first ${parity.lossSteps} steps)`,
      parity.lossMaxAbsDiff === null ? '— (one CPU run)' : parity.lossMaxAbsDiff.toExponential(2),
      String(parity.thresholds.lossMaxAbsDiff),
      mark(parity.lossMaxAbsDiff === null || parity.lossMaxAbsDiff <= parity.thresholds.lossMaxAbsDiff),
    ],
    ...(parity.gpuLossMaxAbsDiff === null
      ? []
      : [
          [
            `loss max |Δ|, GPU runs (first ${parity.lossSteps} steps)`,
            parity.gpuLossMaxAbsDiff.toExponential(2),
            String(parity.thresholds.gpuLossMaxAbsDiff),
            mark(parity.gpuLossMaxAbsDiff <= parity.thresholds.gpuLossMaxAbsDiff),
          ],
        ]),
    [
      'test accuracy |Δ|',
      parity.testAccuracyDiff === null
        ? '— (one runtime)'
        : `${(parity.testAccuracyDiff * 100).toFixed(2)} pp`,
      '1 pp',
      mark(parity.testAccuracyDiff === null || parity.testAccuracyDiff <= parity.thresholds.testAccuracyDiff),
    ],
  ]);
  const verdict = parity.pass
    ? 'PARITY PASS'
    : `PARITY FAIL\n${parity.reasons.map((reason) => `  - ${reason}`).join('\n')}`;
  return `\n${runs}\n\n${checks}\n\n${verdict}\n`;
}
