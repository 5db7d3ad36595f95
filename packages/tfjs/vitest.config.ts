import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import { packageConfig } from '../../vitest.shared.ts';

// Docs examples import `@tensorflow/tfjs` as users do; here that name is the parts the package installs.
const bundle = fileURLToPath(new URL('./test/tfjs-bundle.ts', import.meta.url));

export default mergeConfig(packageConfig('tfjs', { include: ['src/**/*.test.ts', 'test/**/*.test.ts'] }), {
  resolve: { alias: { '@tensorflow/tfjs': bundle } },
});
