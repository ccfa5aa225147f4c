/**
 * A server with an account whose records hold something of every kind: managed accounts, a catalog,
 * a released and installed pack with attachments, a pending release, a deleted pack; commands over HTTP.
 */
import type * as Y from 'yjs';
import { PROJECTION_ROOTS, RETIRED_ROOTS, writeNewPack, type Command, type CommandResult } from '../../shared/index.ts';
import { docJson, type TestServer } from '../server/helpers.ts';

let counter = 0;
export const key = () => `records-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

export async function post(
  t: TestServer,
  token: string,
  command: Command,
  idempotencyKey = key(),
): Promise<{ status: number; body: CommandResult }> {
  const response = await fetch(`${t.server.url}/api/accounts/demo/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ idempotencyKey, command }),
  });
  return { status: response.status, body: (await response.json()) as CommandResult };
}

const pack = (id: string, name: string, componentIds: string[], installationType: 'SINGLE' | 'MULTI' = 'MULTI') => ({
  id,
  name,
  description: '',
  installationType,
  componentIds,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'ann',
});

/** Orders (MULTI, released, installed twice in m1 and once in m2, an Atom attached, release 2 pending), Billing (deleted). */
export async function seedRecords(t: TestServer): Promise<{ instances: string[] }> {
  await t.server.rooms.mutate('demo', (doc, origin, records) => {
    records.putManagedAccount({ id: 'm1', name: 'Northwind' });
    records.putManagedAccount({ id: 'm2', name: 'Contoso' });
    records.putComponent({ id: 'c1', name: 'Orders Sync', type: 'PROCESS', versions: [1, 2] });
    records.putComponent({ id: 'c2', name: 'Billing Export', type: 'PROCESS', versions: [1] });
    writeNewPack(doc, pack('orders', 'Orders', ['c1']), origin);
    writeNewPack(doc, pack('billing', 'Billing', ['c2'], 'SINGLE'), origin);
  });
  const ok = async (command: Command) => {
    const { body } = await post(t, t.tokens.admin, command);
    if (body.status !== 'SUCCESS') throw new Error(`${command.type}: ${body.message}`);
    return body;
  };
  await t.server.rooms.mutate('demo', (_doc, _origin, records) =>
    records.putComponent({ id: 'c1', name: 'Orders Sync', type: 'PROCESS', versions: [1] }),
  );
  await ok({ type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' });
  await ok({ type: 'RELEASE', packId: 'billing', releaseSchedule: 'IMMEDIATELY' });
  const instances: string[] = [];
  for (const [managedAccountId, name] of [
    ['m1', 'EU'],
    ['m1', 'US'],
    ['m2', 'Main'],
  ] as const)
    instances.push((await ok({ type: 'INSTALL', packId: 'orders', managedAccountId, integrationPackOverrideName: name })).instanceId!);
  await ok({ type: 'INSTALL', packId: 'billing', managedAccountId: 'm2' });
  await ok({ type: 'ATTACH_ATOM', instanceId: instances[0]!, atomId: 'atom-1' });
  await t.server.rooms.mutate('demo', (_doc, _origin, records) =>
    records.putComponent({ id: 'c1', name: 'Orders Sync', type: 'PROCESS', versions: [1, 2] }),
  );
  await ok({ type: 'RELEASE', packId: 'orders', releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2099-01-01' });
  await ok({ type: 'DELETE_PACK', packId: 'billing' });
  return { instances };
}

/** The server-owned roots of a document, as a person could see them. */
export function projectionOf(doc: Y.Doc): Record<string, unknown> {
  const json = docJson(doc);
  return Object.fromEntries([...PROJECTION_ROOTS, ...RETIRED_ROOTS].map((root) => [root, json[root] ?? { map: {}, list: [] }]));
}
