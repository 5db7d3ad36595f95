import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: { index: 'src/index.ts', reference: 'src/reference/index.ts' },
  format: 'esm',
  dts: true,
  clean: true,
  platform: 'neutral',
  // One output module per source module: with "sideEffects": false, bundlers drop every module a
  // consumer does not import (one chunk would keep each module's top-level constants).
  unbundle: true,
});
