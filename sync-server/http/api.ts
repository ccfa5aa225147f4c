/**
 * Answers requests under /api: CORS (bearer tokens, no cookies, so any origin may call), routing,
 * authentication on demand, JSON replies and `{ error: { code, message } }` for every failure.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, decideAccess, tokenFromRequest } from '../auth.ts';
import type { Role } from '../storage/types.ts';
import { readJsonBody } from './body.ts';
import { createRouter, HttpError, type ApiDeps, type ApiRequest, type Route } from './router.ts';

const ALL_ROLES: readonly Role[] = ['admin', 'viewer', 'managed'];

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
};

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...CORS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function createApiHandler(routes: readonly Route[], deps: ApiDeps) {
  const router = createRouter(routes);
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    try {
      if (method === 'OPTIONS') return void res.writeHead(204, CORS).end();
      const { route, params } = router.match(method, url.pathname);
      const request: ApiRequest = {
        req,
        url,
        params,
        deps,
        json: () => readJsonBody(req, deps.limits.maxHttpBodyBytes),
        session: async ({ accountId, roles = ALL_ROLES } = {}) => {
          const session = await authenticate(deps.store.accounts, tokenFromRequest(req, url, { allowQuery: false }));
          const decision = decideAccess(session, accountId, roles);
          if (!decision.ok) throw new HttpError(decision.status, decision.code, decision.message);
          return decision.session;
        },
      };
      const result = await route.handler(request);
      reply(res, result.status, result.body, result.headers);
    } catch (error) {
      if (error instanceof HttpError) return reply(res, error.status, { error: { code: error.code, message: error.message } });
      deps.log.error(`${method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent)
        reply(res, 500, {
          error: {
            code: 'INTERNAL',
            message: 'The server failed to answer; nothing was changed by this request unless it says otherwise.',
          },
        });
      else res.destroy();
    }
  };
}
