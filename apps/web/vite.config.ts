import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { stripRouteDocs } from './build/strip-route-docs.js';

// In development the API and Socket.IO run on the Slotcast server (`npm start`, port 3000 unless SLOTCAST_URL says
// otherwise); Vite serves the app and forwards both, so the browser sees one origin as it does in production.
const target = process.env.SLOTCAST_URL ?? 'http://127.0.0.1:3000';

export default defineConfig(({ command }) => ({
  plugins: [
    react(),
    stripRouteDocs(),
    // Our own service worker, src/sw/service-worker.ts: the app shell offline (docs/offline.md) and push
    // (docs/push.md), with the build's file list injected. Registration is the app's
    // (src/offline/service-worker-registration.ts), so a new version asks before it takes over. The plugin also writes
    // manifest.webmanifest (installable PWA).
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'service-worker.ts',
      registerType: 'prompt',
      injectRegister: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,woff2}'],
        // Source maps are for debugging, not for the offline shell.
        globIgnores: ['**/*.map', '.vite/**'],
      },
      includeAssets: ['icons/*.png', 'icons/*.svg'],
      manifest: {
        id: '/',
        name: 'Slotcast',
        short_name: 'Slotcast',
        description: 'Book appointments and follow them live.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#1d4ed8',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
        shortcuts: [
          {
            name: 'My bookings',
            short_name: 'Bookings',
            url: '/bookings',
            icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
          },
        ],
      },
      devOptions: { enabled: false },
    }),
  ],
  // A build is always a production build, whatever NODE_ENV the shell has (the server's default is "development",
  // and Vitest sets "test"): otherwise React's development bundle, three times the size, would ship.
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
  server: {
    port: 5173,
    proxy: {
      '/api': { target, changeOrigin: false },
      '/socket.io': { target, ws: true, changeOrigin: false },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    manifest: true,
    // The budget is about gzipped initial JS of each role's app (see scripts/bundle-size.ts), not one chunk.
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources keep explanatory comments beside their @__PURE__ annotations; Rollup drops them, harmlessly.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
}));
