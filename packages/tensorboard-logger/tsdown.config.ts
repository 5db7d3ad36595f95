import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts', 'src/browser.ts'],
  format: 'esm',
  dts: true,
  clean: true,
  platform: 'node',
  // emit dist/index.js + index.d.ts (what package.json's exports name), not .mjs/.d.mts
  fixedExtension: false,
});
