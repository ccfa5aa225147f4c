/**
 * The built PWA: files from `staticDir`, index.html for app routes (/packs/abc), `sw.js` and the
 * manifest never cached (so a new version is found), hashed files under /assets cached for good.
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

function send(res: ServerResponse, req: IncomingMessage, status: number, path: string, cache: string): void {
  res.writeHead(status, {
    'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
    'Cache-Control': cache,
    'X-Content-Type-Options': 'nosniff',
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
