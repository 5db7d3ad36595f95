import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { kerasCosineDecay, packageRoot, run } from './helpers';

const folder = mkdtempSync(path.join(tmpdir(), 'anneal-input-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  writeFileSync(path.join(folder, name), content);
  return name;
}

const inFolder = { cwd: folder };

// The golden torch StepLR case (step_size 3, gamma 0.5, base_lr 0.1): 0.1, 0.1, 0.1, 0.05, ...
const stepLrYaml = `api: torch.optim.lr_scheduler.StepLR
params:
  step_size: 3
  gamma: 0.5
base_lr: 0.1
`;

describe('JSON and YAML configs', () => {
  it('reads YAML by extension, by content without one, and from stdin', async () => {
    const expected = { code: 0, stdout: '[0.1,0.1,0.1,0.05,0.05]\n', stderr: '' };
    expect(await run(['values', file('steplr.yaml', stepLrYaml), '--steps', '0:4'], inFolder)).toEqual(
      expected,
    );
    expect(await run(['values', file('steplr.yml', stepLrYaml), '--steps', '0:4'], inFolder)).toEqual(
      expected,
    );
    expect(await run(['values', file('steplr', stepLrYaml), '--steps', '0:4'], inFolder)).toEqual(expected);
    expect(await run(['values', '-', '--steps', '0:4'], { stdin: stepLrYaml })).toEqual(expected);
    // A YAML flow mapping is YAML even though it starts like JSON.
    const flow = '{api: torch.optim.lr_scheduler.StepLR, params: {step_size: 3, gamma: 0.5}, base_lr: 0.1}';
    expect(await run(['values', '-', '--steps', '0:4'], { stdin: flow })).toEqual(expected);
  });

  it('validate and plot accept YAML too', async () => {
    const validated = await run(['validate', file('v.yaml', stepLrYaml)], inFolder);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toMatch(/^ok v\.yaml: torch\.optim\.lr_scheduler\.StepLR \(as stepDecay\)/);
    const plotted = await run(['plot', 'v.yaml', '--steps', '0:10'], inFolder);
    expect(plotted.code).toBe(0);
    expect(plotted.stdout).toContain('torch.optim.lr_scheduler.StepLR');
  });

  it.each([
    [
      'bad.yaml',
      'api: x\nparams: [1, 2\nbase_lr: 0.1\n',
      'bad.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    ['dup.yaml', 'api: x\napi: y\n', 'dup.yaml:2:1: invalid YAML: Map keys must be unique'],
    ['multi.yaml', 'a: 1\n---\nb: 2\n', 'multi.yaml:2:1: invalid YAML: Source contains multiple documents'],
    [
      'bad.json',
      '{\n  "api": "x",\n}\n',
      'bad.json:3:1: invalid JSON: expected a double-quoted property name, found "}"',
    ],
    // Without an extension, text that starts like JSON and parses as neither gets JSON's message.
    [
      'bad',
      '{\n  "api": "x",,\n}\n',
      'bad:2:14: invalid JSON: expected a double-quoted property name, found ","',
    ],
  ])('malformed %s: exit 1 with file:line:column', async (name, content, message) => {
    const result = await run(['values', file(name, content), '--steps', '0'], inFolder);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`anneal values: ${message}`);
  });

  it('refuses YAML that expands aliases without bound', async () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 8; level++) {
      const previous = String.fromCharCode(96 + level);
      const current = String.fromCharCode(97 + level);
      laughs.push(`${current}: &${current} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const result = await run(['validate', file('laughs.yaml', `${laughs.join('\n')}\n`)], inFolder);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('laughs.yaml: invalid YAML: Excessive alias count');
  });
});

// A Keras 3 model's config.json as model.to_json() / model.save() write it (a real one:
// diabetes-detection README, Sequential Dense 12-8-1, Adam with a constant learning rate).
const realModelConfig = readFileSync(path.join(packageRoot, 'test/fixtures/keras/config.json'), 'utf8');
const metadata = JSON.stringify({ keras_version: '3.3.3', date_saved: '2024-05-01@12:00:00' });
/** HDF5's signature: the weights entry is never read, only listed. */
const weights = new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

function kerasArchive(config: string, level: 0 | 6 = 6, extra: Record<string, Uint8Array> = {}): Uint8Array {
  return zipSync(
    {
      'metadata.json': strToU8(metadata),
      'config.json': strToU8(config),
      'model.weights.h5': weights,
      ...extra,
    },
    { level },
  );
}

describe('.keras archives', () => {
  it("reads config.json's learning rate from a deflated or stored archive, a file or stdin", async () => {
    // Keras stores the float32 learning rate 0.001 as 0.0010000000474974513.
    const expected = { code: 0, stdout: '[0.0010000000474974513,0.0010000000474974513]\n', stderr: '' };
    expect(
      await run(['values', file('model.keras', kerasArchive(realModelConfig)), '--steps', '0,100'], inFolder),
    ).toEqual(expected);
    expect(
      await run(
        ['values', file('stored.keras', kerasArchive(realModelConfig, 0)), '--steps', '0,100'],
        inFolder,
      ),
    ).toEqual(expected);
    expect(await run(['values', '-', '--steps', '0,100'], { stdin: kerasArchive(realModelConfig) })).toEqual(
      expected,
    );
  });

  it('reads a schedule in the archive and a file over 1 MiB (the weights are never read)', async () => {
    const config = JSON.parse(realModelConfig);
    // keras-cosine of the golden Keras file: CosineDecay(0.1, decay_steps=50) at steps 0, 5, 25, 50.
    config.compile_config.optimizer.config.learning_rate = kerasCosineDecay;
    const big = new Uint8Array(3 * 1024 * 1024).map((_, index) => (index * 2654435761) >>> 24);
    const archive = kerasArchive(JSON.stringify(config), 0, { 'assets/big.bin': big });
    expect(archive.length).toBeGreaterThan(3 * 1024 * 1024);
    const result = await run(['values', file('cosine.keras', archive), '--steps', '0,5,25,50'], inFolder);
    expect(result.stderr).toBe('');
    const values = JSON.parse(result.stdout) as number[];
    const golden = [0.1, 0.09755282581475769, 0.05000000000000001, 0.0];
    for (const [index, value] of values.entries()) {
      expect(Math.abs(value - golden[index]!)).toBeLessThanOrEqual(1e-12 * 0.1);
    }
  });

  it.each([
    [
      'a zip that is not a Keras archive',
      'notes.zip',
      () => zipSync({ 'a.txt': strToU8('hi'), 'b/c.bin': weights }),
      'notes.zip is a zip archive but not a Keras archive: expected config.json and metadata.json at its root (a .keras file as model.save() writes it); found a.txt, b/c.bin',
    ],
    [
      'a .keras file that is not a zip',
      'text.keras',
      () => strToU8('{"not": "a zip"}'),
      'text.keras is not a readable zip archive (no end-of-central-directory record)',
    ],
    [
      'an empty zip',
      'empty.keras',
      () => zipSync({}),
      'empty.keras is a zip archive but not a Keras archive: expected config.json and metadata.json at its root (a .keras file as model.save() writes it); found an empty archive',
    ],
    [
      'a config.json that inflates past 1 MiB',
      'bomb.keras',
      () => kerasArchive(`{"a": "${' '.repeat(2 * 1024 * 1024)}"}`),
      'bomb.keras (config.json) is too large',
    ],
    [
      'a config.json that is not JSON',
      'broken.keras',
      () => kerasArchive('{"module": "keras",\n  oops}'),
      'broken.keras (config.json):2:3: invalid JSON',
    ],
  ])('%s: exit 1 with a clear message', async (_, name, make, message) => {
    const result = await run(['validate', file(name, make())], inFolder);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('a truncated archive is refused, not read past its end', async () => {
    const archive = kerasArchive(realModelConfig);
    const result = await run(
      ['validate', file('cut.keras', archive.subarray(0, archive.length - 30))],
      inFolder,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cut.keras is not a readable zip archive');
  });
});
