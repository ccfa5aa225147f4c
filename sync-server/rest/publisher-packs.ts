/**
 * PublisherIntegrationPack: create, get, update, delete, query, queryMore and bulk. Writes are
 * commands (CREATE_PACK, UPDATE_PACK, DELETE_PACK) on the one command path: the rules of a page's
 * edit, the Idempotency-Key as the command's key, audited in the history.
 */
import * as v from 'valibot';
import type { IntegrationPack } from '../../shared/model.ts';
import { defineRoute, HttpError, type AnyRoute } from '../http/route.ts';
import { packIdFor } from '../commands/create-pack.ts';
import { collectionRoutes, notFound } from './collection.ts';
import { PublisherIntegrationPackCreateSchema, PublisherIntegrationPackSchema, PublisherIntegrationPackUpdateSchema } from './schemas.ts';
import { readPublisherPack, withPublisherPacks } from './state.ts';
import {
  alreadyRun,
  checkIfMatch,
  etagOf,
  idempotencyKeyOf,
  publisherRead,
  publisherWrite,
  REST,
  restInvalid,
  runCommand,
  WriteHeaders,
} from './support.ts';

const OBJECT = 'PublisherIntegrationPack';
const TAG = 'Publisher: integration packs';
const packNotFound = notFound(OBJECT);
const IdParams = v.object({ accountId: v.string(), id: v.string() });

type ComponentsRequest = { PublisherPackagedComponent: { componentId: string; operationType?: 'ADD' | 'DELETE' | undefined }[] };
/** The pack's components afterwards: the list, less those marked DELETE. */
const componentIdsOf = (components: ComponentsRequest) =>
  components.PublisherPackagedComponent.filter((entry) => entry.operationType !== 'DELETE').map((entry) => entry.componentId);

export const DeleteResultSchema = v.object({
  id: v.string(),
  deleted: v.literal(true),
  message: v.pipe(v.string(), v.description('What the delete did (e.g. how many installations it removed).')),
});

async function current(request: { deps: Parameters<typeof readPublisherPack>[0] }, accountId: string, packId: string) {
  const pack = await readPublisherPack(request.deps, accountId, packId);
  if (!pack) throw packNotFound(packId);
  return pack;
}

const create = defineRoute({
  method: 'POST',
  url: `${REST}/${OBJECT}`,
  summary: 'Create a PublisherIntegrationPack',
  description: 'Checked by the same rules as the page. Send an Idempotency-Key to retry safely: a retry is answered with the same pack.',
  tag: TAG,
  auth: publisherWrite,
  headers: WriteHeaders,
  body: PublisherIntegrationPackCreateSchema,
  invalid: restInvalid,
  responses: { 200: { description: 'The new pack', schema: PublisherIntegrationPackSchema } },
  handler: async (request) => {
    const key = idempotencyKeyOf(request.headers);
    const { name, Description, installationType, PublisherPackagedComponents } = request.body;
    await runCommand(request.deps, request.session, key, {
      type: 'CREATE_PACK',
      name,
      installationType,
      ...(Description === undefined ? {} : { description: Description }),
      ...(PublisherPackagedComponents ? { componentIds: componentIdsOf(PublisherPackagedComponents) } : {}),
    });
    const pack = await current(request, request.params.accountId!, packIdFor(key));
    return { status: 200, body: pack, headers: { etag: etagOf(pack) } };
  },
});

const update = defineRoute({
  method: 'POST',
  url: `${REST}/${OBJECT}/:id`,
  summary: 'Update a PublisherIntegrationPack',
  description:
    "Changes what the body names. PublisherPackagedComponents replaces the pack's components (entries marked DELETE are left out). If-Match with the ETag of a GET answers 412 when the pack changed since.",
  tag: TAG,
  auth: publisherWrite,
  params: IdParams,
  headers: WriteHeaders,
  body: PublisherIntegrationPackUpdateSchema,
  invalid: restInvalid,
  responses: { 200: { description: 'The pack as updated', schema: PublisherIntegrationPackSchema } },
  handler: async (request) => {
    const { accountId, id } = request.params;
    const { name, Description, installationType, PublisherPackagedComponents } = request.body;
    if (request.body.id !== undefined && request.body.id !== id)
      throw new HttpError(400, 'INVALID_FIELD', `id (${request.body.id}) is not the id in the path (${id}).`, 'id');
    const key = idempotencyKeyOf(request.headers);
    const command = {
      type: 'UPDATE_PACK' as const,
      packId: id,
      ...(name === undefined ? {} : { name }),
      ...(Description === undefined ? {} : { description: Description }),
      ...(installationType === undefined ? {} : { installationType }),
      ...(PublisherPackagedComponents ? { componentIds: componentIdsOf(PublisherPackagedComponents) } : {}),
    };
    if (!(await alreadyRun(request.deps, request.session, key, command)))
      checkIfMatch(request.headers, await current(request, accountId, id), `Integration pack ${id}`);
    await runCommand(request.deps, request.session, key, command);
    const pack = await current(request, accountId, id);
    return { status: 200, body: pack, headers: { etag: etagOf(pack) } };
  },
});

const remove = defineRoute({
  method: 'DELETE',
  url: `${REST}/${OBJECT}/:id`,
  summary: 'Delete a PublisherIntegrationPack',
  description: 'Uninstalls the pack from every managed account (detaching its Atoms and environments), then deletes it.',
  tag: TAG,
  auth: publisherWrite,
  params: IdParams,
  headers: WriteHeaders,
  invalid: restInvalid,
  responses: { 200: { description: 'Deleted', schema: DeleteResultSchema } },
  handler: async (request) => {
    const { accountId, id } = request.params;
    const key = idempotencyKeyOf(request.headers);
    const command = { type: 'DELETE_PACK' as const, packId: id };
    if (request.headers['if-match'] !== undefined && !(await alreadyRun(request.deps, request.session, key, command)))
      checkIfMatch(request.headers, await current(request, accountId, id), `Integration pack ${id}`);
    const result = await runCommand(request.deps, request.session, key, command);
    return { status: 200, body: { id, deleted: true, message: result.message } };
  },
});

export const publisherPackRoutes: AnyRoute[] = [
  create,
  update,
  remove,
  ...collectionRoutes<IntegrationPack>({
    object: OBJECT,
    tag: TAG,
    auth: publisherRead,
    schema: PublisherIntegrationPackSchema,
    properties: ['name', 'id', 'installationType'],
    view: (request, fn) => withPublisherPacks(request.deps, request.session.accountId, fn),
    propertiesOf: (pack) => ({ id: pack.id, name: pack.name, installationType: pack.installationType }),
    notFound: packNotFound,
  }),
];
