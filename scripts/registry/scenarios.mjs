// The "install only what you need" scenarios of scripts/install-scenarios.json, run against the
// local registry: each installs what its README's `npm install` line names (third-party peers at
// the pinned versions), checks which @anneal packages arrived and the ranges they were published
// with, type-checks and runs the README's TypeScript example (comparing the literal results its
// comments promise), then runs the scenario's own assertions.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  annealPackagesIn,
  checkInstalledRanges,
  codeBlocks,
  installCommand,
  makeConsumer,
  npmInstall,
  promisedOutput,
  runNode,
  runTypeScript,
  typecheck,
  writeIn,
} from './consumers.mjs';
import { run } from './workspace-copy.mjs';

function sameList(received, expected, what) {
  if (JSON.stringify(received) !== JSON.stringify([...expected].sort()))
    throw new Error(
      `${what}: expected @anneal/{${expected.join(',')}}, found @anneal/{${received.join(',')}}`,
    );
}

/** README install specs with third-party packages pinned as the scenario says. */
function pinnedSpecs(specs, pins = {}) {
  return specs.map((spec) => (pins[spec] ? `${spec}@${pins[spec]}` : spec));
}

/** Type-checks and runs the README's first ```ts block; compares the literal output its comments promise. */
function runReadmeExample(dir, root, readme, label) {
  const [block] = codeBlocks(readme, 'ts');
  if (!block) return 'no ts example';
  writeIn(dir, 'readme-example.ts', block);
  typecheck(dir, root);
  const out = runTypeScript(dir, 'readme-example.ts').trim();
  const promised = promisedOutput(block);
  if (promised && JSON.stringify(out.split('\n')) !== JSON.stringify(promised))
    throw new Error(
      `${label}: the README example printed ${JSON.stringify(out)}; its comments promise ${JSON.stringify(promised.join('\n'))}`,
    );
  return promised
    ? `README example ok (printed ${JSON.stringify(out)} as promised)`
    : 'README example type-checked and ran';
}

/** A library scenario: local install, @anneal listing, ranges, README example, own script. */
export function runLibraryScenario(scenario, { root, base, registry, published }) {
  const label = `[${scenario.name}]`;
  const readme = readFileSync(path.join(root, scenario.readme), 'utf8');
  const { specs } = installCommand(readme);
  const dir = makeConsumer(base, scenario.name, registry);
  const installSpecs = pinnedSpecs(specs, scenario.pins);
  npmInstall(dir, installSpecs);
  const nodeModules = path.join(dir, 'node_modules');
  sameList(annealPackagesIn(nodeModules), scenario.anneal, label);
  const installed = checkInstalledRanges(nodeModules, (dep) => `^${published[dep]}`);
  const notes = [runReadmeExample(dir, root, readme, label)];
  if (scenario.script) {
    writeIn(dir, 'scenario.mjs', scenario.script);
    const out = runNode(dir, 'scenario.mjs').trim();
    if (!out.includes(scenario.expect))
      throw new Error(`${label} expected output containing ${scenario.expect}: ${out}`);
    notes.push(out.split('\n').at(-1));
  }
  return { dir, installSpecs, installed, notes };
}

/** The CLI scenario: a global install into a prefix, then the README's own command lines. */
export function runCliScenario(scenario, { root, base, registry, published }) {
  const label = `[${scenario.name}]`;
  const readme = readFileSync(path.join(root, scenario.readme), 'utf8');
  const { specs, global } = installCommand(readme);
  if (!global) throw new Error(`${label} the README should install the CLI globally (npm install -g)`);
  const dir = makeConsumer(base, scenario.name, registry);
  npmInstall(dir, specs, { global: true, registry });
  const globalModules = path.join(dir, 'global', 'lib', 'node_modules');
  sameList(annealPackagesIn(globalModules), scenario.anneal, `${label} global`);
  const nested = path.join(globalModules, '@anneal', 'cli', 'node_modules');
  sameList(annealPackagesIn(nested), scenario.nested, `${label} inside @anneal/cli`);
  const installed = {
    ...checkInstalledRanges(globalModules, (dep) => `^${published[dep]}`),
    ...checkInstalledRanges(nested, (dep) => `^${published[dep]}`),
  };
  const bin = path.join(dir, 'global', 'bin', 'anneal');
  const env = { PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH}` };
  const help = run(bin, ['--help'], { cwd: dir, env, capture: true, timeoutMs: 30_000 });
  if (!/values/.test(help) || !/plot/.test(help))
    throw new Error(`${label} anneal --help lists no commands: ${help}`);
  const [schedule] = codeBlocks(readme, 'json');
  writeIn(dir, 'schedule.json', schedule);
  const lines = codeBlocks(readme, 'sh')
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    // The lines that read the README's own schedule.json (others need the reader's files).
    .filter((line) => line.startsWith('anneal ') && line.split(/\s+/)[2] === 'schedule.json');
  for (const line of lines)
    run(bin, line.split(/\s+/).slice(1), { cwd: dir, env, capture: true, timeoutMs: 30_000 });
  const values = JSON.parse(
    run(bin, ['values', 'schedule.json', '--steps', '0,500,10000'], { cwd: dir, env, capture: true }),
  );
  if (JSON.stringify(values) !== JSON.stringify([0, 0.001, 0]))
    throw new Error(`${label} anneal values printed ${JSON.stringify(values)}; expected [0,0.001,0]`);
  if (!existsSync(path.join(dir, 'schedule.svg')))
    throw new Error(`${label} anneal plot --out wrote no schedule.svg`);
  return {
    dir,
    installSpecs: ['-g', ...specs],
    installed,
    notes: [`anneal --help, ${lines.length} README command lines, anneal values [0, 0.001, 0]`],
  };
}
