// `npm start`: builds dist/ (and dist-extension/) when missing or older than the sources, then runs
// the server in this same process (tsx's loader registered here). One process: a SIGTERM or SIGINT
// sent to it — by npm, which package.json's `exec` lets pass it on, by a process manager or by a
// container runtime — reaches the server itself, which stores what is pending and exits.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['client', 'shared', 'vite.config.ts', 'package.json'];
const SKIP = new Set(['node_modules', 'dist', 'dist-extension', '.git']);

/** Newest modification time under `path`, bounded in depth and count. */
function newestMtime(path, depth = 0, budget = { files: 20_000 }) {
  if (!existsSync(path) || budget.files-- <= 0) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  if (depth > 12) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (SKIP.has(entry) || entry.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry), depth + 1, budget));
  }
  return newest;
}

function needsBuild() {
  const index = join(root, 'dist', 'index.html');
  if (!existsSync(index)) return 'dist/index.html is missing';
  const built = statSync(index).mtimeMs;
  const sources = Math.max(...SOURCES.map((source) => newestMtime(join(root, source))));
  return sources > built ? 'the sources changed since the last build' : undefined;
}

/** Runs `npm run build`; a stop signal meanwhile ends the build and this process. */
async function build(reason) {
  console.log(`Building the PWA and the extension (${reason}) …`);
  const child = spawn('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  let stoppedBy;
  const stop = (signal) => {
    stoppedBy ??= signal;
    child.kill(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  const status = await new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
  for (const signal of STOP_SIGNALS) process.off(signal, stop);
  if (stoppedBy) {
    console.log(`${stoppedBy}: stopped while building; the server was not started.`);
    process.exit(0);
  }
  if (status !== 0)
    console.error(
      existsSync(join(root, 'dist', 'index.html'))
        ? 'The build failed; serving the previous build.'
        : 'The build failed; starting without the PWA (the API and /sync still work).',
    );
}

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'];
const reason = process.env.SKIP_BUILD ? undefined : needsBuild();
if (reason) await build(reason);

// Until main.ts has put its own handlers in place there is nothing to store: a stop just exits.
const exitEarly = (signal) => {
  console.log(`${signal}: stopped before the server started.`);
  process.exit(0);
};
for (const signal of STOP_SIGNALS) process.on(signal, exitEarly);
const { register } = await import('tsx/esm/api');
register();
await import('../sync-server/main.ts');
for (const signal of STOP_SIGNALS) process.off(signal, exitEarly);
