/** Builds publisher documents for command and scheduler tests: an account, a catalog, managed accounts, packs. */
import * as Y from 'yjs';
import { roleRefusal, type Command, type CommandResult } from '../../shared/commands.ts';
import type { ComponentType, InstallationType } from '../../shared/model.ts';
import { writeAccount, writeComponent, writeManagedAccount, writeNewPack } from '../../shared/schema.ts';
import { executeCommand, type Actor } from './execute.ts';

export const SERVER = Symbol('server');

export const admin: Actor = { personId: 'p-ada', personName: 'Ada Admin', role: 'admin' };
export const viewer: Actor = { personId: 'p-vic', personName: 'Vic Viewer', role: 'viewer' };
export const managedUser = (managedAccountId: string): Actor => ({
  personId: `p-${managedAccountId}`,
  personName: `User of ${managedAccountId}`,
  role: 'managed',
  managedAccountId,
});

export interface SeedOptions {
  timeZone?: string;
  managedAccounts?: string[];
  components?: { id: string; name?: string; type?: ComponentType; versions: number[] }[];
  packs?: { id: string; name?: string; installationType?: InstallationType; componentIds: string[] }[];
}

export function seedDoc(options: SeedOptions = {}): Y.Doc {
  const doc = new Y.Doc();
  writeAccount(doc, { id: 'pub', name: 'Publisher', multiInstallEnabled: true, timeZone: options.timeZone ?? 'UTC' }, SERVER);
  for (const id of options.managedAccounts ?? ['acme', 'globex', 'initech'])
    writeManagedAccount(doc, { id, name: id.toUpperCase() }, SERVER);
  for (const component of options.components ?? [
    { id: 'c1', versions: [1] },
    { id: 'c2', versions: [1, 2] },
  ])
    writeComponent(
      doc,
      {
        id: component.id,
        name: component.name ?? `Component ${component.id}`,
        type: component.type ?? 'PROCESS',
        versions: component.versions,
      },
      SERVER,
    );
  for (const pack of options.packs ?? [{ id: 'orders', componentIds: ['c1', 'c2'] }])
    writeNewPack(
      doc,
      {
        id: pack.id,
        name: pack.name ?? `Pack ${pack.id}`,
        description: '',
        installationType: pack.installationType ?? 'SINGLE',
        componentIds: pack.componentIds,
        createdAt: '2025-01-01T00:00:00.000Z',
        createdBy: 'p-ada',
      },
      SERVER,
    );
  return doc;
}

let keys = 0;
/** Runs a command with a fresh idempotency key unless one is given; the role rule first, as the command path does. */
export function run(doc: Y.Doc, actor: Actor, now: Date, command: Command, idempotencyKey = `key-${++keys}-xxxxxxxx`): CommandResult {
  const refused = roleRefusal(actor.role, command.type);
  if (refused) return { idempotencyKey, status: 'ERROR', ...refused };
  return executeCommand({ doc, actor, now, idempotencyKey, origin: SERVER }, command);
}
