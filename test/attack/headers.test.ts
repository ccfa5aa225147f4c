/**
 * The page had no CSP. Everything the server serves from the built PWA carries a
 * Content-Security-Policy (no inline script, frame-ancestors 'none', connections to its own origin
 * and WebSocket), X-Content-Type-Options and a Referrer-Policy. (test/browser/csp.spec.ts shows the
 * PWA, its WebSocket and its service worker work under it in Chromium.)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { contentSecurityPolicy } from '../../sync-server/http/static.ts';
import { startTestServer, tempDir, type TestServer } from '../server/helpers.ts';

let t: TestServer;
let staticDir: string;
beforeAll(async () => {
  staticDir = tempDir('ip-static-');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(staticDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(staticDir, 'assets', 'app-1.js'), 'export {};');
  t = await startTestServer({ staticDir });
});
afterAll(async () => {
  await t.close();
  rmSync(staticDir, { recursive: true, force: true });
});

function get(path: string, host?: string): Promise<Record<string, string | string[] | undefined>> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: t.server.port, path, headers: host ? { Host: host } : {} }, (res) => {
      res.resume();
      resolve(res.headers);
    });
    req.on('error', reject);
    req.end();
  });
}

test.each(['/', '/packs/abc', '/sw.js', '/assets/app-1.js', '/index.html'])('%s carries the security headers', async (path) => {
  const headers = await get(path);
  const csp = String(headers['content-security-policy']);
  for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"])
    expect(csp).toContain(directive);
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${t.server.port} wss://127.0.0.1:${t.server.port}`);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');
});

test('a Host header that is not a host name is not echoed into the policy', () => {
  expect(contentSecurityPolicy("evil.test; script-src 'unsafe-inline'")).toContain("connect-src 'self';");
  expect(contentSecurityPolicy('[::1]:8080')).toContain('ws://[::1]:8080');
});
