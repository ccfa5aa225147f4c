import type { Route } from './router.ts';

/** GET /api/me → { accountId, role, personId, personName, managedAccountId? } of the bearer token. */
export const me: Route = {
  method: 'GET',
  pattern: '/api/me',
  handler: async (request) => ({ status: 200, body: await request.session() }),
};
