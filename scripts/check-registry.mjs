#!/usr/bin/env node
// The registry round trip (`pnpm check:registry`, run by .ci/run; docs/releasing.md):
//
//  1. start verdaccio on 127.0.0.1 (free port, throwaway storage, no uplinks);
//  2. copy the repository to a temporary folder (fresh git repository, offline install);
//  3. release: version any pending changesets, then `pnpm release` publishes every public
//     package under `latest`; then a changeset on every public package and
//     `pnpm release:snapshot ci` publishes snapshots under `ci`;
//  4. `latest` and `ci` point where they should (npm view ... dist-tags);
//  5. each scenario of install-scenarios.json installs what its README says into a throwaway
//     project outside the workspace, checks which @anneal packages came and their ranges, and
//     type-checks and runs the README example (the CLI installs globally into a prefix);
//  6. a Vite project built from the registry runs a schedule and a tfjs fit in headless Chromium;
//  7. a second snapshot with a changeset on core only (released in the background during 5 and 6,
//     as it only moves the `ci` tag); the first snapshot of @anneal/tfjs then installs with the
//     new core, inside the range it was published with.
//
// Every step has a time limit; the registry is stopped and the temporary folders removed on
// success, failure or interrupt. Prints the time of each step.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBrowserConsumer } from './registry/browser-consumer.mjs';
import { checkInstalledRanges, makeConsumer, npmInstall } from './registry/consumers.mjs';
import { distTags, startRegistry } from './registry/local-registry.mjs';
import { runCliScenario, runLibraryScenario } from './registry/scenarios.mjs';
import {
  copyWorkspace,
  installCopy,
  publicVersions,
  releaseEnv,
  replaceChangesets,
  runScript,
  runScriptInBackground,
  useRegistry,
  versionPending,
} from './registry/workspace-copy.mjs';

const root = path.resolve(import.meta.dirname, '..');
const scenarios = JSON.parse(readFileSync(path.join(root, 'scripts', 'install-scenarios.json'), 'utf8'));
const SNAPSHOT_TAG = 'ci';
const timings = [];
/** The release running in the background, if any: killed before the registry stops. */
let background;

async function step(name, action) {
  const start = performance.now();
  console.error(`\n::: registry round trip: ${name}`);
  const result = await action();
  const seconds = (performance.now() - start) / 1000;
  timings.push([name, seconds]);
  console.error(`    done in ${seconds.toFixed(1)} s`);
  return result;
}

function expectTags(registry, versions, expected) {
  for (const [name, version] of Object.entries(versions)) {
    const tags = distTags(registry.url, name);
    for (const [tag, want] of Object.entries(expected(name, version)))
      if (tags[tag] !== want) throw new Error(`${name}: dist-tag ${tag} is ${tags[tag]}; expected ${want}`);
  }
}

async function releases(copy, registry) {
  const versioned = await step('version pending changesets, pnpm release (latest)', () => {
    const count = versionPending(copy, releaseEnv(registry));
    runScript(copy, registry, 'release');
    return count;
  });
  const stable = publicVersions(copy);
  await step(`changeset on every package, pnpm release:snapshot ${SNAPSHOT_TAG}`, () => {
    replaceChangesets(
      copy,
      'registry-check-all',
      Object.keys(stable),
      'registry check: snapshot of every package',
    );
    runScript(copy, registry, 'release:snapshot', [SNAPSHOT_TAG]);
  });
  const snapshot = Object.fromEntries(
    Object.keys(stable).map((name) => [name, distTags(registry.url, name)[SNAPSHOT_TAG]]),
  );
  expectTags(registry, stable, (name, version) => ({ latest: version, [SNAPSHOT_TAG]: snapshot[name] }));
  // One snapshot version for all (one `changeset version --snapshot`), in changesets' default form.
  const [first] = Object.values(snapshot);
  if (
    !new RegExp(`^0\\.0\\.0-${SNAPSHOT_TAG}-\\d{14}$`).test(first) ||
    Object.values(snapshot).some((version) => version !== first)
  )
    throw new Error(`snapshot versions under ${SNAPSHOT_TAG}: ${JSON.stringify(snapshot)}`);
  return { versioned, stable, snapshot };
}

/**
 * Starts the core-only snapshot release in the background (it only moves the `ci` tag, while the
 * scenarios install `latest`); returns a step that waits for it and then checks that the first
 * snapshot of @anneal/tfjs installs with the new core.
 */
