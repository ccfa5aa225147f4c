/** The in-memory store: the fake the room and HTTP tests run on, and the reference for the contract. */
import type { PublisherAccount } from '../../shared/index.ts';
import type { AccountStore, DocStore, Person, RecordStore, Store, StoredCommandResult, StoredDoc } from './types.ts';

interface MemoryDoc {
  snapshot: { data: Uint8Array; throughSeq: number } | undefined;
  updates: { seq: number; data: Uint8Array }[];
}

const copy = (data: Uint8Array) => data.slice();
const clone = <T>(value: T): T => structuredClone(value);

export function createMemoryStore(): Store {
  const docMap = new Map<string, MemoryDoc>();
  const accountMap = new Map<string, PublisherAccount>();
  const people = new Map<string, Person>();
  const tokens = new Map<string, string>();
  const results = new Map<string, StoredCommandResult>();
  const clientIds = new Map<string, Map<number, string>>();
  let closed = false;

  const open = () => {
    if (closed) throw new Error('The store is closed.');
  };
  const docOf = (name: string): MemoryDoc => {
    let doc = docMap.get(name);
    if (!doc) docMap.set(name, (doc = { snapshot: undefined, updates: [] }));
    return doc;
  };
  const lastSeqOf = (doc: MemoryDoc) => Math.max(doc.snapshot?.throughSeq ?? 0, doc.updates.at(-1)?.seq ?? 0);
  const resultKey = (accountId: string, key: string) => `${accountId}\u0000${key}`;
  const run = <T>(body: () => T): Promise<T> => {
    try {
      open();
      return Promise.resolve(body());
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const docs: DocStore = {
    load: (name) =>
      run((): StoredDoc => {
        const doc = docMap.get(name);
        if (!doc) return { snapshot: undefined, updates: [], lastSeq: 0 };
        return {
          snapshot: doc.snapshot && copy(doc.snapshot.data),
          updates: doc.updates.map((u) => copy(u.data)),
          lastSeq: lastSeqOf(doc),
        };
      }),
    append: (name, updates, options) =>
      run(() => {
        const doc = docOf(name);
        let seq = lastSeqOf(doc);
        for (const update of updates) doc.updates.push({ seq: ++seq, data: copy(update) });
        for (const record of options?.commandResults ?? []) {
          const key = resultKey(record.accountId, record.idempotencyKey);
          if (!results.has(key)) results.set(key, { result: clone(record.result), fingerprint: record.fingerprint });
        }
        for (const { accountId, clientId, personId } of options?.clientIdBindings ?? []) {
          let bound = clientIds.get(accountId);
          if (!bound) clientIds.set(accountId, (bound = new Map()));
          if (!bound.has(clientId)) bound.set(clientId, personId);
        }
        return seq;
      }),
    compact: (name, snapshot, throughSeq) =>
      run(() => {
        const doc = docOf(name);
        doc.snapshot = { data: copy(snapshot), throughSeq };
        doc.updates = doc.updates.filter((u) => u.seq > throughSeq);
      }),
    sizes: (name) =>
      run(() => {
        const doc = docMap.get(name);
        return {
          snapshotBytes: doc?.snapshot?.data.byteLength ?? 0,
          logBytes: doc?.updates.reduce((sum, u) => sum + u.data.byteLength, 0) ?? 0,
          logCount: doc?.updates.length ?? 0,
        };
      }),
  };

  const accounts: AccountStore = {
    getAccount: (id) => run(() => clone(accountMap.get(id))),
    putAccount: (account) => run(() => void accountMap.set(account.id, clone({ ...account, timeZone: account.timeZone || 'UTC' }))),
    listAccounts: () => run(() => [...accountMap.values()].sort((a, b) => a.id.localeCompare(b.id)).map(clone)),
    putPerson: (person) => run(() => void people.set(person.id, clone(person))),
    getPerson: (id) => run(() => clone(people.get(id))),
    listPeople: (accountId) =>
      run(() =>
        [...people.values()]
          .filter((p) => p.accountId === accountId)
          .sort((a, b) => a.id.localeCompare(b.id))
          .map(clone),
      ),
    putToken: (hash, personId) => run(() => void tokens.set(hash, personId)),
    findPersonByTokenHash: (hash) =>
      run(() => {
        const personId = tokens.get(hash);
        return personId === undefined ? undefined : clone(people.get(personId));
      }),
  };

  const records: RecordStore = {
    getCommandResult: (accountId, key) => run(() => clone(results.get(resultKey(accountId, key)))),
    clientIdBindings: (accountId) =>
      run(() => [...(clientIds.get(accountId) ?? [])].map(([clientId, personId]) => ({ accountId, clientId, personId }))),
  };

  return {
    docs,
    accounts,
    records,
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
}
