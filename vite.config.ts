import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';

// The PWA build. Tests are configured in vitest.config.ts, without the Solid plugin.
export default defineConfig({
  root: 'client',
  publicDir: 'public',
  plugins: [
    solid(),
    VitePWA({
      // The page shows "A new version is available — Reload" and the person decides when.
      registerType: 'prompt',
      // Registered from the UI (virtual:pwa-register/solid), not by an injected script.
      injectRegister: false,
      strategies: 'generateSW',
      includeAssets: ['icons/favicon-32.png', 'icons/apple-touch-icon-180.png'],
      manifest: {
        name: 'Integration Packs',
        short_name: 'Int. Packs',
        description: 'Manage > Integration Packs: add, edit, release and re-release integration packs, online or offline.',
        id: '/',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#1f4e79',
        background_color: '#f5f7fa',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell: every built asset, so a reload with no network works.
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        navigateFallback: 'index.html',
        // The sync socket and the HTTP API are never answered by the shell.
        navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/sync(\/|$)/],
        cleanupOutdatedCaches: true,
        // The first install takes control of the open page, so a later update can reload it. No
        // skipWaiting: a new version waits until the person chooses Reload.
        clientsClaim: true,
      },
    }),
  ],
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  server: { port: 5173 },
});
