/**
 * Starting the server as `npm start` does (a child process running sync-server/main.ts) and waiting
 * for its `listening on http://127.0.0.1:<port>` line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  wsUrl: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  events: EventEmitter;
}

/**
 * `via: 'tsx'` runs `tsx sync-server/main.ts` (what npm start runs); `via: 'node'` runs the same
 * file in a single node process (`node --import tsx`), so that SIGKILL reaches the server itself.
 */
export function spawnServer(options: {
  dataDir: string;
  port?: number;
  via?: 'tsx' | 'node';
  env?: Record<string, string>;
  /** How long to wait for the listening line (several processes starting at once on a busy machine take longer). */
  startTimeoutMs?: number;
}): Promise<ServerProcess> {
  const env = { ...process.env, PORT: String(options.port ?? 0), DATA_DIR: options.dataDir, QUIET: '1', ...options.env };
  const main = join(root, 'sync-server', 'main.ts');
  const child =
    options.via === 'node'
      ? spawn(process.execPath, ['--import', 'tsx', main], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(join(root, 'node_modules', '.bin', 'tsx'), [main], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const events = new EventEmitter();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The server did not print its listening line in time. Output:\n${output}`));
    }, options.startTimeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      events.emit('change');
      const match = /^listening on (http:\/\/[^\s:]+:(\d+))$/m.exec(output);
      if (match && !child.killed) {
        clearTimeout(timer);
        const url = match[1]!;
        resolve({ child, port: Number(match[2]), url, wsUrl: url.replace(/^http/, 'ws') + '/sync', output: () => output, exited, events });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (${code ?? signal}) before listening. Output:\n${output}`));
    });
  });
}
