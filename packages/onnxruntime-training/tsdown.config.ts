import { defineConfig } from 'tsdown';

export default defineConfig({
  // index: Node (onnxruntime-node, files); browser: onnxruntime-web, bytes, no Node built-ins
  entry: ['src/index.ts', 'src/browser.ts'],
  format: 'esm',
  dts: true,
  clean: true,
  platform: 'node',
  // emit dist/index.js + index.d.ts (what package.json's exports name), not .mjs/.d.mts
  fixedExtension: false,
});
