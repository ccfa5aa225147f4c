import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// The PWA build. Tests are configured in vitest.config.ts, without the Solid plugin.
export default defineConfig({
  root: 'client',
  publicDir: 'public',
  plugins: [solid()],
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  server: { port: 5173 },
});
