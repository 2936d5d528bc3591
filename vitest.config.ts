import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['tests/support/global-setup.ts'],
    // The X-Ray SDK on the Lambda bundles' segment context, as in local runs: local/lambda-aliases.ts.
    setupFiles: ['local/lambda-aliases.ts'],
  },
});
