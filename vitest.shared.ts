// Shared vitest settings: every package resolves sibling workspace packages to their
// TypeScript sources through the "@anneal/source" export condition, so tests never need a build.
import { defineConfig } from 'vitest/config';

export function packageConfig(name: string, extra: { testTimeout?: number; include?: string[] } = {}) {
  return defineConfig({
    resolve: { conditions: ['@anneal/source', 'module', 'node', 'import', 'default'] },
    ssr: { resolve: { conditions: ['@anneal/source', 'module', 'node', 'import', 'default'] } },
    test: {
      name,
      include: extra.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: extra.testTimeout ?? 30_000,
      environment: 'node',
    },
  });
}
