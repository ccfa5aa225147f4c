/**
 * One server instance as a child process for the release-date test: PostgreSQL (DATABASE_URL), one
 * of several (LEASE_TTL_MS), its clock injected over IPC ({ type: 'now', iso }), its scheduler on a
 * short real timer. It reports its lease owner id, so the test knows which instance holds an account.
 */
import { tmpdir } from 'node:os';
import { createSyncServer } from '../../sync-server/server.ts';
import { openPostgresStore } from '../../sync-server/storage/postgres/index.ts';

let now = new Date(process.env.CLOCK_START ?? '2025-01-01T00:00:00Z');
const store = await openPostgresStore(process.env.DATABASE_URL!);
const server = await createSyncServer({
  port: 0,
  dataDir: tmpdir(),
  quiet: true,
  store,
  clock: { now: () => new Date(now) },
  scheduler: { maxDelayMs: 200 },
  cluster: { leaseTtlMs: Number(process.env.LEASE_TTL_MS ?? 2000) },
});
process.on('message', (message: { type: string; iso?: string }) => {
  if (message.type === 'now') now = new Date(message.iso!);
});
process.send!({ type: 'listening', url: server.url, id: server.cluster!.ownership.id });
