import { type ParseArgsConfig, parseArgs as parseArgv } from 'node:util';
import { formatValue } from '@anneal/core';
import { BadInputError } from './errors';
import { type ModelName, modelNames } from './models';

/** Command-line parsing for the demo: every problem is collected, then reported at once (exit code 2). */

export const runtimeNames = ['tfjs', 'onnxruntime'] as const;
export type RuntimeName = (typeof runtimeNames)[number];
export const tfjsBackendNames = ['wasm', 'cpu', 'tensorflow'] as const;
export type TfjsBackendName = (typeof tfjsBackendNames)[number];
export const deviceNames = ['cpu', 'gpu'] as const;
export type DeviceName = (typeof deviceNames)[number];
export const environmentNames = ['node', 'browser'] as const;
export type EnvironmentName = (typeof environmentNames)[number];
/**
 * Every run the demo knows, as `<runtime>/<backend>`: in Node the tfjs backend of
 * `--tfjs-backend` and ONNX Runtime's CPU (or CUDA) provider; in Chromium tfjs on WebGL and
 * WebGPU and onnxruntime-web on its WebGPU and wasm providers.
 */
export const browserRunNames = [
  'tfjs/webgl',
  'tfjs/webgpu',
  'onnxruntime/webgpu',
  'onnxruntime/wasm',
] as const;
export type BrowserRunName = (typeof browserRunNames)[number];
/** Names `--backends` accepts: a run (`tfjs/webgl`) or a backend of any runtime (`webgpu`). */
export const backendNames = ['wasm', 'cpu', 'tensorflow', 'cuda', 'webgl', 'webgpu'] as const;
/** Where the demo looks for Chromium unless --chromium or $ANNEAL_CHROMIUM says otherwise. */
export const defaultChromiumPath = '/usr/bin/chromium';
export const optimizerNames = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerName = (typeof optimizerNames)[number];

export interface DemoOptions {
  readonly model: ModelName;
  /** Where runs train: the demo's Node process, a headless Chromium it drives, or both. */
  readonly environments: readonly EnvironmentName[];
  /** Runs to keep, by `<runtime>/<backend>` or backend name; undefined = every run of the environments. */
  readonly backends: readonly string[] | undefined;
  /** The Chromium executable for browser runs. */
  readonly chromiumPath: string;
  readonly runtimes: readonly RuntimeName[];
  readonly tfjsBackend: TfjsBackendName;
  readonly device: DeviceName;
  readonly optimizer: OptimizerName;
  /** A JSON schedule config file (native or reference); undefined = the default warm-up → hold → cosine schedule. */
  readonly schedulePath: string | undefined;
  readonly epochs: number;
  readonly batchSize: number;
  /** Training samples used (whole batches of the shuffled training set); undefined = all. */
  readonly trainSamples: number | undefined;
  /** Test samples evaluated (the first n of the test set); undefined = all. */
  readonly testSamples: number | undefined;
  /** Longest wait for any one browser step, in milliseconds. */
  readonly browserTimeoutMs: number;
  readonly quick: boolean;
  readonly seed: number;
  /** A folder with the standard MNIST IDX files; undefined = the digits shipped in the `mnist` package. */
  readonly dataDir: string | undefined;
  /** Output folder; undefined = runs/<timestamp>. */
  readonly outDir: string | undefined;
  readonly help: boolean;
  /** Run only the learning-rate range test with each runtime (no training). */
  readonly findLr: boolean;
  /** Run the range test first, then train with the schedule scaled to its suggested peak. */
  readonly useSuggestedLr: boolean;
}

