import type { Route } from './router.ts';

/** GET /api/health → { status: 'ok' }: the server is up (no token needed). */
export const health: Route = {
  method: 'GET',
  pattern: '/api/health',
  handler: () => ({ status: 200, body: { status: 'ok' } }),
};
