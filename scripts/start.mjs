// `npm start`: builds dist/ (and dist-extension/) when missing or older than the sources, then runs
// the server with tsx, passing the environment through and forwarding SIGTERM/SIGINT to it.
import { spawn, spawnSync } from 'node:child_process';
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

const reason = process.env.SKIP_BUILD ? undefined : needsBuild();
if (reason) {
  console.log(`Building the PWA and the extension (${reason}) …`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  if (build.status !== 0)
    console.error(
      existsSync(join(root, 'dist', 'index.html'))
        ? 'The build failed; serving the previous build.'
        : 'The build failed; starting without the PWA (the API and /sync still work).',
    );
}

const tsx = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
const child = spawn(tsx, [join(root, 'sync-server', 'main.ts')], { cwd: root, stdio: 'inherit', env: process.env });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