/** Defaults of a full run and of `--quick` (explicit flags win over both). */
export const defaults = {
  model: 'cnn',
  environments: environmentNames,
  runtimes: runtimeNames,
  tfjsBackend: 'wasm',
  device: 'cpu',
  optimizer: 'momentum',
  seed: 42,
  /**
   * Sized for the slowest backend, tfjs on WebGPU through SwiftShader (a software GPU, a few
   * steps per second): every run trains the same batches, so every run gets these sizes.
   */
  epochs: 1,
  batchSize: 8,
  trainSamples: 1600,
  testSamples: 500,
  quick: { epochs: 1, batchSize: 4, trainSamples: 416, testSamples: 200 },
  /** Seconds any one browser step (launch, page load, a training step, an evaluation) may take. */
  browserTimeoutSeconds: 120,
} as const;

/** Bad command-line input. `issues` holds one sentence per problem. */
export class UsageError extends BadInputError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(issues.length === 1 ? issues[0]! : `${issues.length} problems:\n- ${issues.join('\n- ')}`);
    this.name = 'UsageError';
    this.issues = issues;
  }
}

export const usage = `Usage: pnpm demo [-- options]   (or pnpm --filter demo start [-- options])

Trains one example model on real MNIST digits with every anneal adapter, in Node and in headless
Chromium (WebGL, WebGPU, wasm), under one learning-rate schedule, then checks that they agree (parity).

Options:
  --model <name>           ${modelNames.join(' | ')} (default: ${defaults.model}: conv 5×5×8, pool, conv 5×5×16, pool, dense 10)
  --env <list>             comma-separated subset of: ${environmentNames.join(', ')} (default: both; browser needs Chromium)
  --backends <list>        keep only these runs: backends (${backendNames.join(', ')}) or runs (${browserRunNames.join(', ')},
                           tfjs/wasm, onnxruntime/cpu, ...) (default: every run of the environments)
  --chromium <path>        Chromium or Chrome executable for the browser runs (default: $ANNEAL_CHROMIUM, else ${defaultChromiumPath})
  --browser-timeout <s>    longest wait for any one browser step: launch, page load, a training step, an evaluation
                           (default: ${defaults.browserTimeoutSeconds}; the first step, which compiles the shaders, gets three times as long)
  --runtimes <list>        Node runs: comma-separated subset of: ${runtimeNames.join(', ')} (default: all)
  --tfjs-backend <name>    Node: ${tfjsBackendNames.join(' | ')} (default: ${defaults.tfjsBackend}; tensorflow needs @tensorflow/tfjs-node)
  --device <name>          Node: ${deviceNames.join(' | ')} (default: cpu; gpu asks for tfjs-node-gpu and ORT's CUDA provider, falls back to CPU)
  --optimizer <name>       ${optimizerNames.join(' | ')} (default: ${defaults.optimizer})
  --schedule <file.json>   any anneal schedule config, native or reference ({"api", "params", "base_lr"})
                           (default: warm-up → hold → cosine to a floor over the whole run)
  --epochs <n>             passes over the training set (default: ${defaults.epochs}; --quick: ${defaults.quick.epochs})
  --batch-size <n>         samples per step (default: ${defaults.batchSize}; --quick: ${defaults.quick.batchSize})
  --train-samples <n>      use the first n samples of the shuffled training set (default: ${defaults.trainSamples}; --quick: ${defaults.quick.trainSamples})
  --test-samples <n>       evaluate the first n test digits (default: ${defaults.testSamples}; --quick: ${defaults.quick.testSamples})
  --seed <n>               seed of the initial weights and of the batch order (default: ${defaults.seed})
  --data <dir>             read the standard MNIST IDX files (train-images-idx3-ubyte, ...; .gz accepted) from dir
  --out <dir>              output folder (default: runs/<timestamp>)
  --quick                  a short run (CI): ${defaults.quick.trainSamples} samples in batches of ${defaults.quick.batchSize}, ${defaults.quick.testSamples} test digits
  --find-lr                run the learning-rate range test with each Node runtime (MLP) instead of training:
                           suggestions, a chart of loss vs learning rate, find-lr.svg/json in the output folder
  --use-suggested-lr       run the range test first, then train with the schedule scaled to its suggested peak
  --help                   print this help

Exit codes: 0 parity holds, 1 parity fails or a run failed, 2 bad input, 130 interrupted (Ctrl-C).
A run whose backend is unavailable here (no Chromium, no WebGPU adapter) is skipped and marked in the report.`;

