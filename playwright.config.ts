/**
 * Browser tests (test/browser/*.spec.ts) in headless Chromium. Playwright never downloads a browser
 * here: it drives the system's Chromium at CHROME_PATH, else /usr/bin/chromium (Debian's package).
 * Each worker starts our real server on a free port (test/browser/fixtures.ts); `npm test` builds
 * dist/ before this runs.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromePath))
  throw new Error(
    `No Chromium at ${chromePath}. The browser tests drive a system Chromium: install one with ` +
      '`apt-get install chromium` (Debian/Ubuntu), or set CHROME_PATH to a Chromium or Chrome executable.',
  );

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  // 2 cores: a server and a browser per worker.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  globalTimeout: 8 * 60_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: chromePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
