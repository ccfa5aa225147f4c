/** The in-memory store: the fake the room and HTTP tests run on, and the reference for the contract. */
import { RECENT_HISTORY_PER_PACK, type HistoryRecord, type PublisherAccount } from '../../shared/index.ts';
import { allInstances, applyChange, checkChanges, emptyState, type RecordsState, type ScheduleEntry } from '../records/changes.ts';
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
  /** Per account: the records (applied as the room applies them), the audit trail, the schedule. */
  const recordsOf = new Map<
    string,
    { state: RecordsState; audit: { record: HistoryRecord; projected: boolean }[]; schedule: Map<string, ScheduleEntry[]> }
  >();
  const accountRecords = (accountId: string) => {
    let entry = recordsOf.get(accountId);
    if (!entry) recordsOf.set(accountId, (entry = { state: emptyState(), audit: [], schedule: new Map() }));
    return entry;
  };
  const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
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
        checkChanges(options?.records ?? []);
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
        if (options?.records?.length) {
          const entry = accountRecords(name);
          for (const change of clone(options.records)) {
            applyChange(entry.state, change);
            if (change.op === 'account')
              accountMap.set(change.account.id, { ...change.account, timeZone: change.account.timeZone || 'UTC' });
            if (change.op === 'audit') entry.audit.push({ record: change.record, projected: change.projected });
            if (change.op === 'releases') {
              if (change.schedule.length > 0) entry.schedule.set(change.packId, change.schedule);
              else entry.schedule.delete(change.packId);
            }
          }
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
    load: (accountId) =>
      run(() => {
        const { state, audit } = accountRecords(accountId);
        const recent = new Map<string, HistoryRecord[]>();
        for (const { record, projected } of audit) {
          if (!projected || record.packId === undefined) continue;
          const list = recent.get(record.packId) ?? [];
          list.push(record);
          recent.set(record.packId, list);
        }
        return clone({
          account: accountMap.get(accountId),
          catalog: [...state.catalog.values()],
          managedAccounts: [...state.managedAccounts.values()],
          releases: [...state.releases.values()].flat(),
          instances: [...allInstances(state)],
          tombstones: [...state.tombstones.values()],
          recentHistory: [...recent.values()].flatMap((list) => list.slice(-RECENT_HISTORY_PER_PACK)),
          lastAuditSeq: audit.at(-1)?.record.seq ?? 0,
        });
      }),
    history: (accountId, query) =>
      run(() =>
        clone(
          accountRecords(accountId)
            .audit.map((entry) => entry.record)
            .filter(
              (record) =>
                (query.packId === undefined || record.packId === query.packId) &&
                (query.managedAccountId === undefined || record.managedAccountId === query.managedAccountId) &&
                (query.kind === undefined || record.kind === query.kind) &&
                (query.before === undefined || record.seq < query.before),
            )
            .reverse()
            .slice(0, query.limit),
        ),
      ),
    instances: (accountId, query) =>
      run(() =>
        clone(
          [...allInstances(accountRecords(accountId).state)]
            .filter(
              (instance) =>
                (query.packId === undefined || instance.packId === query.packId) &&
                (query.managedAccountId === undefined || instance.managedAccountId === query.managedAccountId) &&
                (query.after === undefined ||
                  binary(instance.managedAccountId, query.after.managedAccountId) > 0 ||
                  (instance.managedAccountId === query.after.managedAccountId && binary(instance.id, query.after.id) > 0)),
            )
            .sort((a, b) => binary(a.managedAccountId, b.managedAccountId) || binary(a.id, b.id))
            .slice(0, query.limit),
        ),
      ),
    schedule: (through) =>
      run(() => {
        const at = through.toISOString();
        const due: { accountId: string; packId: string; releaseNumber: number; appliesAt: string }[] = [];
        let next: string | undefined;
        for (const [accountId, { schedule }] of recordsOf)
          for (const [packId, entries] of schedule)
            for (const entry of entries) {
              if (entry.appliesAt <= at) due.push({ accountId, packId, releaseNumber: entry.releaseNumber, appliesAt: entry.appliesAt });
              else if (next === undefined || entry.appliesAt < next) next = entry.appliesAt;
            }
        due.sort((a, b) => binary(a.appliesAt, b.appliesAt) || binary(a.accountId, b.accountId) || binary(a.packId, b.packId));
        return { due, ...(next === undefined ? {} : { next }) };
      }),
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
