/**
 * @anneal/core in Chromium: `@anneal/core` and `@anneal/core/reference` bundle for the browser
 * with no Node built-in (one would fail the build), and in the page a native config, reference
 * configs and `importSchedule` on a timm args.yaml and a transformers TrainingArguments (parsed
 * here with `yaml`, as the CLI parses them) give the reference libraries' golden values.
 */
import { fileURLToPath } from 'node:url';
import {
  bundlePage,
  nodeBuiltinInputs,
  type OpenedPage,
  openModulePage,
  withTimeout,
} from '@anneal/chromium-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGolden } from '../src/reference/golden.test-utils';
import { expectValues, fixture, type GoldenCase, golden } from '../src/reference/import/import.test-utils';
import type { CorePage } from './browser-page';

const STEP_MS = 30_000;

let served: OpenedPage;
let inputs: string[];
let builtins: string[];

/** Runs `annealCorePage[method](...args)` in the page, at most STEP_MS. */
function call<M extends keyof CorePage>(
  method: M,
  ...args: Parameters<CorePage[M]>
): Promise<ReturnType<CorePage[M]>> {
  return withTimeout(
    served.page.evaluate(
      ([name, rest]) => (globalThis.annealCorePage[name] as (...a: unknown[]) => unknown)(...rest),
      [method, args] as const,
    ) as Promise<ReturnType<CorePage[M]>>,
    STEP_MS,
    `annealCorePage.${method}`,
  );
}

/** A golden case of ../shared/golden/<file> by id, with its expected values split off. */
function referenceCase(file: string, id: string) {
  const found = readGolden<{ cases: (GoldenCase & Record<string, unknown>)[] }>(file).cases.find(
    (entry) => entry.id === id,
  );
  if (!found) throw new Error(`golden case ${file}/${id} not found`);
  const { lr, lr_float32: _float32, closed_form_lr: _closedForm, ...input } = found;
  return { input, lr };
}

const steps = (expected: GoldenCase) => expected.steps.map((step) => step ?? 0);

beforeAll(async () => {
  const bundle = await bundlePage(fileURLToPath(new URL('./browser-page.ts', import.meta.url)));
  inputs = Object.keys(bundle.metafile.inputs);
  builtins = nodeBuiltinInputs(bundle.metafile);
  served = await openModulePage(bundle.code, { stepMs: STEP_MS, ready: 'annealCorePage' });
}, 60_000);

afterAll(async () => {
  await served?.close();
});

describe('@anneal/core in Chromium', () => {
  it('bundles both entry points for the browser with no Node built-in among the inputs', () => {
    expect(builtins).toEqual([]);
    expect(inputs.some((input) => input.endsWith('packages/core/src/index.ts'))).toBe(true);
    expect(inputs.some((input) => input.endsWith('packages/core/src/reference/index.ts'))).toBe(true);
    expect(inputs.some((input) => input.includes('packages/core/src/reference/import/'))).toBe(true);
  });

  it('a native warmupCosineDecay config gives optax warmup_cosine_decay_schedule (golden optax-warmup-cosine)', async () => {
    // optax(init_value 0, peak_value 0.1, warmup_steps 10, decay_steps 50): decay_steps is the whole run
    const expected = golden('optax', 'optax-warmup-cosine');
    const config = {
      type: 'warmupCosineDecay',
      initialValue: 0,
      peakValue: 0.1,
      warmupSteps: 10,
      totalSteps: 50,
    };
    expectValues(await call('nativeValues', config, steps(expected)), expected.lr, expected.id);
    expect(served.errors).toEqual([]);
  });

  it.each([
    ['pytorch.json', 'torch-onecycle-cos'],
    ['pytorch.json', 'torch-cawr-frac-t4-m2'],
    ['pytorch.json', 'torch-plateau-min-rel'],
    ['keras.json', 'keras-cosine-warmup'],
    ['optax.json', 'optax-join-linear-cosine-constant'],
    ['timm.json', 'timm-cosine-warmup'],
    ['transformers.json', 'hf-cosine-w10-t50-c0.5'],
  ])('reference config %s %s gives the library’s values', async (file, id) => {
    const { input, lr } = referenceCase(file, id);
    expectValues(await call('referenceValues', input as never), lr, id);
    expect(served.errors).toEqual([]);
  });

  it("importSchedule on timm's args.yaml, parsed in Node, gives timm's values (golden timm-cosine-warmup)", async () => {
    const expected = golden('timm', 'timm-cosine-warmup');
    const imported = await call('importValues', fixture('timm-args.yaml'), {}, steps(expected));
    expect(imported).toMatchObject({ format: 'timm-args', kind: 'schedule', stepUnit: 'epoch' });
    expectValues(imported.values, expected.lr, expected.id);
  });

  it("importSchedule on transformers' TrainingArguments with the dataloader length gives Trainer's values (golden hf-cosine-w5-t45-c1.5)", async () => {
    // 30 batches per epoch, gradient_accumulation_steps 2, 3 epochs: 45 updates, ceil(45 × 0.1) = 5 warm-up
    const expected = golden('transformers', 'hf-cosine-w5-t45-c1.5');
    const imported = await call(
      'importValues',
      fixture('hf-training-args.json'),
      { stepsPerEpoch: 30 },
      steps(expected),
    );
    expect(imported).toMatchObject({ format: 'hf-training-arguments', kind: 'schedule', stepUnit: 'update' });
    expectValues(imported.values, expected.lr, expected.id);
    expect(served.errors).toEqual([]);
  });

  it('bad input in the page is the same typed error, naming the field, the expected and the received value', async () => {
    const failure = await call('importFailure', { ...fixture('timm-args.yaml'), sched: 'wsd' });
    expect(failure).toEqual({
      name: 'ScheduleConfigError',
      typed: true,
      message:
        'importSchedule (timm args.yaml): sched "wsd" is not one that timm\'s create_scheduler_v2 builds here: expected one of cosine, tanh, step, multistep, plateau, poly; received "wsd".',
    });
  });
});
