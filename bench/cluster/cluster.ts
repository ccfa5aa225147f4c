/**
 * Cross-instance edit-to-seen: one writer and one reader (stock y-websocket clients), the writer
 * editing its pack's description every `intervalMs` with the time in it, the reader recording how
 * long each edit took to reach it. Same harness three times, in one run:
 *   - one instance on SQLite (`npm start` as is),
 *   - one instance on PostgreSQL (the store's own cost),
 *   - two instances on PostgreSQL, writer on one and reader on the other (the relay's cost).
 * PostgreSQL is the test fixture's (Debian's binaries, fsync on). The machine is shared: noisy figures.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { writeNewPack, writePackDescription } from '../../shared/index.ts';
import { startPostgres } from '../../test/support/postgres.ts';
import { quantile, type CaseResult, type Figure } from '../support/figures.ts';
import { delay } from '../support/wait.ts';
import { readDemoTokens, removeDir, spawnListening, tempDir, ROOT, type Child } from '../support/processes.ts';
import { join } from 'node:path';

const EDITS = 300;
const INTERVAL_MS = 20;

function spawnInstance(dataDir: string, databaseUrl?: string): Promise<Child> {
  return spawnListening(
    ['--import', 'tsx', join(ROOT, 'sync-server', 'main.ts')],
    { PORT: '0', DATA_DIR: dataDir, QUIET: '1', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
    120_000,
  );
}

const syncUrl = (instance: Child) => `${instance.wsUrl}/sync`;

function client(wsUrl: string, token: string): Promise<{ doc: Y.Doc; destroy(): void }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, 'demo', doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const destroy = () => (provider.destroy(), doc.destroy());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (destroy(), reject(new Error(`No sync from ${wsUrl} within 60 s.`))), 60_000);
    provider.once('sync', () => (clearTimeout(timer), resolve({ doc, destroy })));
  });
}

async function measure(writerUrl: string, readerUrl: string, token: string): Promise<number[]> {
  const writer = await client(writerUrl, token);
  const reader = await client(readerUrl, token);
  const packId = `bench-${Math.random().toString(36).slice(2, 8)}`;
  writeNewPack(writer.doc, {
    id: packId,
    name: 'Bench',
    description: '',
    installationType: 'SINGLE',
    componentIds: [],
    createdAt: 'x',
    createdBy: 'bench',
  });
  const samples: number[] = [];
  reader.doc.on('update', () => {
    const text = reader.doc.getMap<Y.Map<unknown>>('packs').get(packId)?.get('description');
    if (typeof text === 'string' && text.startsWith('t=')) {
      const sent = Number(text.slice(2));
      if (!samples.includes(sent)) samples.push(sent);
    }
  });
  const latencies: number[] = [];
  const seen = new Map<number, number>();
  reader.doc.on('update', () => {
    for (const sent of samples) if (!seen.has(sent)) seen.set(sent, performance.now() - sent);
  });
  await delay(500);
  for (let i = 0; i < EDITS; i++) {
    writePackDescription(writer.doc, packId, `t=${performance.now()}`);
    await delay(INTERVAL_MS);
  }
  await delay(2000);
  latencies.push(...seen.values());
  writer.destroy();
  reader.destroy();
  return latencies;
}

export async function clusterCase(): Promise<CaseResult> {
  const figures: Figure[] = [];
  const details: Record<string, unknown> = { edits: EDITS, intervalMs: INTERVAL_MS };
  const add = (name: string, latencies: number[]) => {
    figures.push({ case: 'cluster', figure: `${name} edit-to-seen p50`, unit: 'ms', value: quantile(latencies, 0.5) });
    figures.push({ case: 'cluster', figure: `${name} edit-to-seen p99`, unit: 'ms', value: quantile(latencies, 0.99) });
    details[`${name} samples`] = latencies.length;
  };
  const sqliteDir = tempDir('bench-cluster-sqlite-');
  const single = await spawnInstance(sqliteDir);
  try {
    add('one instance, SQLite,', await measure(syncUrl(single), syncUrl(single), readDemoTokens(sqliteDir).demo!.admin[0]!));
  } finally {
    await single.stop();
    removeDir(sqliteDir);
  }
  const pg = await startPostgres({ fsync: true });
  const pgDir = tempDir('bench-cluster-pg-');
  try {
    const databaseUrl = await pg.createDatabase('bench');
    const a = await spawnInstance(pgDir, databaseUrl);
    const b = await spawnInstance(pgDir, databaseUrl);
    try {
      const token = readDemoTokens(pgDir).demo!.admin[0]!;
      add('one instance, PostgreSQL,', await measure(syncUrl(a), syncUrl(a), token));
      add('across two instances, PostgreSQL,', await measure(syncUrl(a), syncUrl(b), token));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  } finally {
    await pg.stop();
    removeDir(pgDir);
  }
  return {
    figures,
    holdsBack: ['Figures taken on a 2-core machine shared with other sessions are noisy; compare the rows of one run.'],
    details,
  };
}
