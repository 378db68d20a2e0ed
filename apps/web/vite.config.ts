import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// In development the API and Socket.IO run on the Slotcast server (`npm start`, port 3000 unless SLOTCAST_URL says
// otherwise); Vite serves the app and forwards both, so the browser sees one origin as it does in production.
const target = process.env.SLOTCAST_URL ?? 'http://127.0.0.1:3000';

export default defineConfig(({ command }) => ({
  plugins: [
    react(),
    // The app shell offline (docs/offline.md): our own service worker, src/sw/service-worker.ts, with the build's file
    // list injected. Registration is the app's (src/offline/service-worker-registration.ts), so a new version asks
    // before it takes over. The web app manifest belongs to the installable-PWA set-up and is added there.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'service-worker.ts',
      registerType: 'prompt',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,woff2}'],
        // Source maps are for debugging, not for the offline shell.
        globIgnores: ['**/*.map', '.vite/**'],
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
