import { defineRoute } from './route.ts';
import { SessionSchema } from './schemas.ts';

/** GET /api/me → { accountId, role, personId, personName, managedAccountId? } of the bearer token. */
export const me = defineRoute({
  method: 'GET',
  url: '/api/me',
  summary: 'Who the token belongs to',
  tag: 'Server',
  auth: {},
  responses: { 200: { description: 'The caller', schema: SessionSchema } },
  handler: (request) => ({ status: 200, body: request.session }),
});
