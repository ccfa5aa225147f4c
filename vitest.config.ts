import { defineConfig } from 'vitest/config';

// Tests run without vite-plugin-solid: it adds the `browser` resolve condition, under which `ws`
// loads its browser stub. The UI is tested in Chromium by Playwright (test/browser).
/** The server tests that build on startTestServer (the others pass their own store or spawn processes). */
const CLUSTER_TARGET_FILES = ['sync', 'rules', 'hostile', 'http', 'commands', 'merges'].map((name) => `test/server/${name}.test.ts`);

export default defineConfig({
  test: {
    // One PostgreSQL server per run (test/support/postgres-global-setup.ts); each file makes its own database.
    globalSetup: ['test/support/postgres-global-setup.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['shared/**/*.test.ts', 'sync-server/**/*.test.ts', 'client/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'test/browser/**'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        // The cross-module server tests again, against three instances on PostgreSQL (test/support/cluster-target.ts).
        test: {
          name: 'cluster',
          environment: 'node',
          include: CLUSTER_TARGET_FILES,
          env: { IPACK_TEST_TARGET: 'cluster' },
          // The first test of a file also starts its two relay processes (slow on a loaded machine).
          testTimeout: 150_000,
          hookTimeout: 150_000,
        },
      },
    ],
  },
});
