import { packageConfig } from '../../vitest.shared.ts';

export default packageConfig('demo', { testTimeout: 120_000 });