/** `--backends`: run names (`tfjs/webgl`) or backend names (`webgpu`: every runtime's), checked against the known ones. */
function backendList(value: string | undefined, issues: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((name) => name.trim());
  const known = [
    ...backendNames,
    ...browserRunNames,
    'tfjs/wasm',
    'tfjs/cpu',
    'tfjs/tensorflow',
    'onnxruntime/cpu',
    'onnxruntime/cuda',
  ];
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    issues.push(
      `--backends must list backends (${backendNames.join(', ')}) or runs (${browserRunNames.join(', ')}, onnxruntime/cpu, tfjs/wasm, ...); received ${formatValue(value)}.`,
    );
    return undefined;
  }
  return names;
}

/** The demo's flags as `node:util` `parseArgs` options: `string` flags take a value, `boolean` ones none. */
const flags = {
  model: { type: 'string' },
  env: { type: 'string' },
  backends: { type: 'string' },
  chromium: { type: 'string' },
  'browser-timeout': { type: 'string' },
  'test-samples': { type: 'string' },
  runtimes: { type: 'string' },
  'tfjs-backend': { type: 'string' },
  device: { type: 'string' },
  optimizer: { type: 'string' },
  schedule: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'train-samples': { type: 'string' },
  seed: { type: 'string' },
  data: { type: 'string' },
  out: { type: 'string' },
  quick: { type: 'boolean' },
  help: { type: 'boolean' },
  'find-lr': { type: 'boolean' },
  'use-suggested-lr': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

type Token = NonNullable<ReturnType<typeof parseArgv>['tokens']>[number];
/** A token of the demo's command line: no `--` among them (it is skipped). */
type ArgumentToken = Exclude<Token, { kind: 'option-terminator' }>;

/**
 * `parseArgs` tokens of `argv` from `from` on, with two demo rules on top: every `--` is skipped
 * (pnpm passes it through) instead of ending the options, and a next argument that starts with
 * `--` is another option, not the value (that flag then has no value).
 */
function tokensOf(argv: readonly string[], from = 0): ArgumentToken[] {
  if (from >= argv.length) return [];
  const { tokens } = parseArgv({
    args: argv.slice(from),
    options: flags,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const result: ArgumentToken[] = [];
  for (const token of tokens) {
    const index = token.index + from;
    if (token.kind === 'option-terminator') return [...result, ...tokensOf(argv, index + 1)];
    if (token.kind === 'option' && token.inlineValue === false && token.value.startsWith('--')) {
      const { name, rawName } = token;
      result.push({ kind: 'option', index, name, rawName, value: undefined, inlineValue: undefined });
      return [...result, ...tokensOf(argv, index + 1)];
    }
    result.push({ ...token, index });
  }
  return result;
}

/** The flags given in `argv`: values by name and switches; each problem goes to `issues`, in `argv` order. */
function readFlags(
  argv: readonly string[],
  issues: string[],
): { values: Map<string, string>; switches: Set<string> } {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  let reported = -1;
  for (const token of tokensOf(argv)) {
    const arg = argv[token.index]!;
    if (token.kind === 'positional' || !arg.startsWith('--')) {
      // Bare words, `-x` and `-abc` (one token per letter): each argument is reported once.
      if (token.index !== reported) {
        issues.push(`unexpected argument ${formatValue(arg)}; options start with "--" (see --help).`);
      }
      reported = token.index;
      continue;
    }
    const { name, value } = token;
    const type = Object.hasOwn(flags, name) ? flags[name as keyof typeof flags].type : undefined;
    if (type === 'boolean') {
      if (token.inlineValue) issues.push(`--${name} takes no value; received ${formatValue(value)}.`);
      switches.add(name);
    } else if (type === 'string') {
      if (value === undefined || value === '') issues.push(`--${name} needs a value.`);
      else if (values.has(name)) issues.push(`--${name} was given more than once.`);
      else values.set(name, value);
    } else {
      issues.push(`unknown option ${formatValue(arg.split('=')[0])} (see --help).`);
    }
  }
  return { values, switches };
}

/**
 * Parses argv (without the node and script paths); `env` supplies `ANNEAL_CHROMIUM`, the Chromium
 * the browser tests use too, when `--chromium` is not given. Throws `UsageError` listing every problem.
 */
export function parseArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): DemoOptions {
  const issues: string[] = [];
  const { values, switches } = readFlags(argv, issues);

  const choice = <T extends string>(flag: string, allowed: readonly T[], fallback: T): T => {
    const value = values.get(flag);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    issues.push(`--${flag} must be one of ${allowed.join(', ')}; received ${formatValue(value)}.`);
    return fallback;
  };
  const integer = (flag: string, fallback: number | undefined, min: number): number | undefined => {
    const value = values.get(flag);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min) {
      issues.push(`--${flag} must be an integer >= ${min}; received ${formatValue(value)}.`);
      return fallback;
    }
    return parsed;
  };

  /** A comma-separated flag whose names all come from `allowed`, each at most once. */
  const list = <T extends string>(flag: string, allowed: readonly T[]): T[] | undefined => {
    const value = values.get(flag);
    if (value === undefined) return undefined;
    const names = value.split(',').map((name) => name.trim());
    const noun = flag === 'env' ? 'an environment' : 'a runtime';
    if (names.some((name) => !(allowed as readonly string[]).includes(name))) {
      issues.push(`--${flag} must list names from ${allowed.join(', ')}; received ${formatValue(value)}.`);
    } else if (new Set(names).size !== names.length) {
      issues.push(`--${flag} lists ${noun} twice; received ${formatValue(value)}.`);
    } else {
      return names as T[];
    }
    return undefined;
  };
  const runtimes = list('runtimes', runtimeNames) ?? [...runtimeNames];

  const quick = switches.has('quick');
  const options: DemoOptions = {
    runtimes,
    model: choice('model', modelNames, defaults.model),
    environments: list('env', environmentNames) ?? [...environmentNames],
    backends: backendList(values.get('backends'), issues),
    chromiumPath: values.get('chromium') ?? (env.ANNEAL_CHROMIUM || defaultChromiumPath),
    browserTimeoutMs: integer('browser-timeout', defaults.browserTimeoutSeconds, 1)! * 1000,
    tfjsBackend: choice('tfjs-backend', tfjsBackendNames, defaults.tfjsBackend),
    device: choice('device', deviceNames, defaults.device),
    optimizer: choice('optimizer', optimizerNames, defaults.optimizer),
    schedulePath: values.get('schedule'),
    epochs: integer('epochs', quick ? defaults.quick.epochs : defaults.epochs, 1)!,
    batchSize: integer('batch-size', quick ? defaults.quick.batchSize : defaults.batchSize, 1)!,
    trainSamples: integer('train-samples', quick ? defaults.quick.trainSamples : defaults.trainSamples, 1),
    testSamples: integer('test-samples', quick ? defaults.quick.testSamples : defaults.testSamples, 1),
    quick,
    seed: integer('seed', defaults.seed, 0)!,
    dataDir: values.get('data'),
    outDir: values.get('out'),
    help: switches.has('help'),
    findLr: switches.has('find-lr'),
    useSuggestedLr: switches.has('use-suggested-lr'),
  };
  if (options.findLr && options.useSuggestedLr)
    issues.push(
      '--find-lr (the range test only) and --use-suggested-lr (the range test, then training) exclude each other; give one.',
    );
  if (options.seed > 0xffffffff)
    issues.push(`--seed must be an integer in [0, 4294967295]; received ${options.seed}.`);
  if (issues.length > 0) throw new UsageError(issues);
  return options;
}
