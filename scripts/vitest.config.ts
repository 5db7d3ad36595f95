import { packageConfig } from '../vitest.shared.ts';

export default packageConfig('scripts', { include: ['*.test.ts'] });
