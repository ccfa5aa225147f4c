import * as v from 'valibot';
import { defineRoute } from './route.ts';

/** GET /api/accounts/:id/doc-size → { snapshotBytes, logBytes, logCount, loaded }: what the account's document takes in storage. */
export const docSize = defineRoute({
  method: 'GET',
  url: '/api/accounts/:id/doc-size',
  summary: "What the account's document takes in storage",
  tag: 'Accounts',
  auth: { accountParam: 'id', roles: ['admin', 'viewer'] },
  responses: {
    200: {
      description: 'Sizes in bytes',
      schema: v.object({ snapshotBytes: v.number(), logBytes: v.number(), logCount: v.number(), loaded: v.boolean() }),
    },
  },
  handler: async (request) => {
    const accountId = request.params.id!;
    const sizes = await request.deps.store.docs.sizes(accountId);
    return { status: 200, body: { ...sizes, loaded: request.deps.rooms.isLoaded(accountId) } };
  },
});
