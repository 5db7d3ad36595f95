/**
 * The browser example of docs/adapters/onnxruntime-training.md is examples/browser-training.ts,
 * verbatim: the package's tsc run type-checks that file against the browser entry (and
 * chromium.test.ts trains with the same calls on webgpu and wasm).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

it('the docs show examples/browser-training.ts verbatim under "Training in the browser"', () => {
  const docs = readFileSync(join(packageDir, '../../docs/adapters/onnxruntime-training.md'), 'utf8');
  const section = docs.slice(docs.indexOf('## Training in the browser'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block).toBe(readFileSync(join(packageDir, 'examples/browser-training.ts'), 'utf8'));
});
