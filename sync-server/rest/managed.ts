/**
 * What a managed account uses (its own token, or an admin of the publisher naming it in the path):
 * IntegrationPack (the packs it may install), IntegrationPackInstance (install, uninstall) and the
 * Environment and Atom attachments of its installations. Writes are the INSTALL, UNINSTALL, ATTACH_*
 * and DETACH_* commands on the one command path.
 */
import * as v from 'valibot';
import type { IntegrationPack, PackInstance } from '../../shared/model.ts';
import { defineRoute, HttpError, type AnyRoute, type RouteRequest } from '../http/route.ts';
import type { Session } from '../auth.ts';
import { collectionRoutes, notFound } from './collection.ts';
import { attachmentSchemas, IntegrationPackInstanceCreateSchema, IntegrationPackInstanceSchema, IntegrationPackSchema } from './schemas.ts';
import { withManagedScope } from './state.ts';
import { idempotencyKeyOf, managedAccess, REST, restInvalid, runCommand, WriteHeaders } from './support.ts';

const TAG = 'Managed accounts';
const IdParams = v.object({ accountId: v.string(), id: v.string() });
type Scoped = Pick<RouteRequest<unknown, unknown, unknown, unknown, object>, 'deps'> & { session: Session; params: unknown };

const scope = <R>(request: Scoped, fn: Parameters<typeof withManagedScope<R>>[3]) =>
  withManagedScope(request.deps, request.session.accountId, (request.params as { accountId: string }).accountId, fn);

const packJson = (pack: IntegrationPack) => ({
  '@type': 'IntegrationPack',
  id: pack.id,
  name: pack.name,
  Description: pack.description,
  installationType: pack.installationType,
});

const instanceJson = (instance: PackInstance) => ({
  '@type': 'IntegrationPackInstance',
  id: instance.id,
  integrationPackId: instance.packId,
  ...(instance.overrideName === undefined ? {} : { integrationPackOverrideName: instance.overrideName }),
});

const INSTANCE = 'IntegrationPackInstance';
const instanceNotFound = notFound(INSTANCE);

const install = defineRoute({
  method: 'POST',
  url: `${REST}/${INSTANCE}`,
  summary: 'Install an integration pack in the managed account',
  description: 'A MULTI pack needs integrationPackOverrideName, unique among its installations in the account.',
  tag: TAG,
  auth: managedAccess,
  headers: WriteHeaders,
  body: IntegrationPackInstanceCreateSchema,
  invalid: restInvalid,
  responses: { 200: { description: 'The installation', schema: IntegrationPackInstanceSchema } },
  handler: async (request) => {
    const managedAccountId = request.params.accountId!;
    await scope(request, () => undefined);
    const result = await runCommand(request.deps, request.session, idempotencyKeyOf(request.headers), {
      type: 'INSTALL',
      packId: request.body.integrationPackId,
      managedAccountId,
      ...(request.body.integrationPackOverrideName === undefined
        ? {}
        : { integrationPackOverrideName: request.body.integrationPackOverrideName }),
    });
    const instance = await scope(request, ({ instances }) => instances.find((candidate) => candidate.id === result.instanceId));
    if (!instance) throw instanceNotFound(result.instanceId ?? '');
    return { status: 200, body: instanceJson(instance) };
  },
});

const uninstall = defineRoute({
  method: 'DELETE',
  url: `${REST}/${INSTANCE}/:id`,
  summary: 'Uninstall (its Atom and environment attachments go with it)',
  tag: TAG,
  auth: managedAccess,
  params: IdParams,
  headers: WriteHeaders,
  invalid: restInvalid,
  responses: { 200: { description: 'Uninstalled', schema: v.object({ id: v.string(), deleted: v.literal(true), message: v.string() }) } },
  handler: async (request) => {
    const { id } = request.params;
    const mine = await scope(request, ({ instances }) => instances.some((instance) => instance.id === id));
    if (!mine) throw instanceNotFound(id);
    const result = await runCommand(request.deps, request.session, idempotencyKeyOf(request.headers), {
      type: 'UNINSTALL',
      instanceId: id,
    });
    return { status: 200, body: { id, deleted: true, message: result.message } };
  },
});

/** An attachment's id: its installation and its Atom or environment, in one opaque token. */
const attachmentId = (instanceId: string, targetId: string) => Buffer.from(JSON.stringify([instanceId, targetId])).toString('base64url');
function parseAttachmentId(id: string): [string, string] | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
    return Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === 'string')
      ? (parsed as [string, string])
      : undefined;
  } catch {
    return undefined;
  }
}

interface Attachment {
  id: string;
  integrationPackInstanceId: string;
  targetId: string;
}

