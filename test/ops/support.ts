/**
 * The server as an operator runs it: a real command (`npm start`, `node …`, `npm run backup …`) in
 * its own process group, its output collected, waits bounded and driven by the output (no sleeps).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

export interface Launched {
  child: ChildProcess;
  pid: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  events: EventEmitter;
  /** Resolves with the first match of `pattern` in the output; rejects after `timeoutMs` or when the process exits first. */
  waitForOutput(pattern: RegExp, what: string, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGKILL to every process left in the group (cleanup). */
  killGroup(): void;
}

/**
 * Starts `command` in its own process group (as a shell, a process manager or a container runtime
 * would), with `env` on top of this process's environment. QUIET is not set: the logs are read.
 */
export function launch(command: string, args: readonly string[], env: Record<string, string | undefined> = {}): Launched {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${command} did not start.`);
  let output = '';
  const events = new EventEmitter();
  events.setMaxListeners(50);
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    events.emit('change');
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let hasExited = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      hasExited = true;
      events.emit('change');
      resolve({ code, signal });
    }),
  );
  const waitForOutput = (pattern: RegExp, what: string, timeoutMs = 30_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output);
        if (match) return finish(() => resolve(match));
        if (hasExited) finish(() => reject(new Error(`${command} exited before ${what}. Output:\n${output}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`Timed out waiting for ${what}. Output:\n${output}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        events.off('change', check);
        settle();
      };
      events.on('change', check);
      check();
    });
  return {
    child,
    pid,
    output: () => output,
    exited,
    events,
    waitForOutput,
    killGroup: () => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* the group is gone */
      }
    },
  };
}

/** Waits for the server's `listening on http://host:port` line. */
export async function listening(launched: Launched, timeoutMs = 60_000): Promise<{ url: string; port: number; wsUrl: string }> {
  const match = await launched.waitForOutput(/^listening on (http:\/\/[^\s:]+:(\d+))$/m, 'the listening line', timeoutMs);
  const url = match[1]!;
  return { url, port: Number(match[2]), wsUrl: url.replace(/^http/, 'ws') + '/sync' };
}

/** Whether a new server could bind `port` on `host` right now. */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** Whether any process of the group led by `pgid` is still alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once no process of the group is left; rejects after `timeoutMs` naming what is left. */
export async function groupGone(pgid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) throw new Error(`Processes of group ${pgid} are still running after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The process's exit, or a rejection naming it and its output when it is still running after `timeoutMs`. */
export function exitWithin(launched: Launched, timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Still running ${timeoutMs} ms after the signal. Output:\n${launched.output()}`)), timeoutMs);
  });
  return Promise.race([launched.exited, late]).finally(() => clearTimeout(timer));
}

/** One sample of a metric (the first line whose name and labels match), or undefined. */
export function metricSample(text: string, name: string, labels = ''): number | undefined {
  const escaped = `${name}${labels}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}