function startSecondSnapshot(copy, registry, base, { stable, snapshot }) {
  replaceChangesets(copy, 'registry-check-core', ['@anneal/core'], 'registry check: a core-only fix');
  const started = performance.now();
  const log = path.join(base, 'second-snapshot.log');
  console.error(
    `\n::: registry round trip: core-only pnpm release:snapshot ${SNAPSHOT_TAG} started in the background (${log})`,
  );
  const release = runScriptInBackground(copy, registry, 'release:snapshot', [SNAPSHOT_TAG], log);
  background = release;
  return async () => {
    await release.done;
    timings.push([
      `changeset on @anneal/core only, pnpm release:snapshot ${SNAPSHOT_TAG} (in the background)`,
      (performance.now() - started) / 1000,
    ]);
    const core = distTags(registry.url, '@anneal/core');
    if (core[SNAPSHOT_TAG] === snapshot['@anneal/core'] || core.latest !== stable['@anneal/core'])
      throw new Error(`@anneal/core dist-tags after the core-only snapshot: ${JSON.stringify(core)}`);
    return step(`@anneal/tfjs@${snapshot['@anneal/tfjs']} picks up core ${core[SNAPSHOT_TAG]}`, () => {
      const dir = makeConsumer(base, 'core-update', registry);
      npmInstall(dir, [`@anneal/tfjs@${snapshot['@anneal/tfjs']}`, '@tensorflow/tfjs@4.22.0']);
      const range = `^${snapshot['@anneal/core']}`;
      const installed = checkInstalledRanges(path.join(dir, 'node_modules'), () => range);
      if (installed['@anneal/core'] !== core[SNAPSHOT_TAG])
        throw new Error(
          `@anneal/tfjs@${snapshot['@anneal/tfjs']} installed core ${installed['@anneal/core']}; expected ${core[SNAPSHOT_TAG]}`,
        );
      return { tfjs: installed['@anneal/tfjs'], core: installed['@anneal/core'], range };
    });
  };
}

async function main() {
  const base = mkdtempSync(path.join(tmpdir(), 'anneal-registry-'));
  let registry;
  const cleanup = async () => {
    background?.kill();
    await registry?.stop();
    rmSync(base, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => cleanup().finally(() => process.exit(130)));
  const total = performance.now();
  try {
    registry = await step('start verdaccio', () => startRegistry(path.join(base, 'registry')));
    console.error(`    registry at ${registry.url}`);
    const copy = path.join(base, 'workspace');
    await step('copy the repository, install offline', () => {
      const files = copyWorkspace(root, copy);
      useRegistry(copy, registry);
      installCopy(copy);
      return files;
    });
    const released = await releases(copy, registry);
    const finishSecondSnapshot = startSecondSnapshot(copy, registry, base, released);
    const results = [];
    for (const scenario of scenarios) {
      // READMEs and @types/node come from the repository itself: the copy is being re-versioned.
      const options = { root, base, registry, published: released.stable };
      const runScenario = scenario.name === 'cli' ? runCliScenario : runLibraryScenario;
      results.push([
        scenario.name,
        await step(`scenario ${scenario.name}`, () => runScenario(scenario, options)),
      ]);
    }
    const browser = await step('browser consumer (Vite build, headless Chromium)', () =>
      runBrowserConsumer({ base, registry, root }),
    );
    const update = await finishSecondSnapshot();
    report(released, results, update, browser, (performance.now() - total) / 1000);
  } finally {
    await cleanup();
  }
}

function report(released, results, update, browser, totalSeconds) {
  console.log('\nregistry round trip passed');
  console.log(`  versioned ${released.versioned} pending changeset(s) in the copy before pnpm release`);
  console.log(
    `  released (latest): ${Object.entries(released.stable)
      .map(([n, v]) => `${n}@${v}`)
      .join(', ')}`,
  );
  console.log(
    `  snapshot (${SNAPSHOT_TAG}): ${Object.entries(released.snapshot)
      .map(([n, v]) => `${n}@${v}`)
      .join(', ')}`,
  );
  for (const [name, result] of results) {
    const installed = Object.entries(result.installed)
      .map(([n, v]) => `${n}@${v}`)
      .join(', ');
    console.log(
      `  [${name}] npm install ${result.installSpecs.join(' ')} -> ${installed}; ${result.notes.join('; ')}`,
    );
  }
  console.log(
    `  core-only snapshot: @anneal/tfjs@${update.tfjs} (core range ${update.range}) installed core ${update.core}`,
  );
  console.log(`  browser: ${browser}`);
  console.log('  timings:');
  for (const [name, seconds] of timings) console.log(`    ${seconds.toFixed(1).padStart(6)} s  ${name}`);
  console.log(`    ${totalSeconds.toFixed(1).padStart(6)} s  total`);
}

await main();
