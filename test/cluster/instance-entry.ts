/**
 * One server instance as a child process for the release-date test: PostgreSQL (DATABASE_URL), one
 * of several (LEASE_TTL_MS), its clock injected over IPC ({ type: 'now', iso }), its scheduler on a
 * short real timer. With KILL_MARKER set, the first process to create that file kills itself
 * (SIGKILL) right after the KILL_AFTER_COMMITS-th commit it makes once the clock has moved:
 * an instance dying in the middle of an auto-apply.
 */
import { openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createSyncServer } from '../../sync-server/server.ts';
import { openPostgresStore } from '../../sync-server/storage/postgres/index.ts';

let now = new Date(process.env.CLOCK_START ?? '2025-01-01T00:00:00Z');
let armed = false;
let commits = 0;
const killAfter = Number(process.env.KILL_AFTER_COMMITS ?? 0);

const base = await openPostgresStore(process.env.DATABASE_URL!);
const store = {
  ...base,
  docs: {
    ...base.docs,
    append: async (...args: Parameters<typeof base.docs.append>) => {
      const seq = await base.docs.append(...args);
      if (armed && killAfter > 0 && ++commits === killAfter && claimDeath()) process.kill(process.pid, 'SIGKILL');
      return seq;
    },
  },
};

function claimDeath(): boolean {
  try {
    openSync(process.env.KILL_MARKER!, 'wx');
    return true;
  } catch {
    return false;
  }
}

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
  if (message.type === 'now') {
    now = new Date(message.iso!);
    armed = true;
  }
});
process.send!({ type: 'listening', url: server.url, id: server.cluster!.ownership.id });
