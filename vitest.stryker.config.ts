// The tests a mutation run (npm run mutate, stryker.config.mjs) uses: unit tests and the core's
// fast tests that keep secrets in memory. Left out: the OS keychain's own tests, other processes
// (broker-lock, CLI), and the lint rule; they are slow per run and kill no mutant of these modules.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/core/broker-policy.test.ts', 'test/integration/core/providers.test.ts'],
    exclude: ['test/unit/core/secrets/keyring-store.test.ts', 'test/unit/lint/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
