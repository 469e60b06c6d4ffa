// The tests a mutation run (npm run mutate, stryker.config.mjs) uses: unit tests, the core's fast
// tests that keep secrets in memory, and one 1-second hot-path test that needs the keychain (the
// hot path reads it directly). Left out: the keychain store's own tests, tests of other processes
// (broker-lock, CLI) and the lint rule: slow per run, and they kill no mutant the others miss.
import { defineConfig } from 'vitest/config';

// MUTATE_TESTS=<glob>,<glob> narrows the set for one module's run (docs/MUTATION.md): lock.ts and
// broker.ts are used by every broker test, and the outage and deadline tests wait in real time, so
// each surviving mutant of those would rerun minutes of tests.
const only = process.env.MUTATE_TESTS?.split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: only ?? ['test/unit/**/*.test.ts', 'test/integration/core/broker-policy.test.ts', 'test/integration/core/broker-sessions.test.ts', 'test/integration/core/providers.test.ts', 'test/integration/core/hot-path-refresh.test.ts', 'test/integration/core/broker-outage.test.ts', 'test/integration/core/broker-budget.test.ts', 'test/integration/core/caller-settings.test.ts', 'test/integration/core/broker-clock.test.ts'],
    exclude: [
      'test/unit/core/secrets/keyring-store.test.ts',
      'test/unit/lint/**',
      // Property tests over hostile input: about a minute per run, too slow to repeat per mutant.
      'test/unit/corpus/**',
      // These call process.umask() (the agent server, a file-mode test), which vitest's worker
      // threads, the only pool Stryker's runner uses, refuse. The agent protocol, the one agent
      // module mutated, has its own spec.
      'test/unit/core/agent.test.ts',
      'test/unit/core/agent-*.test.ts',
      'test/unit/core/files/atomic.test.ts',
    ],
    // This one builds the CLI and checks its chunks, which Stryker's instrumentation changes.
    testNamePattern: /^(?!.*the built CLI loads only Node built-ins)/,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
