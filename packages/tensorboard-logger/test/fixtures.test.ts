/**
 * Reads every real event file in ../shared/fixtures/tfevents and checks the tags, steps, values and
 * record counts that SOURCES.md lists for it.
 */

import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvents, readLogdir, readRun, type ScalarPoint } from '../src/index';
import { tfeventsFixtureDir } from './support';

const FIXTURES = tfeventsFixtureDir();

function eventFiles(directory: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(directory).sort()) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) out.push(...eventFiles(path));
    else if (name.includes('tfevents')) out.push(path);
  }
  return out;
}

/** Records per file, as listed in SOURCES.md. */
const RECORD_COUNTS: Record<string, number> = {
  'tf2-keras-callback/run-pid3200/train/events.out.tfevents.1713946869.LAPTOP-T6KSEJC7.3200.0.v2': 16,
  'tf2-keras-callback/run-pid3200/validation/events.out.tfevents.1713946901.LAPTOP-T6KSEJC7.3200.1.v2': 5,
  'tf2-keras-callback/run-pid3312/validation/events.out.tfevents.1713949517.LAPTOP-T6KSEJC7.3312.1.v2': 121,
  'torch-summarywriter/strict-run_1/events.out.tfevents.1622543341.janoshs-mbp.lan.86862.0': 101,
  'torch-summarywriter/duplicate_steps-run_1/events.out.tfevents.1622966509.janoshs-mbp.lan.86059.0': 421,
  'tensorboardx-summarywriter/events.out.tfevents.1661684667.applepie4': 11,
  'python-writer-histo-image/events.out.tfevents.111.simple.localdomain': 4,
  'python-writer-histo-customscalars/events.out.tfevents.111.complex.localdomain': 785,
  'tf1-keras-callback/events.out.tfevents.111.test.localdomain': 31,
  'tf1-filewriter-lingvo/events.out.tfevents.test': 361,
  'tf1-estimator-all-step0/end_to_end.tfevents': 25,
  'lightning-hparams-nan/version_15/events.out.tfevents.1672596134.U-C02ZQ5BKMD6R.24323.0': 55,
  'lightning-hparams-nan/version_15/events.out.tfevents.1672596174.U-C02ZQ5BKMD6R.24323.1': 5,
  'lightning-hparams-only/version_0/events.out.tfevents.1676977004.pop-os.19369.0': 1,
  'lightning-hparams-only/version_1/events.out.tfevents.1676977096.pop-os.19369.1': 5,
  'thirdparty-simplevalue-with-metadata/events.out.tfevents.1687811641.v2': 2,
};

/** Values listed with 7-8 significant digits in SOURCES.md are float32: compare within float32 precision. */
function expectFloat32Close(actual: number, listed: number): void {
  expect(Math.abs(actual - listed)).toBeLessThanOrEqual(Math.abs(listed) * 2 ** -23);
}

const steps = (points: readonly ScalarPoint[] | undefined) => (points ?? []).map((point) => point.step);
const range = (start: number, end: number, by = 1) =>
  Array.from({ length: Math.floor((end - start) / by) + 1 }, (_, i) => start + i * by);

describe('every fixture file', () => {
  const files = eventFiles(FIXTURES);

  it('is listed in SOURCES.md with its record count', () => {
    expect(files.map((file) => relative(FIXTURES, file).split('\\').join('/')).sort()).toEqual(
      Object.keys(RECORD_COUNTS).sort(),
    );
  });

  it.each(files.map((file) => [relative(FIXTURES, file), file]))(
    '%s: every record passes both CRCs, starts with brain.Event:2 and has the listed record count',
    async (name, file) => {
      let count = 0;
      let first: string | undefined;
      let tails = 0;
      for await (const record of readEvents(file, { onTruncatedTail: () => tails++ })) {
        if (count === 0) first = record.event.fileVersion;
        count++;
      }
      expect(tails).toBe(0);
      expect(first).toBe('brain.Event:2');
      expect(count).toBe(RECORD_COUNTS[name.split('\\').join('/')]);
    },
  );
});

