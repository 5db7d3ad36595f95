import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Schedule } from '@anneal/core';
import type { DemoOptions } from './args';
import { loadIdxMnist, loadPackagedMnist, type PreparedData, prepareData } from './data';
import { BadInputError } from './errors';
import { findLrOptions, runFindLr, scheduleWithPeak } from './find-lr';
import { renderReportHtml } from './html';
import { describeModel, initialModelParameters, type ModelParameters } from './models';
import { parityOfRuns } from './parity';
import type { Report, RunReport } from './report';
import { runFolder, runLabel } from './run-names';
import {
  optimizerSettings,
  type PreparedRunner,
  secondsSince,
  type TrainingHooks,
  type TrainingPlan,
  type TrainingResult,
} from './runners/types';
import { type PreparedRuns, prepareRuns } from './runs';
import { checkSchedule, defaultSchedule, describeSchedule, loadScheduleFile } from './schedule';
import { openRunLog, type RunLog } from './tensorboard';
import { formatSummary, type Output, Progress } from './terminal';

/** Set by the SIGINT handler; runners stop after the current step. */
export interface Interruption {
  requested: boolean;
}

export interface DemoResult {
  readonly exitCode: 0 | 1 | 130;
  readonly report: Report;
  readonly outDir: string;
}

export function defaultOutDir(now = new Date()): string {
  return join('runs', now.toISOString().replace(/[:.]/g, '-').replace(/Z$/, ''));
}

