import { packageConfig } from '../../vitest.shared.ts';

export default packageConfig('playground', { testTimeout: 120_000 });
