/**
 * Measures what a new client's first sync downloads (the whole document: sync step 2 against an
 * empty state vector) for an account with N installations and H history records: in the earlier
 * shape (every installation and record in the document), once that document is migrated (its
 * server-owned roots moved into tables, the document rewritten as the projection and compacted), and
 * for an account that began on this version. Not a test (no timed assertions): run it by hand,
 *   npx tsx test/records/measure-document-size.ts 10000 100000
 */
import * as Y from 'yjs';
import type { HistoryRecord } from '../../shared/history.ts';
import type { PackInstance, Release } from '../../shared/model.ts';
import { Root, writeNewPack } from '../../shared/schema.ts';
import { AccountRecords } from '../../sync-server/records/account-records.ts';
import type { AccountRecordsData } from '../../sync-server/records/changes.ts';
import { migrateLegacyRoots } from '../../sync-server/records/migrate.ts';
import { rebuildProjection } from '../../sync-server/records/projection.ts';

const installations = Number(process.argv[2] ?? 10_000);
const historyRecords = Number(process.argv[3] ?? 100_000);
const packs = 50;
const managedAccounts = 500;
const origin = Symbol('server');

const empty = (): AccountRecordsData => ({
  account: { id: 'big', name: 'Big', multiInstallEnabled: true, timeZone: 'UTC' },
  catalog: [],
  managedAccounts: [],
  releases: [],
  instances: [],
  tombstones: [],
  recentHistory: [],
  lastAuditSeq: 0,
});

/** The document as the earlier version wrote it: every server-owned thing in its roots. */
function legacyDocument(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (let c = 0; c < packs; c++)
      doc.getMap(Root.catalog).set(`c${c}`, { id: `c${c}`, name: `Component ${c}`, type: 'PROCESS', versions: [1, 2, 3] });
    for (let m = 0; m < managedAccounts; m++) doc.getMap(Root.managedAccounts).set(`m${m}`, { id: `m${m}`, name: `Customer ${m}` });
    for (let p = 0; p < packs; p++) {
      writeNewPack(
        doc,
        {
          id: `p${p}`,
          name: `Pack ${p}`,
          description: 'An integration pack',
          installationType: 'MULTI',
          componentIds: [`c${p}`],
          createdAt: '2026-01-01T00:00:00.000Z',
          createdBy: 'ann',
        },
        origin,
      );
      const releases: Release[] = [1, 2, 3].map((number) => ({
        packId: `p${p}`,
        number,
        components: [{ componentId: `c${p}`, version: number }],
        releaseSchedule: 'IMMEDIATELY',
        status: 'SUCCESS',
        releasedBy: 'Ann Admin',
        releasedAt: `2026-0${number}-01T00:00:00.000Z`,
        requestId: `rq_p${p}-${number}`,
      }));
      doc.getMap(Root.releases).set(`p${p}`, releases);
    }
    for (let i = 0; i < installations; i++) {
      const instance: PackInstance = {
        id: `in_${i.toString(36).padStart(6, '0')}-install-key`,
        packId: `p${i % packs}`,
        managedAccountId: `m${i % managedAccounts}`,
        releaseNumber: 3,
        atomIds: [`atom-${i}`],
        environmentIds: [`env-${i % 3}`],
        installedAt: '2026-04-01T00:00:00.000Z',
      };
      doc.getMap(Root.retiredInstances).set(instance.id, instance);
    }
    for (let h = 0; h < historyRecords; h++) {
      const record: Omit<HistoryRecord, 'seq'> = {
        id: `key-${h}-0123456789`,
        kind: h % 4 === 0 ? 'APPLY_UPDATE' : 'INSTALL',
        actor: `User of m${h % managedAccounts}`,
        actorId: `person-${h % managedAccounts}`,
        at: new Date(Date.UTC(2026, 0, 1) + h * 60_000).toISOString(),
        summary: `Install Pack ${h % packs} in Customer ${h % managedAccounts}`,
        status: h % 10 === 0 ? 'ERROR' : 'SUCCESS',
        message: h % 10 === 0 ? 'That integration pack is already installed in this account.' : 'Installed.',
        packId: `p${h % packs}`,
        managedAccountId: `m${h % managedAccounts}`,
      };
      doc.getMap(Root.retiredHistory).set(record.id, record);
    }
  }, origin);
  return doc;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB (${bytes} B)`;
/** A compacted document, as the store keeps it and a new client downloads it. */
const compacted = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc);

const legacy = legacyDocument();
const before = compacted(legacy).byteLength;

const migrated = new Y.Doc();
Y.applyUpdate(migrated, compacted(legacy));
const records = new AccountRecords(empty());
const report = migrateLegacyRoots(migrated, records, new Date());
rebuildProjection(migrated, records, origin);
const afterMigration = compacted(migrated).byteLength;

// An account that began on this version: the packs and the projection of the same records.
const fresh = new Y.Doc();
fresh.transact(() => {
  for (const [packId, pack] of legacy.getMap(Root.packs)) fresh.getMap(Root.packs).set(packId, (pack as Y.Map<unknown>).clone());
}, origin);
rebuildProjection(fresh, records, origin);
const afterFresh = compacted(fresh).byteLength;

console.log(`${installations} installations, ${historyRecords} history records (${report.history} moved), ${packs} packs`);
console.log(`earlier shape (everything in the document): ${mib(before)}`);
console.log(`migrated to tables, document as projection (compacted): ${mib(afterMigration)}`);
console.log(`account begun on this version (projection only): ${mib(afterFresh)}`);
