import { nanoid } from 'nanoid';
import * as v from 'valibot';
import { graphemeCount, type PublishedComponent } from '../../shared/index.ts';
import { defineRoute, HttpError } from './route.ts';
import { PublishedComponentSchema } from './schemas.ts';

const NAME_MAX = 200;
const NewComponentSchema = v.object({
  name: v.pipe(
    v.string('name must be text'),
    v.trim(),
    v.minLength(1, 'name is required'),
    v.check((name) => graphemeCount(name) <= NAME_MAX, `name can contain up to ${NAME_MAX} characters`),
  ),
  type: v.picklist(['PROCESS', 'API_SERVICE'], "type must be 'PROCESS' or 'API_SERVICE'"),
});

/**
 * POST /api/accounts/:id/components { name, type } → 201 PublishedComponent with versions [1]:
 * what the platform's build step does when a component is first published. Admins only. The catalog
 * is one of the account's records, projected into its document, so every open page shows it at once.
 */
export const components = defineRoute({
  method: 'POST',
  url: '/api/accounts/:id/components',
  summary: 'Publish a new component (version 1)',
  tag: 'Accounts',
  auth: { accountParam: 'id', roles: ['admin'] },
  body: NewComponentSchema,
  invalid: ({ message }) => new HttpError(400, 'INVALID_COMPONENT', message),
  responses: { 201: { description: 'The new component', schema: PublishedComponentSchema } },
  handler: async (request) => {
    const component: PublishedComponent = { id: `cmp_${nanoid(12)}`, name: request.body.name, type: request.body.type, versions: [1] };
    await request.deps.rooms.mutate(request.params.id!, (_doc, _origin, records) => {
      if (records.catalog.has(component.id)) throw new HttpError(409, 'CONFLICT', 'Try again.');
      records.putComponent(component);
    });
    return { status: 201, body: component };
  },
});
