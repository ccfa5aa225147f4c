import { expect, test } from 'vitest';
import { commandFingerprint, type Command, type CommandEnvelope } from '../../shared/commands.ts';
import { quietLogger } from '../log.ts';
import { RefusalAudit } from '../records/refusal-audit.ts';
import { createMemoryStore } from '../storage/memory.ts';
import type { CommandResultRecord } from '../storage/types.ts';
import { runCommand, type CommandExecutor, type CommandPathDeps, type InflightCommand } from './path.ts';
import { admin, managedUser, seedAccount, viewer } from './testing.ts';

function harness() {
  const store = createMemoryStore();
  const account = seedAccount();
  const calls: string[] = [];
  const pending: CommandResultRecord[] = [];
  const execute: CommandExecutor = (context, command) => {
    calls.push(`${context.idempotencyKey} ${command.type}`);
    return {
      result: { idempotencyKey: context.idempotencyKey, status: 'SUCCESS', message: `run #${calls.length}` },
      record: {
        kind: command.type,
        actor: context.actor.personName,
        at: context.now.toISOString(),
        summary: command.type,
        status: 'SUCCESS',
      },
    };
  };
  const clock = { now: () => new Date('2025-03-10T12:00:00Z') };
  const deps: CommandPathDeps = {
    room: {
      name: 'pub',
      inflightCommands: new Map<string, InflightCommand>(),
      // Like the room: run, then store the results and record changes gathered in one append.
      mutate: async (fn) => {
        const value = fn(account.doc, 'server', account.records);
        await store.docs.append('pub', [], { commandResults: pending.splice(0), records: account.records.takeChanges() });
        return value;
      },
    },
    records: store.records,
    clock,
    executeCommand: execute,
    refusals: new RefusalAudit(clock, { burst: 2, refillMs: 60_000 }),
    log: quietLogger,
    recordResult: (record) => pending.push(record),
  };
  return { deps, calls, store };
}

const release: Command = { type: 'RELEASE', packId: 'orders', releaseSchedule: 'IMMEDIATELY' };
const envelope = (idempotencyKey: string, command: Command = release): CommandEnvelope => ({ idempotencyKey, command });

test('the role rule, written once: viewers run nothing; managed-account users only their commands', async () => {
  const { deps, calls } = harness();
  expect(await runCommand(deps, viewer, envelope('key-viewer-1'))).toEqual({
    idempotencyKey: 'key-viewer-1',
    status: 'ERROR',
    code: 'FORBIDDEN',
    message: 'Viewers cannot run commands.',
  });
  expect(await runCommand(deps, managedUser('acme'), envelope('key-managed-1'))).toMatchObject({
    code: 'FORBIDDEN',
    message: 'A managed-account user cannot run RELEASE.',
  });
  expect((await runCommand(deps, managedUser('acme'), envelope('key-managed-2', { type: 'UNINSTALL', instanceId: 'i1' }))).status).toBe(
    'SUCCESS',
  );
  expect(calls).toEqual(['key-managed-2 UNINSTALL']);
});

test("refusals by role are audited at the person's rate, and bind no key", async () => {
  const { deps, store } = harness();
  for (let n = 0; n < 5; n++) await runCommand(deps, viewer, envelope(`key-viewer-${n}`));
  await deps.room.mutate(() => undefined);
  const trail = await store.records.history('pub', { limit: 10 });
  expect(trail.map((record) => [record.kind, record.code, record.actorId])).toEqual([
    ['RELEASE', 'FORBIDDEN', 'p-vic'],
    ['RELEASE', 'FORBIDDEN', 'p-vic'],
  ]);
  expect(await store.records.getCommandResult('pub', 'key-viewer-0')).toBeUndefined();
});

test('a retry gets the first result, also while the first run is in flight; the result is stored with its fingerprint', async () => {
  const { deps, calls, store } = harness();
  const [first, concurrent] = await Promise.all([
    runCommand(deps, admin, envelope('key-retry-1')),
    runCommand(deps, admin, envelope('key-retry-1')),
  ]);
  const later = await runCommand(deps, admin, envelope('key-retry-1'));
  expect(concurrent).toEqual(first);
  expect(later).toEqual(first);
  expect(calls).toEqual(['key-retry-1 RELEASE']);
  expect(await store.records.getCommandResult('pub', 'key-retry-1')).toEqual({ result: first, fingerprint: commandFingerprint(release) });
});

test('a key reused for another command, target or parameter is refused without running', async () => {
  const { deps, calls } = harness();
  await runCommand(deps, admin, envelope('key-reuse-1'));
  const reuses: Command[] = [
    { type: 'DELETE_PACK', packId: 'orders' },
    { type: 'RELEASE', packId: 'billing', releaseSchedule: 'IMMEDIATELY' },
    { type: 'RELEASE', packId: 'orders', releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2025-04-01' },
  ];
  for (const command of reuses)
    expect(await runCommand(deps, admin, envelope('key-reuse-1', command))).toMatchObject({
      status: 'ERROR',
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  const [ran, reused] = await Promise.all([
    runCommand(deps, admin, envelope('key-reuse-2')),
    runCommand(deps, admin, envelope('key-reuse-2', reuses[0])),
  ]);
  expect(ran.status).toBe('SUCCESS');
  expect(reused.code).toBe('IDEMPOTENCY_KEY_REUSED');
  expect(calls).toEqual(['key-reuse-1 RELEASE', 'key-reuse-2 RELEASE']);
});

test('a retry sent while a reuse of its key is in flight still gets the first result', async () => {
  const { deps, calls } = harness();
  const first = await runCommand(deps, admin, envelope('key-race-1'));
  const [reused, retried] = await Promise.all([
    runCommand(deps, admin, envelope('key-race-1', { type: 'DELETE_PACK', packId: 'orders' })),
    runCommand(deps, admin, envelope('key-race-1')),
  ]);
  expect(reused.code).toBe('IDEMPOTENCY_KEY_REUSED');
  expect(retried).toEqual(first);
  expect(calls).toEqual(['key-race-1 RELEASE']);
});

test('the fingerprint does not depend on how the command object was built', () => {
  expect(commandFingerprint({ type: 'ATTACH_ATOM', instanceId: 'i1', atomId: 'a1' } as Command)).toBe(
    commandFingerprint({ atomId: 'a1', instanceId: 'i1', type: 'ATTACH_ATOM' } as Command),
  );
  expect(commandFingerprint({ type: 'INSTALL', packId: 'p', managedAccountId: 'm', integrationPackOverrideName: undefined })).toBe(
    commandFingerprint({ type: 'INSTALL', packId: 'p', managedAccountId: 'm' }),
  );
});
