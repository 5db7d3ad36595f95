import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: 'esm',
  dts: true,
  clean: true,
  platform: 'node',
  // package.json names dist/bin.js and dist/index.js (type: module), not .mjs.
  fixedExtension: false,
});
