/**
 * Which runs the demo makes and getting each ready: the Node runs (tfjs, ONNX Runtime) and the
 * browser runs (tfjs WebGL/WebGPU, onnxruntime-web WebGPU/wasm in headless Chromium). A run
 * whose backend is unavailable here is skipped with one line saying why, never waited on.
 */
import { existsSync } from 'node:fs';
import {
  type BrowserRunName,
  browserRunNames,
  type DemoOptions,
  type EnvironmentName,
  type RuntimeName,
} from './args';
import { type BrowserSession, browserRunner, openBrowserSession, runProblem } from './browser/driver';
import { BadInputError } from './errors';
import { runLabel } from './run-names';
import { prepareOnnxRuntime } from './runners/onnxruntime-node';
import { prepareTfjs } from './runners/tfjs-node';
import type { PreparedRunner, TrainingPlan } from './runners/types';
import type { Output } from './terminal';

/** A run the demo was asked for but could not make here. */
export interface SkippedRun {
  readonly runtime: RuntimeName;
  readonly environment: EnvironmentName;
  readonly backend: string;
  readonly reason: string;
}

export interface PreparedRuns {
  readonly runners: PreparedRunner[];
  readonly skipped: SkippedRun[];
  /** The browser the browser runs use (closed by `close`). */
  readonly session: BrowserSession | undefined;
  close(): Promise<void>;
}

/** Whether `--backends` keeps the run `<runtime>/<backend>` (every run when the flag is absent). */
function kept(options: DemoOptions, runtime: string, backend: string): boolean {
  if (options.backends === undefined) return true;
  return options.backends.includes(`${runtime}/${backend}`) || options.backends.includes(backend);
}

/** The Node runs the options ask for, by `<runtime>/<backend>` (ONNX Runtime: cpu, or cuda with --device gpu). */
function nodeRunNames(options: DemoOptions): { runtime: RuntimeName; backend: string }[] {
  if (!options.environments.includes('node')) return [];
  return options.runtimes
    .map((runtime) => ({
      runtime,
      backend: runtime === 'tfjs' ? options.tfjsBackend : options.device === 'gpu' ? 'cuda' : 'cpu',
    }))
    .filter(({ runtime, backend }) => kept(options, runtime, backend));
}

function browserRuns(options: DemoOptions): BrowserRunName[] {
  if (!options.environments.includes('browser')) return [];
  return browserRunNames.filter((run) => {
    const [runtime, backend] = run.split('/') as [string, string];
    return options.runtimes.includes(runtime as RuntimeName) && kept(options, runtime, backend);
  });
}

/** The GPU device node Chromium would use (NVIDIA or a DRM render node), or undefined without one. */
function gpuDevice(): string | undefined {
  return ['/dev/nvidia0', '/dev/dri/renderD128'].find((path) => existsSync(path));
}

function skip(run: BrowserRunName, reason: string): SkippedRun {
  const [runtime, backend] = run.split('/') as [RuntimeName, string];
  return { runtime, environment: 'browser', backend, reason };
}

/**
 * Prepares every run the options select. Node runtimes that are missing are bad input (exit 2,
 * as before); browser runs that cannot happen here are skipped, each with one line on `output`.
 */
export async function prepareRuns(
  options: DemoOptions,
  plan: TrainingPlan,
  scheduleConfig: unknown,
  output: Output,
): Promise<PreparedRuns> {
  const nodeRuns = nodeRunNames(options);
  const wanted = browserRuns(options);
  if (nodeRuns.length === 0 && wanted.length === 0) {
    throw new BadInputError(
      `no run selected: --env ${options.environments.join(',')} with --backends ${options.backends?.join(',') ?? '(all)'} and --runtimes ${options.runtimes.join(',')} leave nothing to train.`,
    );
  }
  const runners: PreparedRunner[] = [];
  for (const { runtime } of nodeRuns) {
    runners.push(
      runtime === 'tfjs' ? await prepareTfjs(plan, options.tfjsBackend) : await prepareOnnxRuntime(plan),
    );
  }
  const skipped: SkippedRun[] = [];
  let session: BrowserSession | undefined;
  if (wanted.length > 0) {
    try {
      session = await openBrowserSession(plan, scheduleConfig, {
        chromiumPath: options.chromiumPath,
        stepTimeoutMs: options.browserTimeoutMs,
        realGpu: options.device === 'gpu' && gpuDevice() !== undefined,
      });
    } catch (error) {
      const reason = (error as Error).message;
      output.write(`browser runs skipped: ${reason}\n`);
      skipped.push(...wanted.map((run) => skip(run, reason)));
    }
  }
  if (session !== undefined && options.device === 'gpu' && !session.options.realGpu) {
    output.write(
      'browser: --device gpu found no GPU device (/dev/nvidia0, /dev/dri/renderD128); the browser runs use SwiftShader.\n',
    );
  }
  if (session !== undefined) {
    for (const run of wanted) {
      const problem = runProblem(session, run);
      if (problem === undefined) {
        runners.push(browserRunner(session, run, plan));
      } else {
        const skippedRun = skip(run, problem);
        output.write(`${runLabel(skippedRun)} skipped: ${problem}.\n`);
        skipped.push(skippedRun);
      }
    }
  }
  return {
    runners,
    skipped,
    session,
    close: async () => {
      for (const runner of runners) await runner.dispose();
      await session?.close();
    },
  };
}
