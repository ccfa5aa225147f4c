/**
 * Browser tests (test/browser/*.spec.ts) in headless Chromium. Playwright never downloads a browser
 * here: it drives the system's Chromium at CHROME_PATH, else /usr/bin/chromium (Debian's package).
 * Each worker starts our real server on a free port (test/browser/fixtures.ts); `npm test` builds
 * dist/ before this runs.
 *
 * Two projects: 'desktop' (1280×800) runs every spec; 'phone' (375×812, touch, mobile viewport)
 * reruns the specs listed in PHONE_SPECS, whose tests take their size from the project. Specs that
 * loop over VIEWPORTS themselves (admin-helpers.ts), phone-only specs and the extension's specs are
 * not listed. A new spec either loops over VIEWPORTS or, written for the project's size, joins PHONE_SPECS.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/** Specs written for whatever size their project gives them, rerun on a phone. */
const PHONE_SPECS = [
  'collab.spec.ts',
  'csp.spec.ts',
  'odd-pack-ids.spec.ts',
  'offline.spec.ts',
  'page.spec.ts',
  'paging.spec.ts',
  'releases.spec.ts',
  'smoke.spec.ts',
].map((file) => `**/${file}`);

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
  // ~7 min on 2 workers for the desktop project, ~3 more for the phone reruns.
  globalTimeout: 16 * 60_000,
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
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
    { name: 'phone', testMatch: PHONE_SPECS, use: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } },
  ],
});
