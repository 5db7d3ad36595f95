import { describe, expect, it } from 'vitest';
import { defaults, parseArgs, UsageError } from '../src/args';

function issuesOf(argv: string[]): readonly string[] {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).issues;
  }
  throw new Error(`parseArgs(${JSON.stringify(argv)}) did not throw`);
}

describe('parseArgs', () => {
  it('uses the documented defaults', () => {
    const options = parseArgs([], {});
    expect(options).toEqual({
      model: 'cnn',
      environments: ['node', 'browser'],
      backends: undefined,
      chromiumPath: '/usr/bin/chromium',
      browserTimeoutMs: 120_000,
      runtimes: ['tfjs', 'onnxruntime'],
      tfjsBackend: 'wasm',
      device: 'cpu',
      optimizer: 'momentum',
      schedulePath: undefined,
      epochs: defaults.epochs,
      batchSize: 8,
      trainSamples: 1600,
      testSamples: 500,
      quick: false,
      seed: 42,
      dataDir: undefined,
      outDir: undefined,
      help: false,
      findLr: false,
      useSuggestedLr: false,
    });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const options = parseArgs([
      '--runtimes',
      'onnxruntime',
      '--tfjs-backend=cpu',
      '--device',
      'gpu',
      '--optimizer=momentum',
      '--schedule',
      'schedule.json',
      '--epochs',
      '3',
      '--batch-size=32',
      '--train-samples',
      '640',
      '--seed=7',
      '--data',
      '/data/mnist',
      '--out',
      'runs/x',
    ]);
    expect(options).toMatchObject({
      runtimes: ['onnxruntime'],
      tfjsBackend: 'cpu',
      device: 'gpu',
      optimizer: 'momentum',
      schedulePath: 'schedule.json',
      epochs: 3,
      batchSize: 32,
      trainSamples: 640,
      seed: 7,
      dataDir: '/data/mnist',
      outDir: 'runs/x',
    });
  });

  it('--quick shortens the run; explicit flags still win', () => {
    expect(parseArgs(['--quick'])).toMatchObject({ quick: true, ...defaults.quick });
    expect(parseArgs(['--quick', '--epochs', '4'])).toMatchObject({
      epochs: 4,
      trainSamples: defaults.quick.trainSamples,
    });
  });

  it('accepts a leading "--" (pnpm passes it through) and keeps the runtime order', () => {
    expect(parseArgs(['--', '--runtimes', 'onnxruntime,tfjs']).runtimes).toEqual(['onnxruntime', 'tfjs']);
  });

  it.each([
    [['--frobnicate'], 'unknown option "--frobnicate" (see --help).'],
    [['train'], 'unexpected argument "train"; options start with "--" (see --help).'],
    [
      ['--runtimes', 'tfjs,pytorch'],
      '--runtimes must list names from tfjs, onnxruntime; received "tfjs,pytorch".',
    ],
    [['--runtimes', 'tfjs,tfjs'], '--runtimes lists a runtime twice; received "tfjs,tfjs".'],
    [['--tfjs-backend', 'webgl'], '--tfjs-backend must be one of wasm, cpu, tensorflow; received "webgl".'],
    [['--device', 'tpu'], '--device must be one of cpu, gpu; received "tpu".'],
    [['--model', 'resnet'], '--model must be one of cnn, mlp; received "resnet".'],
    [['--env', 'cloud'], '--env must list names from node, browser; received "cloud".'],
    [['--env', 'node,node'], '--env lists an environment twice; received "node,node".'],
    [
      ['--backends', 'webgl,tpu'],
      '--backends must list backends (wasm, cpu, tensorflow, cuda, webgl, webgpu) or runs (tfjs/webgl, tfjs/webgpu, onnxruntime/webgpu, onnxruntime/wasm, onnxruntime/cpu, tfjs/wasm, ...); received "webgl,tpu".',
    ],
    [['--browser-timeout', '0'], '--browser-timeout must be an integer >= 1; received "0".'],
    [['--test-samples', 'all'], '--test-samples must be an integer >= 1; received "all".'],
    [['--chromium'], '--chromium needs a value.'],
    [['--optimizer', 'rmsprop'], '--optimizer must be one of sgd, momentum, adam; received "rmsprop".'],
    [['--epochs', '0'], '--epochs must be an integer >= 1; received "0".'],
    [['--epochs', '2.5'], '--epochs must be an integer >= 1; received "2.5".'],
    [['--batch-size', 'big'], '--batch-size must be an integer >= 1; received "big".'],
    [['--train-samples', '-5'], '--train-samples must be an integer >= 1; received "-5".'],
    [['--train-samples', '--quick'], '--train-samples needs a value.'],
    [['--seed', '4294967296'], '--seed must be an integer in [0, 4294967295]; received 4294967296.'],
    [['--out'], '--out needs a value.'],
    [['--schedule='], '--schedule needs a value.'],
    [['--quick=yes'], '--quick takes no value; received "yes".'],
    [['--epochs', '2', '--epochs', '3'], '--epochs was given more than once.'],
    [['--out=a', '--out', 'b'], '--out was given more than once.'],
    [['--epochs', '-3'], '--epochs must be an integer >= 1; received "-3".'],
    [['--seed=-1'], '--seed must be an integer >= 0; received "-1".'],
    [['--batch-size', '-0'], '--batch-size must be an integer >= 1; received "-0".'],
    [['--out', ''], '--out needs a value.'],
    [['--out', '--'], '--out needs a value.'],
    [['--quick='], '--quick takes no value; received "".'],
    [['--bogus=1'], 'unknown option "--bogus" (see --help).'],
    [['--=x'], 'unknown option "--" (see --help).'],
    [['---quick'], 'unknown option "---quick" (see --help).'],
    [['--constructor'], 'unknown option "--constructor" (see --help).'],
    [['-x'], 'unexpected argument "-x"; options start with "--" (see --help).'],
    [['-qh'], 'unexpected argument "-qh"; options start with "--" (see --help).'],
    [['-'], 'unexpected argument "-"; options start with "--" (see --help).'],
    [['-5'], 'unexpected argument "-5"; options start with "--" (see --help).'],
  ])('rejects %j', (argv, message) => {
    expect(issuesOf(argv)).toEqual([message]);
  });

  it('reads the environment and backend flags', () => {
    expect(
      parseArgs([
        '--model=mlp',
        '--env',
        'browser',
        '--backends',
        'webgl, onnxruntime/wasm',
        '--chromium',
        '/opt/chrome',
        '--browser-timeout',
        '30',
        '--test-samples',
        '100',
      ]),
    ).toMatchObject({
      model: 'mlp',
      environments: ['browser'],
      backends: ['webgl', 'onnxruntime/wasm'],
      chromiumPath: '/opt/chrome',
      browserTimeoutMs: 30_000,
      testSamples: 100,
    });
    expect(parseArgs(['--quick'])).toMatchObject({
      batchSize: 4,
      trainSamples: 416,
      testSamples: 200,
      epochs: 1,
    });
  });

  it('takes a value that starts with one "-", or any value after "="', () => {
    expect(parseArgs(['--out', '-dir', '--data=--mnist']).outDir).toBe('-dir');
    expect(parseArgs(['--data=--mnist']).dataDir).toBe('--mnist');
    expect(parseArgs(['--quick', '--quick']).quick).toBe(true);
  });

  it('skips every "--", not only a leading one', () => {
    expect(parseArgs(['--quick', '--', '--seed', '3', '--']).seed).toBe(3);
  });

  it.each([
    [
      ['--out', '--bogus', 'x'],
      [
        '--out needs a value.',
        'unknown option "--bogus" (see --help).',
        'unexpected argument "x"; options start with "--" (see --help).',
      ],
    ],
    [
      ['--epochs', '--', '3'],
      ['--epochs needs a value.', 'unexpected argument "3"; options start with "--" (see --help).'],
    ],
    [
      ['--train-samples', '--quick=1'],
      ['--train-samples needs a value.', '--quick takes no value; received "1".'],
    ],
    [
      ['-a', '-b', '--c'],
      [
        'unexpected argument "-a"; options start with "--" (see --help).',
        'unexpected argument "-b"; options start with "--" (see --help).',
        'unknown option "--c" (see --help).',
      ],
    ],
  ])('reads the argument after a value-less flag as the next option: %j', (argv, issues) => {
    expect(issuesOf(argv)).toEqual(issues);
  });

  it('collects every problem before throwing', () => {
    const issues = issuesOf(['--optimizer', 'lion', '--epochs', 'x', '--bogus']);
    expect(issues).toEqual([
      'unknown option "--bogus" (see --help).',
      '--optimizer must be one of sgd, momentum, adam; received "lion".',
      '--epochs must be an integer >= 1; received "x".',
    ]);
    expect(() => parseArgs(['--optimizer', 'lion', '--epochs', 'x'])).toThrow(/2 problems:\n- --optimizer/);
  });
});

