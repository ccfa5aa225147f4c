/**
 * Servers under measurement run in their own process (one core of two for the server, the other for
 * the clients), started the way they are started for real and awaited by their
 * `listening on http://host:port` line. CPU time and memory are read from /proc, so the server needs
 * no measuring code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export interface Child {
  child: ChildProcess;
  pid: number;
  url: string;
  port: number;
  wsUrl: string;
  output(): string;
  /** User + system CPU seconds the process has used so far (Linux /proc). */
  cpuSeconds(): number;
  /** Resident set size in bytes (Linux /proc). */
  rssBytes(): number;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const LISTENING = /listening on (http:\/\/[^\s/]+:(\d+))/;
const TICKS_PER_SECOND = 100;

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export function procRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** Runs `node [args]` in ROOT and resolves once it prints its listening line; `cpus` pins it (`taskset -c`, which execs node: same pid). */
export function spawnListening(args: string[], env: Record<string, string>, timeoutMs = 30_000, cpus?: string): Promise<Child> {
  const options = { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[] };
  const child = cpus ? spawn('taskset', ['-c', cpus, process.execPath, ...args], options) : spawn(process.execPath, args, options);
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} did not print its listening line within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.on('data', (more: Buffer) => void (output += more.toString()));
      const url = match[1]!;
      const pid = child.pid!;
      resolvePromise({
        child,
        pid,
        url,
        port: Number(match[2]),
        wsUrl: url.replace(/^http/, 'ws'),
        output: () => output,
        cpuSeconds: () => procCpuSeconds(pid),
        rssBytes: () => procRssBytes(pid),
        stop,
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`node ${args.join(' ')} exited (${signal ?? code}) before listening:\n${output}`));
    });
  });
}

/** Our server exactly as `npm start` runs it (sync-server/main.ts: auth, rules, SQLite with fsync, demo seed), in one node process. */
export function spawnOurServer(dataDir: string, nodeArgs: string[] = [], cpus?: string): Promise<Child> {
  return spawnListening(
    [...nodeArgs, '--import', 'tsx', join(ROOT, 'sync-server', 'main.ts')],
    { PORT: '0', DATA_DIR: dataDir, QUIET: '1' },
    30_000,
    cpus,
  );
}

/** The in-memory server utilities of y-websocket 1.5.4 (bin/utils.js setupWSConnection) behind a bare http + ws server. */
export function spawnReferenceServer(nodeArgs: string[] = [], cpus?: string, persistenceDir?: string): Promise<Child> {
  // YPERSISTENCE: y-websocket's own persistence (y-leveldb; every update stored as it comes, LevelDB's default writes, no fsync).
  const env: Record<string, string> = persistenceDir ? { PORT: '0', YPERSISTENCE: persistenceDir } : { PORT: '0' };
  return spawnListening([...nodeArgs, join(ROOT, 'bench', 'fanout', 'reference-server.cjs')], env, 30_000, cpus);
}

/** Node flags that write a CPU profile of the child into `dir` when it exits; `readCpuProfile` reads it. */
export const cpuProfileArgs = (dir: string) => ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '500'];

type CpuProfileJson = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
};

/** The profiles a child wrote: its main thread's and its worker threads' (named CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile). */
export function readCpuProfiles(dir: string): { main: CpuProfileJson | undefined; workers: CpuProfileJson[] } {
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  const thread = (name: string) => Number(name.split('.')[4]);
  const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as CpuProfileJson;
  const main = files.find((name) => thread(name) === 0);
  return { main: main ? read(main) : undefined, workers: files.filter((name) => thread(name) !== 0).map(read) };
}

export interface DemoTokens {
  [accountId: string]: { admin: string[]; viewer: string[]; managed: Record<string, string[]> };
}

export function readDemoTokens(dataDir: string): DemoTokens {
  return JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as DemoTokens;
}
