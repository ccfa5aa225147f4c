import type { Route } from './router.ts';

/** GET /api/accounts/:id/doc-size → { snapshotBytes, logBytes, logCount, loaded }: what the account's document takes in storage. */
export const docSize: Route = {
  method: 'GET',
  pattern: '/api/accounts/:id/doc-size',
  handler: async (request) => {
    const accountId = request.params.id!;
    await request.session({ accountId, roles: ['admin', 'viewer'] });
    const sizes = await request.deps.store.docs.sizes(accountId);
    return { status: 200, body: { ...sizes, loaded: request.deps.rooms.isLoaded(accountId) } };
  },
};
