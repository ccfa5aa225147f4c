/**
 * The built PWA: files from `staticDir`, index.html for app routes (/packs/abc), `sw.js` and the
 * manifest never cached (so a new version is found), hashed files under /assets cached for good.
 * Every file carries the security headers (`securityHeaders`): a Content-Security-Policy the PWA
 * runs under (its own scripts, styles, workers and manifest only; no inline script; no framing;
 * connections to its own origin and WebSocket), nosniff, no referrer.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

const NO_CACHE = new Set(['/sw.js', '/manifest.webmanifest', '/registerSW.js', '/index.html']);

function cacheControl(pathname: string): string {
  if (NO_CACHE.has(pathname) || pathname.endsWith('.html')) return 'no-cache';
  if (pathname.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  return 'public, max-age=3600';
}

async function fileAt(root: string, pathname: string): Promise<string | undefined> {
  const path = normalize(join(root, pathname));
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  try {
    return (await stat(path)).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

/** A Host header we may echo into the policy (name or address, optional port). */
const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * The policy for the page and its service worker. `connect-src 'self'` covers the page's own
 * origin; the WebSocket origins of the requested host are named too, for browsers that do not let
 * 'self' match ws:/wss: (the sync socket is on the same host and port as the page).
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(host: string | undefined): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(host),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // For browsers that predate frame-ancestors.
    'X-Frame-Options': 'DENY',
  };
}

function send(res: ServerResponse, req: IncomingMessage, status: number, path: string, cache: string): void {
  res.writeHead(status, {
    'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
    'Cache-Control': cache,
    ...securityHeaders(req.headers.host),
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** Serves a GET/HEAD for a non-API path; returns false when it did not answer. */
export function createStaticHandler(staticDir: string | undefined) {
  const root = staticDir && resolve(staticDir);
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (!root) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    const file = decoded.endsWith('/') ? undefined : await fileAt(root, decoded);
    if (file) return (send(res, req, 200, file, cacheControl(decoded)), true);
    // App routes (no file extension) get the shell; a missing asset is a 404.
    if (extname(decoded) !== '') return false;
    const index = await fileAt(root, '/index.html');
    if (!index) return false;
    send(res, req, 200, index, 'no-cache');
    return true;
  };
}
