/**
 * The training page: runs in headless Chromium, trains one run (tfjs on WebGL or WebGPU, or
 * onnxruntime-web on WebGPU or wasm) with the demo's data, initial weights, batches and schedule,
 * and reports every step to the Node process that drives it. Bundled by esbuild at run time.
 */
import { custom, type Schedule } from '@anneal/core';
import { fromAnyConfig } from '@anneal/core/reference';
import { SummaryWriter } from '@anneal/tensorboard-logger/browser';
import type { PreparedData } from '../data';
import type { ModelParameters } from '../models';
import { runFolder } from '../run-names';
import type { TrainingHooks, TrainingPlan, TrainingResult } from '../runners/types';
import { trainOrtInPage } from './page-onnxruntime';
import { trainTfjsInPage } from './page-tfjs';
import { type PageBridge, type PageConfig, type PageHparams, pageFiles } from './protocol';

declare global {
  interface Window extends PageBridge {
    annealStart(): void;
    annealFinish(hparams: PageHparams): Promise<void>;
  }
}

async function fetchBytes(path: string): Promise<ArrayBuffer> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

function scheduleOf(config: PageConfig): Schedule {
  if (config.scheduleValues !== null) {
    const values = config.scheduleValues;
    return custom((step: number) => values[step] ?? values.at(-1)!, 'demo schedule (values)');
  }
  return fromAnyConfig(config.scheduleConfig as Parameters<typeof fromAnyConfig>[0]);
}

/** Reads the run's configuration and data from the demo's server into a training plan. */
async function loadPlan(config: PageConfig): Promise<TrainingPlan> {
  const [parameters, trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    fetchBytes(pageFiles.parameters),
    fetchBytes(pageFiles.trainImages),
    fetchBytes(pageFiles.trainLabels),
    fetchBytes(pageFiles.testImages),
    fetchBytes(pageFiles.testLabels),
  ]);
  let offset = 0;
  const tensors = config.tensors.map((tensor) => {
    const length = tensor.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(parameters, offset * 4, length);
    offset += length;
    return { ...tensor, values: Float32Array.from(values) };
  });
  const model: ModelParameters = { model: config.model, tensors };
  const data: PreparedData = {
    train: {
      images: new Float32Array(trainImages),
      labels: new Int32Array(trainLabels),
      count: config.trainCount,
      pixels: config.pixels,
    },
    test: {
      images: new Float32Array(testImages),
      labels: new Int32Array(testLabels),
      count: config.testCount,
      pixels: config.pixels,
    },
    stepsPerEpoch: config.stepsPerEpoch,
    source: config.source,
  };
  return {
    data,
    parameters: model,
    schedule: scheduleOf(config),
    optimizer: config.optimizer,
    epochs: config.epochs,
    batchSize: config.batchSize,
    device: 'gpu',
  };
}

/** Hooks that forward every step and epoch to the driver and log the weight histograms. */
function bridgeHooks(writer: SummaryWriter, sent: Promise<void>[]): TrainingHooks {
  return {
    onStep: (record) => {
      sent.push(window.annealStep(record));
    },
    onEpoch: (record) => {
      for (const { tag, values } of record.parameters.tensors) {
        if (values.every(Number.isFinite)) writer.addHistogram(`weights/${tag}`, values, record.epoch);
      }
      sent.push(
        window.annealEpoch({
          epoch: record.epoch,
          steps: record.steps,
          testAccuracy: record.testAccuracy,
          parameters: record.parameters.tensors.map((tensor) => Array.from(tensor.values)),
        }),
      );
    },
    shouldStop: () => false,
  };
}

/** Trains the run the config names and reports the result. */
async function main(): Promise<void> {
  const config = (await (await fetch(pageFiles.config)).json()) as PageConfig;
  const plan = await loadPlan(config);
  // The run is the URL's fragment: `#tfjs/webgl`, `#onnxruntime/wasm`, ...
  const [runtime, backend] = decodeURIComponent(location.hash.slice(1)).split('/') as [string, string];
  // Event files are written here and sent, byte for byte, to <out>/tensorboard/<folder>/ by the driver.
  const writer = new SummaryWriter(runFolder({ runtime, backend, environment: 'browser' }), {
    sink: { write: (path, bytes) => window.annealEventBytes(path, bytes) },
  });
  window.annealFinish = async ({ hparams, metrics }) => {
    writer.addHparams(hparams, metrics);
    await writer.close();
  };
  const sent: Promise<void>[] = [];
  const hooks = bridgeHooks(writer, sent);
  const { result, adapter }: { result: TrainingResult; adapter: string } =
    runtime === 'tfjs'
      ? await trainTfjsInPage(backend, plan, hooks, writer)
      : await trainOrtInPage(backend, plan, hooks, writer);
  await Promise.all(sent);
  await writer.flush();
  await window.annealDone({ ...result, adapter });
}

window.annealStart = () => {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    void window.annealFailed(message);
  });
};
