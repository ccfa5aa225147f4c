/** The built app, served by our real server, loads in Chromium and shows its heading. */
import { expect, test } from './fixtures.ts';

test('the built app loads from the server and shows its heading', async ({ page, server }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  expect(page.url()).toContain(server.baseURL);
  await expect(page).toHaveTitle(/Integration Packs/);
  await expect(page.getByRole('heading', { level: 1, name: 'Integration Packs' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the server seeded demo tokens: an admin token of every account', async ({ server }) => {
  const accounts = Object.keys(server.tokens);
  expect(accounts.length).toBeGreaterThan(0);
  for (const accountId of accounts) expect(server.tokens[accountId]!.admin.length).toBeGreaterThan(0);
});
