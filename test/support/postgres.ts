/**
 * A real PostgreSQL server for tests: Debian's binaries (/usr/lib/postgresql/<version>/bin, or
 * PG_BIN), a cluster made by initdb in a temporary directory, listening on a free loopback port with
 * its unix socket in that directory, stopped and removed by stop(). initdb refuses to run as root,
 * so as root every step runs as the `postgres` user. Each test file gets its own database
 * (createDatabase), so files run in parallel on one server.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** The binaries' directory (pg_dump, psql …). */
  bin: string;
  /** A fresh, empty database; resolves with its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

export function findPostgresBin(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

const asRoot = () => process.getuid?.() === 0;

/**
 * As root, the binaries run as the postgres user. Node switches the user itself (spawn's uid/gid)
 * rather than through runuser, so the child is postgres itself and stop()'s signal reaches it
 * (runuser does not pass SIGQUIT on: the server would outlive the test run).
 */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (!asRoot()) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(options: { fsync?: boolean } = {}): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install postgresql (or set PG_BIN to the directory of its binaries).');
  const dir = mkdtempSync(join(tmpdir(), 'ip-pg-'));
  if (asRoot()) execFileSync('chown', ['postgres:', dir]);
  const data = join(dir, 'data');
  const user = postgresUser();
  execFileSync(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'], {
    stdio: 'pipe',
    cwd: dir,
    ...user,
  });

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const settings = [
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `fsync=${options.fsync ? 'on' : 'off'}`,
      '-c',
      'max_connections=300',
      '-c',
      'shared_buffers=32MB',
    ];
    const child = spawn(join(bin, 'postgres'), ['-D', data, ...settings], { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir, ...user });
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const ready = await waitReady(url, exited);
    if (!ready) {
      if (attempt < 3 && /could not bind|Address already in use/.test(log)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`PostgreSQL did not start:\n${log}`);
    }
    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      bin,
      createDatabase: async (name = `t_${Math.random().toString(36).slice(2, 10)}`) => {
        const admin = postgres(url, { max: 1, onnotice: () => {} });
        try {
          await admin.unsafe(`CREATE DATABASE "${name}"`);
        } finally {
          await admin.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      stop: () =>
        (stopping ??= (async () => {
          child.kill('SIGQUIT'); // immediate shutdown: nothing here needs to survive
          const stuck = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(stuck);
          if (asRoot()) chownSync(dir, 0, 0);
          rmSync(dir, { recursive: true, force: true });
        })()),
    };
  }
}

/** Polls until the server answers (a bounded number of tries) or its process exits. */
async function waitReady(url: string, exited: Promise<void>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 200 && !gone; i++) {
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`SELECT 1`;
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {});
    }
  }
  return false;
}
