// Writes packages/core/schema.json, the JSON Schema of native schedule configs, from the option
// specs of every registered family. Run: npx tsx --conditions=@anneal/source packages/core/scripts/write-schema.ts
// (or `pnpm --filter @anneal/core schema`). test/schema.test.ts fails when the file is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../src/index';

export const schemaPath = fileURLToPath(new URL('../schema.json', import.meta.url));

export function renderSchema(): string {
  return `${JSON.stringify(configSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(schemaPath, renderSchema());
  console.log(`wrote ${schemaPath}`);
}
