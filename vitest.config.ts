import { defineConfig } from 'vitest/config';

// Tests run without vite-plugin-solid: it adds the `browser` resolve condition, under which `ws`
// loads its browser stub. The UI is tested in Chromium by Playwright (test/browser).
export default defineConfig({
  test: {
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
    ],
  },
});
