/**
 * The PWA as the current tree builds it, built once per bench run into a temporary directory (with
 * source maps, to say which modules the bytes come from) so that dist/ is left alone. The emitted
 * JavaScript is the same as `npm run build`'s apart from the trailing sourceMappingURL comment.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, ROOT, tempDir } from './processes.ts';

let built: Promise<string> | undefined;

/** BENCH_BUILD_DIR=<dir> measures an existing build (e.g. of a trial change) instead of building. */
export function buildClient(): Promise<string> {
  const given = process.env.BENCH_BUILD_DIR;
  if (given) return Promise.resolve(given);
  return (built ??= (async () => {
    const outDir = tempDir('bench-build-');
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--sourcemap', '--logLevel', 'warn'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => void (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => void (text += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(text);
        else reject(new Error(`vite build failed (${code}):\n${text}`));
      });
    });
    if (!existsSync(join(outDir, 'index.html'))) throw new Error(`vite build wrote no index.html:\n${output}`);
    return outDir;
  })());
}

/** Removes the build of this run, if there was one. */
export async function removeBuild(): Promise<void> {
  const current = built;
  built = undefined;
  const dir = await current?.catch(() => undefined);
  if (dir) removeDir(dir);
}