function prepareOutDir(path: string): string {
  const absolute = resolve(path);
  try {
    mkdirSync(absolute, { recursive: true });
    const probe = join(absolute, `.anneal-write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new BadInputError(`--out: cannot write to ${absolute}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return absolute;
}

interface Setup {
  readonly data: PreparedData;
  readonly schedule: Schedule;
  readonly scheduleDescription: string;
  readonly parameters: ModelParameters;
  readonly plan: TrainingPlan;
  readonly outDir: string;
  readonly runs: PreparedRuns;
  /** Largest learning rate the schedule gives over the run. */
  readonly peakLearningRate: number;
}

/** Everything that can fail because of the user's input happens here, before any training. */
async function setUp(options: DemoOptions, output: Output): Promise<Setup> {
  const outPath = options.outDir ?? defaultOutDir();
  const split = options.dataDir === undefined ? loadPackagedMnist() : loadIdxMnist(options.dataDir);
  const data = prepareData(split, {
    seed: options.seed,
    batchSize: options.batchSize,
    trainSamples: options.trainSamples,
    testSamples: options.testSamples,
  });
  const totalSteps = options.epochs * data.stepsPerEpoch;
  let schedule: Schedule;
  let scheduleDescription: string;
  if (options.schedulePath === undefined) {
    schedule = defaultSchedule(options.optimizer, totalSteps, options.batchSize);
    const config = schedule.config as Record<string, number>;
    scheduleDescription = `Default: linear warm-up from 0 to ${config.peakValue} over ${config.warmupSteps} steps, hold for ${config.holdSteps} steps, cosine down to ${config.finalValue} at step ${totalSteps}.`;
  } else {
    schedule = loadScheduleFile(options.schedulePath);
    scheduleDescription = `From ${options.schedulePath}.`;
  }
  checkSchedule(schedule, totalSteps);
  if (options.useSuggestedLr) {
    // The range test sees the training run's batches; its SVG and JSON go to the output folder.
    const found = await runFindLr(findLrOptions(options, outPath, data), output);
    schedule = scheduleWithPeak(schedule, totalSteps, found);
    scheduleDescription += ` Scaled to the range test's suggested peak ${found.suggestedPeak!.toExponential(2)} (--use-suggested-lr).`;
  }
  let peakLearningRate = 0;
  for (let step = 0; step < totalSteps; step++) peakLearningRate = Math.max(peakLearningRate, schedule(step));
  const parameters = initialModelParameters(options.model, options.seed);
  const plan: TrainingPlan = {
    data,
    parameters,
    schedule,
    optimizer: optimizerSettings(options.optimizer),
    epochs: options.epochs,
    batchSize: options.batchSize,
    device: options.device,
  };
  const runs = await prepareRuns(options, plan, describeSchedule(schedule), output);
  // Last, so a refused run leaves no empty output folder behind.
  let outDir: string;
  try {
    outDir = prepareOutDir(outPath);
  } catch (error) {
    await runs.close();
    throw error;
  }
  return { data, schedule, scheduleDescription, parameters, plan, outDir, runs, peakLearningRate };
}

/** What the hooks record while one runtime trains. */
interface RunRecords {
  readonly learningRates: number[];
  readonly losses: number[];
  readonly trainAccuracies: number[];
  readonly testAccuracyByEpoch: number[];
  /** Histograms skipped because of non-finite weights. */
  readonly histogramNotes: Set<string>;
}

/** How one runtime's training ended: its records, its result, or what it threw. */
interface TrainingOutcome {
  readonly records: RunRecords;
  readonly result: TrainingResult | undefined;
  readonly failure: unknown;
  /** Wall-clock seconds of the whole run, hooks and evaluation included. */
  readonly seconds: number;
}

/** Hooks that record every step and epoch, show progress, log weight histograms and poll for Ctrl-C. */
function recordingHooks(
  records: RunRecords,
  plan: TrainingPlan,
  progress: Progress,
  log: RunLog,
  interruption: Interruption,
  start: number,
): TrainingHooks {
  const totalSteps = plan.epochs * plan.data.stepsPerEpoch;
  return {
    onStep: (record) => {
      records.learningRates.push(record.learningRate);
      records.losses.push(record.loss);
      records.trainAccuracies.push(record.accuracy);
      progress.update({
        epoch: record.epoch,
        epochs: plan.epochs,
        step: record.step + 1,
        totalSteps,
        loss: record.loss,
        learningRate: record.learningRate,
        samplesPerSecond: ((record.step + 1) * plan.batchSize) / Math.max(1e-9, secondsSince(start)),
      });
    },
    onEpoch: (record) => {
      records.testAccuracyByEpoch.push(record.testAccuracy);
      // Histograms at the epoch index, like the epoch_* scalars (Keras' TensorBoard callback does the same).
      for (const { tag, values } of record.parameters.tensors) {
        if (values.every(Number.isFinite)) log.histogram(`weights/${tag}`, values, record.epoch);
        else records.histogramNotes.add(`weights/${tag} holds non-finite values; its histogram was skipped.`);
      }
      progress.line(
        `epoch ${record.epoch + 1}/${plan.epochs}: test accuracy ${(record.testAccuracy * 100).toFixed(2)} %`,
      );
    },
    shouldStop: () => interruption.requested,
  };
}

/** Trains with one runner, recording as it goes; a runner that throws ends the run, not the demo. */
async function trainRecorded(
  runner: PreparedRunner,
  plan: TrainingPlan,
  progress: Progress,
  log: RunLog,
  interruption: Interruption,
): Promise<TrainingOutcome> {
  const records: RunRecords = {
    learningRates: [],
    losses: [],
    trainAccuracies: [],
    testAccuracyByEpoch: [],
    histogramNotes: new Set<string>(),
  };
  const start = performance.now();
  let failure: unknown;
  let result: TrainingResult | undefined;
  try {
    result = await runner.train(
      recordingHooks(records, plan, progress, log, interruption, start),
      log.writer,
    );
  } catch (error) {
    failure = error;
  } finally {
    progress.finish();
  }
  return { records, result, failure, seconds: secondsSince(start) };
}

function runReport(runner: PreparedRunner, outcome: TrainingOutcome, tensorboardRun: string): RunReport {
  const { records, result, failure } = outcome;
  return {
    name: runLabel(runner),
    runtime: runner.runtime,
    environment: runner.environment,
    backend: runner.backend,
    device: runner.device,
    adapter: result?.adapter ?? runner.adapter,
    learningRates: records.learningRates,
    losses: records.losses,
    trainAccuracies: records.trainAccuracies,
    testAccuracy: records.testAccuracyByEpoch.at(-1) ?? null,
    testAccuracyByEpoch: records.testAccuracyByEpoch,
    samplesPerSecond: result && result.trainingSeconds > 0 ? result.samples / result.trainingSeconds : 0,
    seconds: outcome.seconds,
    steps: records.learningRates.length,
    completed: result?.completed ?? false,
    tensorboardRun,
    notes: [
      ...runner.notes,
      ...records.histogramNotes,
      ...(failure === undefined
        ? []
        : [`${runLabel(runner)} failed: ${(failure as Error).message ?? String(failure)}`]),
    ],
  };
}

/** The run's hyper-parameters and final metrics for TensorBoard's HParams tab. */
function logHparams(log: RunLog, report: RunReport, setup: Setup, seed: number): void {
  const { plan } = setup;
  log.hparams(
    {
      runtime: report.runtime,
      environment: report.environment,
      backend: report.backend,
      device: report.device,
      adapter: report.adapter,
      model: plan.parameters.model,
      optimizer: plan.optimizer.name,
      batch_size: plan.batchSize,
      epochs: plan.epochs,
      seed,
      peak_learning_rate: setup.peakLearningRate,
    },
    {
      ...(report.testAccuracy === null ? {} : { 'hparams/test_accuracy': report.testAccuracy }),
      ...(report.losses.length === 0 ? {} : { 'hparams/final_loss': report.losses.at(-1)! }),
      'hparams/samples_per_second': report.samplesPerSecond,
    },
  );
}

async function trainOne(
  runner: PreparedRunner,
  setup: Setup,
  options: DemoOptions,
  output: Output,
  interruption: Interruption,
): Promise<RunReport> {
  const { plan, data } = setup;
  const tensorboardRun = join('tensorboard', runFolder(runner));
  const directory = join(setup.outDir, tensorboardRun);
  // Browser runs log in the page; their event files' bytes come back to this folder.
  const log: RunLog = runner.openLog ? runner.openLog(directory) : openRunLog(directory);
  const name = runLabel(runner);
  const progress = new Progress(output, name, plan.epochs * data.stepsPerEpoch);
  for (const note of runner.notes) progress.line(note);
  const outcome = await trainRecorded(runner, plan, progress, log, interruption);
  const report = runReport(runner, outcome, tensorboardRun);
  logHparams(log, report, setup, options.seed);
  await log.close();
  for (const error of log.errors) report.notes.push(`TensorBoard: ${error.message}`);
  const { failure } = outcome;
  if (failure !== undefined && !interruption.requested)
    output.write(`${name} failed: ${(failure as Error).message ?? failure}\n`);
  return report;
}

/** Runs the whole demo. Throws a bad-input error (exit code 2) before training when the input is unusable. */
export async function runDemo(
  options: DemoOptions,
  output: Output,
  interruption: Interruption,
): Promise<DemoResult> {
  const wallStart = performance.now();
  const setup = await setUp(options, output);
  const { data, plan } = setup;
  const { runners, skipped } = setup.runs;
  const totalSteps = plan.epochs * data.stepsPerEpoch;
  output.write(
    `anneal demo: ${plan.parameters.model.toUpperCase()} on ${data.train.count} training / ${data.test.count} test digits (${data.source}); ${plan.epochs} epoch${plan.epochs === 1 ? '' : 's'} × ${data.stepsPerEpoch} steps of ${plan.batchSize}; optimizer ${plan.optimizer.name}; ${runners.length} run${runners.length === 1 ? '' : 's'}; output ${setup.outDir}\n`,
  );
  const runs: RunReport[] = [];
  try {
    for (const runner of runners) {
      if (interruption.requested) break;
      runs.push(await trainOne(runner, setup, options, output, interruption));
    }
  } finally {
    await setup.runs.close();
  }
  const parity = parityOfRuns(runs, setup.schedule);
  const complete =
    !interruption.requested && runs.length === runners.length && runs.every((run) => run.completed);
  const config = describeSchedule(setup.schedule);
  const report: Report = {
    complete,
    interrupted: interruption.requested,
    createdAt: new Date().toISOString(),
    command: process.argv.slice(2),
    data: {
      source: data.source,
      trainSamples: data.train.count,
      testSamples: data.test.count,
      stepsPerEpoch: data.stepsPerEpoch,
    },
    model: setup.parameters.model,
    modelDescription: describeModel(setup.parameters.model),
    epochs: plan.epochs,
    batchSize: plan.batchSize,
    totalSteps,
    seed: options.seed,
    optimizer: plan.optimizer,
    schedule: {
      description: setup.scheduleDescription,
      config: config ?? null,
      peakLearningRate: setup.peakLearningRate,
    },
    runs,
    skipped,
    parity: complete
      ? parity
      : {
          ...parity,
          pass: false,
          reasons: interruption.requested
            ? [...parity.reasons, 'the demo was interrupted before every run finished.']
            : parity.reasons,
        },
    wallSeconds: secondsSince(wallStart),
  };
  writeFileSync(join(setup.outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(setup.outDir, 'report.html'), renderReportHtml(report));
  output.write(formatSummary(report));
  output.write(
    `report: ${join(setup.outDir, 'report.html')}\ntensorboard --logdir ${join(setup.outDir, 'tensorboard')}\n`,
  );
  const exitCode = interruption.requested ? 130 : report.parity.pass ? 0 : 1;
  return { exitCode, report, outDir: setup.outDir };
}
