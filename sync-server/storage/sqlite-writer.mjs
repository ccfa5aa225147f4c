// The SQLite writer thread: appends and compactions (and their fsync) run here, so a durable commit
// does not block the event loop that applies and broadcasts updates. Plain JS: it runs in a Worker
// under tsx, vitest or plain node alike. Protocol: { id, op, ... } -> { id, ok, value | message }.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { createRecordWriter } from './sqlite-records-write.mjs';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${workerData.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
db.pragma('busy_timeout = 5000');

const maxSeq = db.prepare(
  'SELECT max(seq) AS seq FROM (SELECT max(seq) AS seq FROM doc_updates WHERE doc = ? UNION ALL SELECT through_seq FROM doc_snapshots WHERE doc = ?)',
);
const insertUpdate = db.prepare('INSERT INTO doc_updates (doc, seq, data) VALUES (?, ?, ?)');
const putResult = db.prepare(
  'INSERT OR IGNORE INTO command_results (account_id, idempotency_key, result, fingerprint) VALUES (?, ?, ?, ?)',
);
const putClientId = db.prepare('INSERT OR IGNORE INTO client_ids (account_id, client_id, person_id) VALUES (?, ?, ?)');
const upsertSnapshot = db.prepare(
  'INSERT INTO doc_snapshots (doc, data, through_seq) VALUES (?, ?, ?) ON CONFLICT (doc) DO UPDATE SET data = excluded.data, through_seq = excluded.through_seq',
);
const deleteUpdates = db.prepare('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?');

const writeRecords = createRecordWriter(db);

const append = db.transaction((doc, updates, results, bindings, records) => {
  let seq = maxSeq.get(doc, doc)?.seq ?? 0;
  for (const update of updates) insertUpdate.run(doc, ++seq, update);
  for (const record of results) putResult.run(record.accountId, record.idempotencyKey, JSON.stringify(record.result), record.fingerprint);
  for (const binding of bindings) putClientId.run(binding.accountId, binding.clientId, binding.personId);
  if (records.length > 0) writeRecords(doc, records);
  return seq;
});
const compact = db.transaction((doc, snapshot, throughSeq) => {
  upsertSnapshot.run(doc, snapshot, throughSeq);
  deleteUpdates.run(doc, throughSeq);
});

parentPort.on('message', (message) => {
  try {
    let value;
    if (message.op === 'append')
      value = append(message.doc, message.updates, message.results ?? [], message.bindings ?? [], message.records ?? []);
    else if (message.op === 'compact') value = compact(message.doc, message.snapshot, message.throughSeq);
    else if (message.op === 'close') {
      db.close();
      value = true;
    } else throw new Error(`Unknown writer operation ${message.op}`);
    parentPort.postMessage({ id: message.id, ok: true, value });
  } catch (error) {
    parentPort.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