describe('tf2-keras-callback (tensor scalars, TF2 histograms)', () => {
  it('run-pid3200/train: epoch_loss, epoch_accuracy, epoch_lr at step 0 and 10 [30,3] histograms', async () => {
    const run = await readRun(join(FIXTURES, 'tf2-keras-callback/run-pid3200/train'));
    expectFloat32Close(run.scalars.epoch_loss![0]!.value, 0.31243908);
    expectFloat32Close(run.scalars.epoch_accuracy![0]!.value, 0.90171665);
    expect(run.scalars.epoch_lr).toEqual([
      { step: 0, wallTime: expect.any(Number), value: 0.0010000000474974513 },
    ]);
    expect(run.metadata.epoch_lr?.pluginName).toBe('scalars');
    const histogramTags = Object.keys(run.histograms);
    expect(histogramTags).toHaveLength(10);
    for (const tag of histogramTags) {
      expect(tag).toMatch(/^.+\/(kernel|bias)_0\/histogram$/);
      expect(run.histograms[tag]).toHaveLength(1);
      expect(run.histograms[tag]![0]!.step).toBe(0);
      expect(run.histograms[tag]![0]!.buckets).toHaveLength(30);
      expect(run.histograms[tag]![0]!.proto).toBeUndefined();
    }
  });

  it('run-pid3200/validation: evaluation_* at step 600 and epoch_* at step 0', async () => {
    const run = await readRun(join(FIXTURES, 'tf2-keras-callback/run-pid3200/validation'));
    expect(steps(run.scalars.evaluation_loss_vs_iterations)).toEqual([600]);
    expect(steps(run.scalars.evaluation_accuracy_vs_iterations)).toEqual([600]);
    expectFloat32Close(run.scalars.epoch_loss![0]!.value, 0.04139528);
    expectFloat32Close(run.scalars.epoch_accuracy![0]!.value, 0.9871);
    expect(steps(run.scalars.epoch_loss)).toEqual([0]);
  });

  it('run-pid3312/validation: 30 epochs of epoch_* (0..29) and evaluation_* (600..18000)', async () => {
    const run = await readRun(join(FIXTURES, 'tf2-keras-callback/run-pid3312/validation'));
    expect(steps(run.scalars.epoch_loss)).toEqual(range(0, 29));
    expect(steps(run.scalars.epoch_accuracy)).toEqual(range(0, 29));
    expect(steps(run.scalars.evaluation_loss_vs_iterations)).toEqual(range(600, 18000, 600));
    expect(steps(run.scalars.evaluation_accuracy_vs_iterations)).toEqual(range(600, 18000, 600));
    expectFloat32Close(run.scalars.epoch_loss![0]!.value, 0.09203948);
  });
});

describe('torch-summarywriter (simple_value)', () => {
  it('strict-run_1: strict/foo ×100 at steps 0,5,…,495, first 1.4962566', async () => {
    const run = await readRun(join(FIXTURES, 'torch-summarywriter/strict-run_1'));
    expect(Object.keys(run.scalars)).toEqual(['strict/foo']);
    expect(steps(run.scalars['strict/foo'])).toEqual(range(0, 495, 5));
    expectFloat32Close(run.scalars['strict/foo']![0]!.value, 1.4962566);
  });

  it('duplicate_steps-run_1: foo and bar ×210, steps 0..99 then 90..199 (duplicates kept in file order)', async () => {
    const run = await readRun(join(FIXTURES, 'torch-summarywriter/duplicate_steps-run_1'));
    for (const tag of ['dup_steps/foo', 'dup_steps/bar']) {
      expect(steps(run.scalars[tag])).toEqual([...range(0, 99), ...range(90, 199)]);
    }
  });
});

describe('tensorboardx-summarywriter', () => {
  it('tag ×10, steps 0..9, value = step', async () => {
    const run = await readRun(join(FIXTURES, 'tensorboardx-summarywriter'));
    expect(run.scalars.tag!.map(({ step, value }) => [step, value])).toEqual(range(0, 9).map((i) => [i, i]));
  });
});

