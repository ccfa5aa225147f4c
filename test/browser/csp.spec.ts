/**
 * The PWA runs under the Content-Security-Policy its server sends (sync-server/http/static.ts): it
 * loads, signs in, syncs over its WebSocket, and registers its service worker with no violation
 * reported; it cannot be framed by another page.
 */
import { expect, test } from './fixtures.ts';
import { adminToken, signIn } from './page-helpers.ts';

test('the page, its WebSocket and its service worker run under the CSP with no violation; framing is refused', async ({ page, server }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const seen = ((window as unknown as { cspViolations?: string[] }).cspViolations ??= []);
      seen.push(`${event.effectiveDirective} ${event.blockedURI}`);
    });
  });
  const response = await page.goto('/');
  const headers = response!.headers();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');

  await signIn(page, adminToken(server)); // syncs over ws://host/sync: "Saved"
  const registered = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active?.scriptURL ?? '';
  });
  expect(registered).toMatch(/\/sw\.js$/);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Add Integration Pack' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [])).toEqual([]);
  expect(violations).toEqual([]);

  // Another page framing it: the browser refuses (frame-ancestors 'none').
  const framing = await page.context().newPage();
  const refused: string[] = [];
  framing.on('console', (message) => refused.push(message.text()));
  await framing.setContent(`<iframe id="app" src="${server.baseURL}/"></iframe>`);
  await expect.poll(() => refused.some((text) => /frame-ancestors|Refused to (display|frame)/i.test(text))).toBe(true);
});
