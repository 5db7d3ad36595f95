import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  dts: true,
  clean: true,
  platform: 'neutral', // no node:* imports: the adapter runs wherever tfjs does (browsers included)
});