describe('python writer fixtures (wandb)', () => {
  it('histo-image: HistogramProto num 1000, min 48.89, max 54.85, 601 buckets; loss 0.9 at 20000', async () => {
    const run = await readRun(join(FIXTURES, 'python-writer-histo-image'));
    const histogram = run.histograms.histo![0]!;
    expect(histogram.step).toBe(0);
    expect(histogram.proto!.num).toBe(1000);
    expect(histogram.proto!.min).toBeCloseTo(48.89, 2);
    expect(histogram.proto!.max).toBeCloseTo(54.85, 2);
    expect(histogram.proto!.bucketLimits).toHaveLength(601);
    expect(histogram.buckets).toHaveLength(601);
    // Converted like TensorBoard: min/max are the outer edges, counts sum to num.
    expect(histogram.buckets[0]!.left).toBe(histogram.proto!.min);
    expect(histogram.buckets.at(-1)!.right).toBe(histogram.proto!.max);
    expect(histogram.buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(1000);
    expect(run.scalars.loss).toEqual([
      { step: 20000, wallTime: expect.any(Number), value: Math.fround(0.9) },
    ]);
  });

  it('histo-customscalars: 3 histogram tags ×12, 47 scalar tags with the listed series', async () => {
    const run = await readRun(join(FIXTURES, 'python-writer-histo-customscalars'));
    expect(Object.keys(run.histograms).sort()).toEqual([
      'gradient/D/norm/histogram',
      'gradient/netE_img2z_A/norm/histogram',
      'gradient/netG_A/norm/histogram',
    ]);
    for (const series of Object.values(run.histograms)) {
      expect(series).toHaveLength(12);
      expect(series[0]!.step).toBe(0);
      expect(series.at(-1)!.step).toBe(900);
    }
    expect(Object.keys(run.scalars)).toHaveLength(47);
    for (const tag of ['G/loss', 'D/loss']) {
      expect(run.scalars[tag]).toHaveLength(31);
      expect(run.scalars[tag]![0]!.step).toBe(0);
      expect(run.scalars[tag]!.at(-1)!.step).toBe(937);
    }
    expect(run.scalars.dice).toHaveLength(12);
    expect(steps(run.scalars.dice)[11]).toBe(900);
    const fid = Object.keys(run.scalars).filter((tag) => tag.startsWith('FID/'));
    expect(fid.length).toBeGreaterThan(0);
    for (const tag of fid) expect(steps(run.scalars[tag])).toEqual([512, 937]);
    expect(run.metadata.custom_scalars__config__?.pluginName).toBe('custom_scalars');
  });
});

describe('TF1 fixtures', () => {
  it('tf1-keras-callback: epoch_loss/acc/val_loss/val_acc ×7 at steps 0..6, no metadata', async () => {
    const run = await readRun(join(FIXTURES, 'tf1-keras-callback'));
    expect(Object.keys(run.scalars).sort()).toEqual([
      'epoch_acc',
      'epoch_loss',
      'epoch_val_acc',
      'epoch_val_loss',
    ]);
    for (const series of Object.values(run.scalars)) expect(steps(series)).toEqual(range(0, 6));
    expect(Object.keys(run.metadata)).toEqual([]);
  });

  it('tf1-filewriter-lingvo: 7 tags ×360, steps 1500..185200, first bleu 0.11201019', async () => {
    const run = await readRun(join(FIXTURES, 'tf1-filewriter-lingvo'));
    expect(Object.keys(run.scalars).sort()).toEqual([
      'bleu/dev',
      'bleu/split:dev',
      'brevity_penalty/dev',
      'brevity_penalty/split:dev',
      'log_perplexity/dev',
      'log_perplexity/split:dev',
      'runtime/sentence/sec',
    ]);
    for (const series of Object.values(run.scalars)) {
      expect(series).toHaveLength(360);
      expect(series[0]!.step).toBe(1500);
      expect(series.at(-1)!.step).toBe(185200);
    }
    expectFloat32Close(run.scalars['bleu/dev']![0]!.value, 0.11201019);
  });

  it('tf1-estimator-all-step0: 12 profile tags, all 0.0 at step 0, 6 of them written 3 times', async () => {
    const run = await readRun(join(FIXTURES, 'tf1-estimator-all-step0'));
    const tags = Object.keys(run.scalars);
    expect(tags).toHaveLength(12);
    for (const tag of tags) {
      expect(tag).toMatch(/^profile\/.+_(begin|end)$/);
      for (const point of run.scalars[tag]!) expect([point.step, point.value]).toEqual([0, 0]);
    }
    expect(tags.filter((tag) => run.scalars[tag]!.length === 3)).toHaveLength(6);
  });
});

describe('lightning fixtures (hparams)', () => {
  it('lightning-hparams-nan: NaN metrics at steps 1662..8314, RegLoss 0, epoch written twice per step, hparams', async () => {
    const runs = await readLogdir(join(FIXTURES, 'lightning-hparams-nan'));
    const run = runs.version_15!;
    expect(run.files).toHaveLength(2);
    for (const tag of ['MAE', 'RMSE', 'Loss', 'MAE_val', 'RMSE_val', 'Loss_val']) {
      expect(steps(run.scalars[tag])).toEqual([1662, 3325, 4988, 6651, 8314]);
      for (const point of run.scalars[tag]!) expect(point.value).toBeNaN();
    }
    for (const tag of ['RegLoss', 'RegLoss_val'])
      for (const point of run.scalars[tag]!) expect(point.value).toBe(0);
    expect(steps(run.scalars.epoch)).toEqual([1662, 1662, 3325, 3325, 4988, 4988, 6651, 6651, 8314, 8314]);
    expect(run.scalars.hp_metric!.map((point) => point.value)).toEqual([-1, -1]);
    const start = run.hparams!.sessionStartInfo!;
    expect(typeof start.hparams.n_lags).toBe('number');
    expect(typeof start.hparams.config_train).toBe('string');
    expect(run.hparams!.sessionEndInfo!.status).toBe(1);
  });

  it('lightning-hparams-only: version_0 is an empty run; version_1 has 25 typed hparam_infos and hp_metric -1', async () => {
    const runs = await readLogdir(join(FIXTURES, 'lightning-hparams-only'));
    expect(Object.keys(runs).sort()).toEqual(['version_0', 'version_1']);
    expect(Object.keys(runs.version_0!.scalars)).toEqual([]);
    expect(runs.version_0!.hparams).toBeUndefined();
    const run = runs.version_1!;
    const experiment = run.hparams!.experiment!;
    expect(experiment.hparamInfos).toHaveLength(25);
    for (const info of experiment.hparamInfos) expect([1, 3]).toContain(info.type);
    expect(experiment.metricInfos.map((metric) => metric.tag)).toEqual(['hp_metric']);
    expect(run.hparams!.sessionEndInfo!.status).toBe(1);
    expect(run.scalars.hp_metric).toEqual([{ step: 0, wallTime: expect.any(Number), value: -1 }]);
    // Every hparam in the experiment has a value in the session start info, of the declared type.
    for (const info of experiment.hparamInfos) {
      const value = run.hparams!.sessionStartInfo!.hparams[info.name];
      expect(typeof value).toBe(info.type === 3 ? 'number' : 'string');
    }
  });
});

describe('thirdparty-simplevalue-with-metadata', () => {
  it('hello = 1.0 at step 0 (simple_value carrying scalars metadata)', async () => {
    const run = await readRun(join(FIXTURES, 'thirdparty-simplevalue-with-metadata'));
    expect(run.scalars.hello).toEqual([{ step: 0, wallTime: expect.any(Number), value: 1 }]);
    expect(run.metadata.hello?.pluginName).toBe('scalars');
  });
});
