/**
 * Accounts for command and scheduler tests: a document with packs and the account's records (an
 * account, a catalog, managed accounts), and `run`, which sends a command as the command path does
 * inside the room (the role rule, the execution, the audit, the projection into the document),
 * keeping every audit record and change it makes. Records changed directly in a test reach the
 * document's projection at the next `run`.
 */
import * as Y from 'yjs';
import { roleRefusal, type AnyCommand, type CommandResult } from '../../shared/commands.ts';
import type { HistoryRecord } from '../../shared/history.ts';
import type { ComponentType, InstallationType, PackInstance } from '../../shared/model.ts';
import { writeNewPack } from '../../shared/schema.ts';
import { AccountRecords } from '../records/account-records.ts';
import type { RecordChange } from '../records/changes.ts';
import { projectChanges, rebuildProjection } from '../records/projection.ts';
import { RefusalAudit } from '../records/refusal-audit.ts';
import { executeCommand, type Actor } from './execute.ts';
import { executeAudited } from './path.ts';

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

export interface TestAccount {
  doc: Y.Doc;
  records: AccountRecords;
  /** Every audit record the commands made, oldest first. */
  history: HistoryRecord[];
  /** Every record change the commands made, in order (what the room would commit). */
  changes: RecordChange[];
  instances(): PackInstance[];
}

export function seedAccount(options: SeedOptions = {}): TestAccount {
  const doc = new Y.Doc();
  const records = new AccountRecords({
    account: { id: 'pub', name: 'Publisher', multiInstallEnabled: true, timeZone: options.timeZone ?? 'UTC' },
    catalog: (
      options.components ?? [
        { id: 'c1', versions: [1] },
        { id: 'c2', versions: [1, 2] },
      ]
    ).map((component) => ({
      id: component.id,
      name: component.name ?? `Component ${component.id}`,
      type: component.type ?? 'PROCESS',
      versions: component.versions,
    })),
    managedAccounts: (options.managedAccounts ?? ['acme', 'globex', 'initech']).map((id) => ({ id, name: id.toUpperCase() })),
    releases: [],
    instances: [],
    tombstones: [],
    recentHistory: [],
    lastAuditSeq: 0,
  });
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
  rebuildProjection(doc, records, SERVER);
  return { doc, records, history: [], changes: [], instances: () => [...records.instances()].sort((a, b) => a.id.localeCompare(b.id)) };
}

let keys = 0;
const refusals = new RefusalAudit({ now: () => new Date(0) }, { burst: Number.MAX_SAFE_INTEGER, refillMs: 1 });

/** Runs a command with a fresh idempotency key unless one is given: the role rule, then as the path runs it in the room. */
export function run(
  account: TestAccount,
  actor: Actor,
  now: Date,
  command: AnyCommand,
  idempotencyKey = `key-${++keys}-xxxxxxxx`,
): CommandResult {
  const refused = roleRefusal(actor.role, command.type);
  let result: CommandResult;
  if (refused) result = { idempotencyKey, status: 'ERROR', ...refused };
  else
    result = executeAudited(
      { doc: account.doc, records: account.records, actor, now, idempotencyKey, origin: SERVER },
      command,
      executeCommand,
      refusals,
    ).result;
  for (const change of account.records.takeChanges()) {
    account.changes.push(change);
    if (change.op === 'audit') account.history.push(change.record);
  }
  projectChanges(account.doc, account.records, account.records.takeDirty(), SERVER);
  return result;
}
