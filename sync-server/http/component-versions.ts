import { nextVersionNumber, type PublishedComponent } from '../../shared/index.ts';
import { defineRoute, HttpError } from './route.ts';
import { PublishedComponentSchema } from './schemas.ts';

/**
 * POST /api/accounts/:id/components/:cid/versions (no body needed) → 200 PublishedComponent with the
 * next version number appended. Admins only. 404 for a component not published in the account.
 */
export const componentVersions = defineRoute({
  method: 'POST',
  url: '/api/accounts/:id/components/:cid/versions',
  summary: 'Publish the next version of a component',
  tag: 'Accounts',
  auth: { accountParam: 'id', roles: ['admin'] },
  responses: { 200: { description: 'The component with its new version', schema: PublishedComponentSchema } },
  handler: async (request) => {
    const accountId = request.params.id!;
    const componentId = request.params.cid!;
    const updated = await request.deps.rooms.mutate(accountId, (_doc, _origin, records) => {
      const current = records.catalog.get(componentId);
      if (!current) return undefined;
      const next: PublishedComponent = { ...current, versions: [...current.versions, nextVersionNumber(current)] };
      records.putComponent(next);
      return next;
    });
    if (!updated) throw new HttpError(404, 'COMPONENT_NOT_FOUND', `No published component ${componentId} in account ${accountId}.`);
    return { status: 200, body: updated };
  },
});
