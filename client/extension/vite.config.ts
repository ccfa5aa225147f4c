/**
 * The Manifest V3 extension build: `vite build -c client/extension/vite.config.ts` writes an unpacked
 * extension into dist-extension/ (chrome://extensions > Load unpacked). Entries: the background
 * service worker (an ES module, fixed name background.js as the manifest says), popup.html and
 * options.html. manifest.json and the icons (the PWA's, from client/public/icons) are emitted as is.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const pwaIcons = resolve(here, '../public/icons');

/** Files copied into the extension: [source, path in dist-extension]. */
const staticFiles: [string, string][] = [
  [resolve(here, 'manifest.json'), 'manifest.json'],
  [resolve(pwaIcons, 'favicon-32.png'), 'icons/icon-32.png'],
  [resolve(pwaIcons, 'icon-192.png'), 'icons/icon-192.png'],
];

function extensionFiles(): Plugin {
  return {
    name: 'extension-files',
    generateBundle() {
      for (const [source, fileName] of staticFiles) this.emitFile({ type: 'asset', fileName, source: readFileSync(source) });
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  plugins: [extensionFiles()],
  build: {
    outDir: resolve(here, '../../dist-extension'),
    emptyOutDir: true,
    target: 'es2022',
    // No inline preload helper: extension pages forbid inline script, and the worker has no document.
    modulePreload: false,
    minify: false,
    rolldownOptions: {
      input: {
        background: resolve(here, 'background.ts'),
        popup: resolve(here, 'popup.html'),
        options: resolve(here, 'options.html'),
      },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name].js',
        assetFileNames: 'assets/[name][extname]',
      },
    },
  },
});
