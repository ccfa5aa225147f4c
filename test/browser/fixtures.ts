/**
 * Browser-test fixtures: our real server (sync-server/main.ts) in a child process, on a free port,
 * with a fresh DATA_DIR, serving the built dist/. Use `test` and `expect` from here instead of
 * '@playwright/test':
 *
 *   import { expect, test } from './fixtures.ts';
 *   test('…', async ({ page, server }) => {
 *     const token = server.tokens[accountId]!.admin[0]!;
 *     await page.goto('/');                        // baseURL is the server's URL
 *   });
 *
 * `server` is worker-scoped: the tests of one worker share one server (and its data). A test that
 * needs its own server, or a restart on the same data, calls `startServer()` itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect } from '@playwright/test';

const ROOT = resolve(import.meta.dirname, '../..');
/** The line sync-server/main.ts prints once it accepts connections. */
const LISTENING = /listening on (https?:\/\/[^\s/]+)/i;
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

/** DATA_DIR/demo-tokens.json: accountId → tokens per role (managed: per managed account). */
export type DemoTokens = Record<string, { admin: string[]; viewer: string[]; managed: Record<string, string[]> }>;

export interface RunningServer {
  /** http://127.0.0.1:<port> */
  baseURL: string;
  port: number;
  dataDir: string;
  tokens: DemoTokens;
  /** Everything the server printed so far (stdout and stderr), for diagnosing a failure. */
  output(): string;
  /** SIGTERM, then SIGKILL after a bound; removes the data dir unless it was given or `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface StartOptions {
  /** Reuse a data dir (e.g. to restart on the same data); it is then never removed by stop(). */
  dataDir?: string;
  env?: Record<string, string>;
  /** The server's entry module, relative to the repository root. */
  entry?: string;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) throw new Error('dist/ is not built: run `npm run build` first (npm test does).');
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ip-browser-'));
  // One node process (tsx as a loader, not the tsx CLI, which would fork a second process that a
  // SIGKILL of the first would orphan).
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'sync-server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'test', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => void (output += chunk.toString('utf8'));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const stop = async ({ keepData = false } = {}) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if ((await within(exited(child), STOP_GRACE_MS)) === 'timeout') {
        child.kill('SIGKILL');
        await within(exited(child), STOP_GRACE_MS);
      }
    }
    if (ownsDataDir && !keepData) rmSync(dataDir, { recursive: true, force: true });
  };

  const listening = new Promise<string>((found, failed) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const match = LISTENING.exec(buffered);
      if (match) found(match[1]!);
    });
    child.once('exit', (code, signal) => failed(new Error(`The server exited (${signal ?? `code ${code}`}) before listening.\n${output}`)));
    child.once('error', (error) => failed(new Error(`The server could not start: ${error.message}`)));
  });
  const baseURL = await within(listening, START_TIMEOUT_MS).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  if (baseURL === 'timeout') {
    await stop();
    throw new Error(`The server did not print "listening on http://…" within ${START_TIMEOUT_MS} ms.\n${output}`);
  }

  const tokensFile = join(dataDir, 'demo-tokens.json');
  let tokens: DemoTokens;
  try {
    tokens = JSON.parse(readFileSync(tokensFile, 'utf8')) as DemoTokens;
  } catch (error) {
    await stop();
    throw new Error(`The server listens but ${tokensFile} is not readable JSON: ${(error as Error).message}\n${output}`);
  }
  return { baseURL, port: Number(new URL(baseURL).port), dataDir, tokens, output: () => output, stop };
}

export const test = base.extend<{ server: RunningServer }, { workerServer: RunningServer }>({
  workerServer: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's first parameter as a destructuring pattern.
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: START_TIMEOUT_MS + 2 * STOP_GRACE_MS + 5_000 },
  ],
  server: async ({ workerServer }, use) => use(workerServer),
  baseURL: async ({ workerServer }, use) => use(workerServer.baseURL),
});

export { expect };