function attachmentRoutes(kind: 'environment' | 'atom'): AnyRoute[] {
  const object = kind === 'atom' ? 'IntegrationPackAtomAttachment' : 'IntegrationPackEnvironmentAttachment';
  const target = kind === 'atom' ? 'atomId' : 'environmentId';
  const schemas = attachmentSchemas(target, object);
  const attachmentNotFound = notFound(object);
  const json = (attachment: Attachment) => ({
    '@type': object,
    id: attachment.id,
    integrationPackInstanceId: attachment.integrationPackInstanceId,
    [target]: attachment.targetId,
  });
  const attachmentsOf = (instances: readonly PackInstance[]): Attachment[] =>
    instances.flatMap((instance) =>
      (kind === 'atom' ? instance.atomIds : instance.environmentIds).map((targetId) => ({
        id: attachmentId(instance.id, targetId),
        integrationPackInstanceId: instance.id,
        targetId,
      })),
    );
  const command = (attach: boolean, instanceId: string, targetId: string) =>
    kind === 'atom'
      ? ({ type: attach ? 'ATTACH_ATOM' : 'DETACH_ATOM', instanceId, atomId: targetId } as const)
      : ({ type: attach ? 'ATTACH_ENVIRONMENT' : 'DETACH_ENVIRONMENT', instanceId, environmentId: targetId } as const);

  const attach = defineRoute({
    method: 'POST',
    url: `${REST}/${object}`,
    summary: `Attach ${kind === 'atom' ? 'an Atom' : 'an environment'} to an installation`,
    tag: TAG,
    auth: managedAccess,
    headers: WriteHeaders,
    body: schemas.create,
    invalid: restInvalid,
    responses: { 200: { description: 'The attachment', schema: schemas.record } },
    handler: async (request) => {
      const body = request.body as { integrationPackInstanceId: string } & Record<string, string>;
      const instanceId = body.integrationPackInstanceId;
      const mine = await scope(request, ({ instances }) => instances.some((instance) => instance.id === instanceId));
      if (!mine) throw new HttpError(404, 'INSTANCE_NOT_FOUND', `No ${INSTANCE} with id ${instanceId}.`);
      const targetId = body[target]!.trim();
      await runCommand(request.deps, request.session, idempotencyKeyOf(request.headers), command(true, instanceId, targetId));
      return { status: 200, body: json({ id: attachmentId(instanceId, targetId), integrationPackInstanceId: instanceId, targetId }) };
    },
  });
  const detach = defineRoute({
    method: 'DELETE',
    url: `${REST}/${object}/:id`,
    summary: `Detach ${kind === 'atom' ? 'an Atom' : 'an environment'}`,
    tag: TAG,
    auth: managedAccess,
    params: IdParams,
    headers: WriteHeaders,
    invalid: restInvalid,
    responses: { 200: { description: 'Detached', schema: v.object({ id: v.string(), deleted: v.literal(true), message: v.string() }) } },
    handler: async (request) => {
      const { id } = request.params;
      const parts = parseAttachmentId(id);
      const exists = parts && (await scope(request, ({ instances }) => attachmentsOf(instances).some((entry) => entry.id === id)));
      if (!parts || !exists) throw attachmentNotFound(id);
      const result = await runCommand(request.deps, request.session, idempotencyKeyOf(request.headers), command(false, parts[0], parts[1]));
      return { status: 200, body: { id, deleted: true, message: result.message } };
    },
  });
  return [
    attach,
    detach,
    ...collectionRoutes<Attachment>({
      object,
      tag: TAG,
      auth: managedAccess,
      schema: schemas.record,
      properties: ['id', 'integrationPackInstanceId', target],
      view: (request, fn) => scope(request, ({ instances }) => fn({ records: attachmentsOf(instances), json })),
      propertiesOf: (attachment) => ({
        id: attachment.id,
        integrationPackInstanceId: attachment.integrationPackInstanceId,
        [target]: attachment.targetId,
      }),
      notFound: attachmentNotFound,
    }),
  ];
}

export const managedRoutes: AnyRoute[] = [
  install,
  uninstall,
  ...collectionRoutes<PackInstance>({
    object: INSTANCE,
    tag: TAG,
    auth: managedAccess,
    schema: IntegrationPackInstanceSchema,
    properties: ['id', 'integrationPackId', 'integrationPackOverrideName'],
    view: (request, fn) => scope(request, ({ instances }) => fn({ records: instances, json: instanceJson })),
    propertiesOf: (instance) => ({
      id: instance.id,
      integrationPackId: instance.packId,
      integrationPackOverrideName: instance.overrideName,
    }),
    notFound: instanceNotFound,
  }),
  ...collectionRoutes<IntegrationPack>({
    object: 'IntegrationPack',
    tag: TAG,
    auth: managedAccess,
    schema: IntegrationPackSchema,
    properties: ['id', 'name', 'installationType'],
    view: (request, fn) => scope(request, ({ installable }) => fn({ records: installable, json: packJson })),
    propertiesOf: (pack) => ({ id: pack.id, name: pack.name, installationType: pack.installationType }),
    notFound: notFound('IntegrationPack'),
  }),
  ...attachmentRoutes('environment'),
  ...attachmentRoutes('atom'),
];