describe('bad-input errors', () => {
  it('are all BadInputError (exit code 2), recognised across module copies by their marker', async () => {
    const { BadInputError } = await import('../src/errors');
    const { DataError } = await import('../src/data');
    const { ScheduleFileError } = await import('../src/schedule');
    const { RuntimeUnavailableError } = await import('../src/runners/types');
    for (const error of [
      new UsageError(['x']),
      new DataError('x'),
      new ScheduleFileError('x'),
      new RuntimeUnavailableError('x'),
      new BadInputError('x'),
    ]) {
      expect(BadInputError.isInstance(error)).toBe(true);
    }
    expect(BadInputError.isInstance(new Error('x'))).toBe(false);
    expect(BadInputError.isInstance({ [Symbol.for('anneal.demo.badInput')]: true })).toBe(true);
    expect(BadInputError.isInstance(null)).toBe(false);
  });

  it('takes Chromium from --chromium, else $ANNEAL_CHROMIUM, else /usr/bin/chromium', () => {
    expect(parseArgs([], { ANNEAL_CHROMIUM: '/opt/chrome/chrome' }).chromiumPath).toBe('/opt/chrome/chrome');
    expect(
      parseArgs(['--chromium', '/opt/other'], { ANNEAL_CHROMIUM: '/opt/chrome/chrome' }).chromiumPath,
    ).toBe('/opt/other');
    expect(parseArgs([], { ANNEAL_CHROMIUM: '' }).chromiumPath).toBe('/usr/bin/chromium');
    expect(parseArgs([], {}).chromiumPath).toBe('/usr/bin/chromium');
  });
});
