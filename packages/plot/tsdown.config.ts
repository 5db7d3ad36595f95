import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  dts: true,
  clean: true,
  // Browser-safe: no Node built-ins anywhere in the package.
  platform: 'neutral',
  // emit dist/index.js + index.d.ts (what package.json's exports name), not .mjs/.d.mts
  fixedExtension: false,
});
