import { packageConfig } from '../../vitest.shared.ts';

export default packageConfig('chromium-harness', { include: ['test/**/*.test.ts'] });
