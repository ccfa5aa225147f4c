/**
 * A full disk and a DATA_DIR that turns read-only, for real (root writes through chmod, not through a
 * full or read-only file system), against the server as npm start runs it (a child process):
 *   - disk full: DATA_DIR is a small tmpfs, filled to the last byte while the server runs;
 *   - read-only: DATA_DIR is ext4 on a loop device mounted errors=remount-ro, and a file-system error
 *     is triggered (/sys/fs/ext4/<dev>/trigger_fs_error): the kernel turns it read-only under the
 *     running server, as after a disk fault. It is repaired (e2fsck) and mounted again before a restart.
 * Each time, the next edit is refused with a clear error (the sender is told STORAGE_FAILED, the
 * server logs why), reaches no other client, the server keeps serving what it stored, and nothing
 * stored before is lost; once the disk is fixed, the sender's refused edit (kept on its device) is
 * sent again and stored. Restarted on the read-only DATA_DIR, the server either refuses to start,
 * naming DATA_DIR (no WAL files to read from), or serves what it stored and refuses writes again.
 * Where this process may not mount (not root, no loop devices) the tests are skipped, naming why;
 * test/server/lifecycle.test.ts covers the same path with a store whose appends fail.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readPack, writeNewPack } from '../../shared/index.ts';
import { connectClient, covers, synced, waitFor, type TestClient } from '../server/helpers.ts';
import { spawnServer, type ServerProcess } from '../server/process-helpers.ts';
import { loadStoredDoc, readDemoTokens } from './support.ts';

const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: 'pipe' }).toString();
const firstLine = (error: unknown) => String((error as Error).message).split('\n')[0];

const unmounts: (() => void)[] = [];
afterAll(() => {
  for (const unmount of unmounts.splice(0).reverse())
    try {
      unmount();
    } catch (error) {
      console.warn(`cleanup: ${firstLine(error)}`);
    }
});

/** A small tmpfs at a new temp dir, or why there cannot be one. */
function tmpfs(size: string): { dir: string } | { reason: string } {
  if (process.platform !== 'linux') return { reason: 'not Linux' };
  const dir = mkdtempSync(join(tmpdir(), 'ip-fault-full-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { reason: `cannot mount a tmpfs (${firstLine(error)})` };
  }
  unmounts.push(() => {
    run('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir };
}

/** ext4 on a loop device, mounted errors=remount-ro, with the sysfs switch that raises a file-system error. */
interface Ext4 {
  dir: string;
  image: string;
  /** The kernel turns the file system read-only, as after an I/O error. */
  fail(): void;
  /** Unmounts, repairs and mounts again (the server must be stopped). */
  repair(): void;
}
function ext4(): Ext4 | { reason: string } {
  if (process.platform !== 'linux') return { reason: 'not Linux' };
  const image = join(mkdtempSync(join(tmpdir(), 'ip-fault-ro-img-')), 'disk.img');
  const dir = mkdtempSync(join(tmpdir(), 'ip-fault-ro-'));
  const mount = () => run('mount', ['-o', 'loop,errors=remount-ro', image, dir]);
  try {
    run('truncate', ['-s', '48M', image]);
    run('mkfs.ext4', ['-q', '-F', image]);
    mount();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { reason: `cannot mount ext4 on a loop device (${firstLine(error)})` };
  }
  unmounts.push(() => {
    if (run('mount', []).includes(` ${dir} `)) run('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(image, '..'), { recursive: true, force: true });
  });
  const source = run('findmnt', ['-n', '-o', 'SOURCE', dir]).trim(); // /dev/loopN
  const trigger = `/sys/fs/ext4/${source.replace('/dev/', '')}/trigger_fs_error`;
  if (!existsSync(trigger)) return { reason: `this kernel has no ${trigger}` };
  return {
    dir,
    image,
    fail: () => run('sh', ['-c', `echo 'bench: simulated disk fault' > ${trigger}`]),
    repair: () => {
      run('umount', [dir]);
      try {
        run('e2fsck', ['-f', '-y', image]);
      } catch {
        // e2fsck exits 1 when it fixed something: that is what it is for here.
      }
      mount();
    },
  };
}

const pack = (id: string) => ({
  id,
  name: `Disk ${id}`,
  description: '',
  installationType: 'SINGLE' as const,
  componentIds: [],
  createdAt: new Date(0).toISOString(),
  createdBy: 'disk',
});

interface Rig {
  server: ServerProcess;
  tokens: ReturnType<typeof readDemoTokens>;
  writer: TestClient;
  observer: TestClient;
  clients: TestClient[];
}

async function startRig(dataDir: string): Promise<Rig> {
  const server = await spawnServer({ dataDir, via: 'node' });
  const tokens = readDemoTokens(dataDir);
  const writer = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.admin[0]!, proto: true });
  const observer = connectClient({ wsUrl: server.wsUrl, accountId: 'demo', token: tokens.demo!.admin[1]!, proto: true });
  await Promise.all([synced(writer), synced(observer)]);
  return { server, tokens, writer, observer, clients: [writer, observer] };
}

async function stopRig(rig: Rig | undefined): Promise<void> {
  if (!rig) return;
  for (const client of rig.clients) client.destroy();
  rig.server.child.kill('SIGKILL');
  await rig.server.exited;
}

/** Writes a pack and waits until the server reports it stored and the observer has it. */
async function storedEverywhere(rig: Rig, id: string): Promise<void> {
  writeNewPack(rig.writer.doc, pack(id));
  const mine = Y.encodeStateVector(rig.writer.doc);
  await waitFor(
    rig.clients,
    () => rig.writer.stored.some((sv) => covers(sv, mine)) && readPack(rig.observer.doc, id) !== undefined,
    `${id} stored and seen`,
    15_000,
  );
}

/** The next edit is refused: the sender is told, the room closes its sockets (1013), the server logs why, the observer never gets it. */
async function refused(rig: Rig, id: string, why: RegExp): Promise<void> {
  const { writer, observer, server } = rig;
  const notices = writer.notices.length;
  const closes = observer.closes.length;
  const logged = server.output().length;
  writeNewPack(writer.doc, pack(id));
  await waitFor(
    [writer, observer],
    () =>
      writer.notices.slice(notices).some((n) => n.code === 'STORAGE_FAILED') && observer.closes.slice(closes).some((c) => c.code === 1013),
    `${id} refused`,
    15_000,
  );
  expect(writer.notices.slice(notices).find((n) => n.code === 'STORAGE_FAILED')?.message).toMatch(/could not store/);
  await waitFor([server], () => why.test(server.output().slice(logged)), `the server logs why (${why})`, 10_000);
  expect(readPack(observer.doc, id)).toBeUndefined();
  expect(server.child.exitCode).toBeNull();
}

/** A new client is served what was stored, without the refused edit. */
async function servedFromStore(rig: Rig, present: string[], absent: string): Promise<void> {
  const reader = connectClient({ wsUrl: rig.server.wsUrl, accountId: 'demo', token: rig.tokens.demo!.viewer[0]! });
  try {
    await synced(reader);
    for (const id of present) expect(readPack(reader.doc, id)?.id).toBe(id);
    expect(readPack(reader.doc, absent)).toBeUndefined();
  } finally {
    reader.destroy();
  }
}

function fillDisk(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(256 * 1024, 7);
  let written = 0;
  try {
    for (let i = 0; i < 4096; i++) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  for (let size = 4096; size >= 1; size = Math.floor(size / 2))
    try {
      for (let i = 0; i < 64; i++) written += writeSync(fd, chunk, 0, size);
    } catch {
      /* no room for this size: try a smaller one */
    }
  closeSync(fd);
  return written;
}

const full = tmpfs('24m');
describe.skipIf('reason' in full)(`disk full${'reason' in full ? ` (skipped: ${full.reason})` : ''}`, () => {
  test('the next write is refused with a clear error, reaches no one, loses nothing stored; with space back it is stored', async () => {
    const dataDir = (full as { dir: string }).dir;
    const rig = await startRig(dataDir);
    try {
      for (const id of ['full-1', 'full-2', 'full-3']) await storedEverywhere(rig, id);
      const filler = join(dataDir, 'filler.bin');
      const filled = fillDisk(filler);
      expect(statfsSync(dataDir).bavail, `filled ${filled} bytes`).toBe(0);

      await refused(rig, 'full-4', /disk is full|SQLITE_FULL|ENOSPC/i);
      const onDisk = await loadStoredDoc(dataDir, 'demo');
      expect(['full-1', 'full-2', 'full-3'].map((id) => readPack(onDisk, id)?.id)).toEqual(['full-1', 'full-2', 'full-3']);
      expect(readPack(onDisk, 'full-4')).toBeUndefined();
      await servedFromStore(rig, ['full-1', 'full-2', 'full-3'], 'full-4');
      // HTTP writes are refused too, with an error body; reads of another account still work.
      const publish = await fetch(`${rig.server.url}/api/accounts/demo/components`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${rig.tokens.demo!.admin[0]!}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'On a full disk', type: 'PROCESS' }),
      });
      expect(publish.status).toBeGreaterThanOrEqual(500);
      expect(await publish.json()).toHaveProperty('error.message');
      const summary = await fetch(`${rig.server.url}/api/accounts/acme/summary`, {
        headers: { Authorization: `Bearer ${rig.tokens.acme!.viewer[0]!}` },
      });
      expect(summary.status).toBe(200);

      unlinkSync(filler);
      await waitFor(
        rig.clients,
        () => readPack(rig.observer.doc, 'full-4') !== undefined,
        'the refused edit arrives once there is space',
        30_000,
      );
      expect(readPack(await loadStoredDoc(dataDir, 'demo'), 'full-4')).toBeDefined();
    } finally {
      await stopRig(rig);
    }
  });
});

const disk = ext4();
describe.skipIf('reason' in disk)(`DATA_DIR turns read-only${'reason' in disk ? ` (skipped: ${disk.reason})` : ''}`, () => {
  test('the next write is refused, nothing stored is lost, a restart as it is refuses writes too; repaired, the edit is stored', async () => {
    const { dir: dataDir, fail, repair } = disk as Ext4;
    let rig: Rig | undefined = await startRig(dataDir);
    const writerDoc = rig.writer.doc;
    try {
      for (const id of ['ro-1', 'ro-2']) await storedEverywhere(rig, id);
      fail();
      expect(run('findmnt', ['-n', '-o', 'OPTIONS', dataDir])).toMatch(/(^|,)ro(,|$)|emergency_ro/);
      await refused(rig, 'ro-3', /readonly|read-only|SQLITE_READONLY|SQLITE_IOERR|disk I\/O|EROFS/i);
      await servedFromStore(rig, ['ro-1', 'ro-2'], 'ro-3');

      // The operator restarts it as it is. It either refuses to start, naming DATA_DIR, or (SQLite
      // finds its WAL files) serves what is stored and refuses the writer's edit again.
      const port = rig.server.port;
      rig.observer.destroy();
      rig.writer.provider.disconnect(); // the writer keeps its document (and ro-3) for later
      rig.server.child.kill('SIGTERM');
      await rig.server.exited;
      const readOnly = await spawnServer({ dataDir, port, via: 'node' }).then(
        (server) => server,
        (error: Error) => error.message,
      );
      if (typeof readOnly === 'string') expect(readOnly).toMatch(/DATA_DIR|read-only|readonly|writable/i);
      else {
        const restarted: Rig = { ...rig, server: readOnly, clients: [rig.writer] };
        try {
          await servedFromStore(restarted, ['ro-1', 'ro-2'], 'ro-3');
          const notices = rig.writer.notices.length;
          rig.writer.provider.connect();
          await waitFor(
            [rig.writer],
            () => rig!.writer.notices.slice(notices).some((n) => n.code === 'STORAGE_FAILED'),
            'the edit is refused again',
            15_000,
          );
          rig.writer.provider.disconnect();
        } finally {
          readOnly.child.kill('SIGKILL');
          await readOnly.exited;
        }
      }

      // Repaired and mounted again: everything stored is there, and the writer's refused edit arrives.
      repair();
      expect(readdirSync(dataDir)).toContain('sync.db');
      const server = await spawnServer({ dataDir, port, via: 'node' });
      rig = { ...rig, server, observer: rig.writer, clients: [rig.writer] };
      rig.writer.provider.connect();
      const mine = Y.encodeStateVector(writerDoc);
      await waitFor([rig.writer], () => rig!.writer.stored.some((sv) => covers(sv, mine)), 'ro-3 stored after the repair', 30_000);
      const onDisk = await loadStoredDoc(dataDir, 'demo');
      for (const id of ['ro-1', 'ro-2', 'ro-3']) expect(readPack(onDisk, id)?.id).toBe(id);
    } finally {
      await stopRig(rig);
    }
  });
});
