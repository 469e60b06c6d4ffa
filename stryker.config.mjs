// Mutation testing of the core's policy modules (npm run mutate, inside a private keychain: one hot-path
// test reads it; not in CI: it takes a while).
// One module at a time: npx stryker run --mutate src-main/core/broker/session-cache.ts
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  mutate: [
    'src-main/core/broker/**/*.ts',
    'src-main/core/providers/**/*.ts',
    'src-main/core/chain.ts',
    'src-main/core/files/**/*.ts',
    'src-main/core/lock.ts',
    'src-main/core/single-flight.ts',
    'src-main/core/agent/protocol.ts',
    'src-main/cli/hot/**/*.ts',
    // Starting a detached agent is tested by the CLI's process tests only (test/integration/cli).
    '!src-main/cli/hot/autostart.ts',
    // Declarations only.
    '!src-main/core/broker/types.ts',
    '!src-main/core/providers/types.ts',
  ],
  // Build output and scratch dirs (other test runs create and delete files there meanwhile).
  ignorePatterns: ['dist', 'out', '.bench', '.demo', 'reports', '.stryker-tmp*'],
  coverageAnalysis: 'perTest',
  // Two cores, shared with whoever else runs tests.
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  ignoreStatic: true,
  // A mutant that makes a lock or poll wait forever counts as killed (timeout) after this.
  timeoutMS: 3_000,
  thresholds: { high: 90, low: 85, break: null },
};
