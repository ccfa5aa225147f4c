/**
 * Helpers for the fault suite, on top of the server tests' (test/server/helpers.ts: clients, waitFor;
 * process-helpers.ts: the server as `npm start` runs it, in a child process).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { DemoTokens } from '../../sync-server/seed.ts';
import { databaseFile } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';

export const readDemoTokens = (dataDir: string): DemoTokens =>
  JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as DemoTokens;

/** What the SQLite file in dataDir holds for one account, read by a fresh connection (not the server's). */
export async function loadStoredDoc(dataDir: string, accountId: string): Promise<Y.Doc> {
  const store = openSqliteStore(databaseFile(dataDir));
  try {
    const stored = await store.docs.load(accountId);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    return doc;
  } finally {
    await store.close();
  }
}

/** Resident memory of a process in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`No VmRSS for process ${pid}.`);
  return Number(match[1]) * 1024;
}

/** Seed for a seeded test: FUZZ_SEED when set (to replay), else the given fixed one; printed either way. */
export function seedFor(name: string, fixed: number): number {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : fixed;
  console.log(`${name}: seed ${seed} (FUZZ_SEED=${seed} to replay)`);
  return seed;
}

/** Runs `tasks` with at most `limit` in flight; resolves with their results in order. */
export async function inBatches<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}
