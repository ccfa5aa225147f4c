/**
 * The storage contract, one numbered rule per test, run against every Store implementation
 * (memory.test.ts, sqlite.test.ts; a PostgreSQL store would add one more file calling this).
 */
import { afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { CommandResult } from '../../shared/index.ts';
import type { Store } from './types.ts';

export interface StoreHarness {
  store: Store;
  /** Closes and opens the same data again, when the implementation is durable. */
  reopen?: () => Promise<Store>;
}

const bytes = (...values: number[]) => new Uint8Array(values);

function yUpdate(key: string, value: string, doc = new Y.Doc()): Uint8Array {
  let update: Uint8Array | undefined;
  const listen = (u: Uint8Array) => (update = u);
  doc.on('update', listen);
  doc.getMap('packs').set(key, value);
  doc.off('update', listen);
  return update!;
}

const result = (key: string, message: string): CommandResult => ({ idempotencyKey: key, status: 'SUCCESS', message });

export function describeStoreContract(name: string, setup: () => Promise<StoreHarness>): void {
  describe(`storage contract: ${name}`, () => {
    let harness: StoreHarness;
    let open: Store[] = [];
    const start = async () => {
      harness = await setup();
      open.push(harness.store);
      return harness.store;
    };
    afterEach(async () => {
      for (const store of open) await store.close();
      open = [];
    });

    test('1. an unknown document loads empty with lastSeq 0', async () => {
      const store = await start();
      expect(await store.docs.load('nobody')).toEqual({ snapshot: undefined, updates: [], lastSeq: 0 });
      expect(await store.docs.sizes('nobody')).toEqual({ snapshotBytes: 0, logBytes: 0, logCount: 0 });
    });

    test('2. appended updates load back in order, byte for byte, and lastSeq grows by one per update', async () => {
      const store = await start();
      expect(await store.docs.append('a', [bytes(1), bytes(2, 2)])).toBe(2);
      expect(await store.docs.append('a', [bytes(3, 3, 3)])).toBe(3);
      const loaded = await store.docs.load('a');
      expect(loaded.updates).toEqual([bytes(1), bytes(2, 2), bytes(3, 3, 3)]);
      expect(loaded.lastSeq).toBe(3);
    });

    test('3. documents are independent', async () => {
      const store = await start();
      await store.docs.append('a', [bytes(1)]);
      await store.docs.append('b', [bytes(9), bytes(8)]);
      expect((await store.docs.load('a')).updates).toEqual([bytes(1)]);
      expect((await store.docs.load('b')).lastSeq).toBe(2);
    });

    test('4. compaction keeps the snapshot and only the updates after throughSeq', async () => {
      const store = await start();
      await store.docs.append('a', [bytes(1), bytes(2)]);
      await store.docs.append('a', [bytes(3)]);
      await store.docs.compact('a', bytes(7, 7), 2);
      const loaded = await store.docs.load('a');
      expect(loaded.snapshot).toEqual(bytes(7, 7));
      expect(loaded.updates).toEqual([bytes(3)]);
      expect(loaded.lastSeq).toBe(3);
    });

    test('5. sequence numbers keep growing after every update was compacted away', async () => {
      const store = await start();
      await store.docs.append('a', [bytes(1), bytes(2)]);
      await store.docs.compact('a', bytes(5), 2);
      expect(await store.docs.append('a', [bytes(3)])).toBe(3);
      await store.docs.compact('a', bytes(6), 3);
      expect((await store.docs.load('a')).lastSeq).toBe(3);
      expect(await store.docs.append('a', [bytes(4)])).toBe(4);
    });

    test('6. sizes count snapshot bytes and log bytes', async () => {
      const store = await start();
      await store.docs.append('a', [bytes(1, 2, 3), bytes(4)]);
      expect(await store.docs.sizes('a')).toEqual({ snapshotBytes: 0, logBytes: 4, logCount: 2 });
      await store.docs.compact('a', bytes(1, 2, 3, 4, 5), 1);
      expect(await store.docs.sizes('a')).toEqual({ snapshotBytes: 5, logBytes: 1, logCount: 1 });
    });

    test('7. stored bytes are copies: changing what was passed in or loaded changes nothing stored', async () => {
      const store = await start();
      const update = bytes(1, 2);
      await store.docs.append('a', [update]);
      update[0] = 99;
      const loaded = await store.docs.load('a');
      loaded.updates[0]![1] = 99;
      expect((await store.docs.load('a')).updates[0]).toEqual(bytes(1, 2));
    });

    test('8. a snapshot plus the log rebuilds the Yjs document', async () => {
      const store = await start();
      const source = new Y.Doc();
      await store.docs.append('a', [yUpdate('p1', 'one', source), yUpdate('p2', 'two', source)]);
      const before = await store.docs.load('a');
      await store.docs.compact('a', Y.mergeUpdates(before.updates), before.lastSeq);
      await store.docs.append('a', [yUpdate('p3', 'three', source)]);
      const loaded = await store.docs.load('a');
      const doc = new Y.Doc();
      Y.applyUpdate(doc, loaded.snapshot!);
      for (const update of loaded.updates) Y.applyUpdate(doc, update);
      expect(doc.getMap('packs').toJSON()).toEqual({ p1: 'one', p2: 'two', p3: 'three' });
    });

    test('9. command results appended with updates are stored with them; the first result of a key wins, with its fingerprint', async () => {
      const store = await start();
      await store.docs.append('a', [bytes(1)], {
        commandResults: [{ accountId: 'a', idempotencyKey: 'key-0001', fingerprint: 'f1', result: result('key-0001', 'first') }],
      });
      await store.docs.append('a', [bytes(2)], {
        commandResults: [{ accountId: 'a', idempotencyKey: 'key-0001', fingerprint: 'f2', result: result('key-0001', 'second') }],
      });
      expect(await store.records.getCommandResult('a', 'key-0001')).toEqual({ fingerprint: 'f1', result: result('key-0001', 'first') });
      expect(await store.records.getCommandResult('b', 'key-0001')).toBeUndefined();
      await store.docs.append('b', [], {
        commandResults: [{ accountId: 'b', idempotencyKey: 'key-0001', fingerprint: 'f3', result: result('key-0001', 'other account') }],
      });
      expect((await store.records.getCommandResult('b', 'key-0001'))?.result.message).toBe('other account');
      expect((await store.docs.load('b')).lastSeq).toBe(0);
    });

    test('10. accounts are stored, updated, listed; the time zone defaults to UTC', async () => {
      const store = await start();
      await store.accounts.putAccount({ id: 'demo', name: 'Demo', multiInstallEnabled: true, timeZone: 'Europe/Paris' });
      await store.accounts.putAccount({ id: 'acme', name: 'Acme', multiInstallEnabled: false, timeZone: '' });
      await store.accounts.putAccount({ id: 'demo', name: 'Demo Co', multiInstallEnabled: true, timeZone: 'Europe/Paris' });
      expect(await store.accounts.getAccount('demo')).toEqual({
        id: 'demo',
        name: 'Demo Co',
        multiInstallEnabled: true,
        timeZone: 'Europe/Paris',
      });
      expect((await store.accounts.getAccount('acme'))?.timeZone).toBe('UTC');
      expect((await store.accounts.listAccounts()).map((a) => a.id)).toEqual(['acme', 'demo']);
      expect(await store.accounts.getAccount('nobody')).toBeUndefined();
    });

    test('11. a token hash finds its person; an unknown hash finds nobody', async () => {
      const store = await start();
      await store.accounts.putPerson({ id: 'p1', accountId: 'demo', name: 'Ann', role: 'admin' });
      await store.accounts.putPerson({ id: 'p2', accountId: 'demo', name: 'Max', role: 'managed', managedAccountId: 'm1' });
      await store.accounts.putToken('h1', 'p1');
      await store.accounts.putToken('h2', 'p2');
      expect(await store.accounts.findPersonByTokenHash('h1')).toEqual({ id: 'p1', accountId: 'demo', name: 'Ann', role: 'admin' });
      expect((await store.accounts.findPersonByTokenHash('h2'))?.managedAccountId).toBe('m1');
      expect(await store.accounts.findPersonByTokenHash('nope')).toBeUndefined();
      expect((await store.accounts.listPeople('demo')).map((p) => p.name)).toEqual(['Ann', 'Max']);
    });

    test('12. everything survives closing and opening again (durable stores)', async () => {
      const store = await start();
      if (!harness.reopen) return;
      await store.docs.append('a', [bytes(1), bytes(2)], {
        commandResults: [{ accountId: 'a', idempotencyKey: 'key-0002', fingerprint: 'f', result: result('key-0002', 'kept') }],
      });
      await store.docs.compact('a', bytes(5), 1);
      await store.accounts.putAccount({ id: 'a', name: 'A', multiInstallEnabled: false, timeZone: 'UTC' });
      await store.accounts.putPerson({ id: 'p1', accountId: 'a', name: 'Ann', role: 'viewer' });
      await store.accounts.putToken('h1', 'p1');
      const again = await harness.reopen();
      open.push(again);
      expect(await again.docs.load('a')).toEqual({ snapshot: bytes(5), updates: [bytes(2)], lastSeq: 2 });
      expect((await again.records.getCommandResult('a', 'key-0002'))?.result.message).toBe('kept');
      expect((await again.accounts.findPersonByTokenHash('h1'))?.role).toBe('viewer');
    });

    test('13. a closed store refuses work with an error instead of losing it silently', async () => {
      const store = await start();
      await store.close();
      await expect(store.docs.append('a', [bytes(1)])).rejects.toThrow();
    });

    test('14. client-id bindings are stored with an append (also one without updates); the first binding of an id wins; per account; durable', async () => {
      const store = await start();
      await store.docs.append('a', [bytes(1)], {
        clientIdBindings: [
          { accountId: 'a', clientId: 7, personId: 'ann' },
          { accountId: 'a', clientId: 2 ** 32 - 1, personId: '@server' },
        ],
      });
      await store.docs.append('a', [], {
        clientIdBindings: [
          { accountId: 'a', clientId: 7, personId: 'bob' },
          { accountId: 'a', clientId: 8, personId: 'bob' },
        ],
      });
      await store.docs.append('b', [], { clientIdBindings: [{ accountId: 'b', clientId: 7, personId: 'oz' }] });
      const sorted = async (target: Store, accountId: string) =>
        (await target.records.clientIdBindings(accountId)).map((b) => [b.clientId, b.personId]).sort((x, y) => Number(x[0]) - Number(y[0]));
      const expected = [
        [7, 'ann'],
        [8, 'bob'],
        [2 ** 32 - 1, '@server'],
      ];
      expect(await sorted(store, 'a')).toEqual(expected);
      expect(await sorted(store, 'b')).toEqual([[7, 'oz']]);
      expect(await store.records.clientIdBindings('nobody')).toEqual([]);
      expect((await store.docs.load('a')).lastSeq).toBe(1);
      if (!harness.reopen) return;
      const again = await harness.reopen();
      open.push(again);
      expect(await sorted(again, 'a')).toEqual(expected);
    });
  });
}
