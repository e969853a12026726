import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
// Brotli and gzip copies of the build, served as they are by the server (see server/src/plugins/static.ts).
import { precompress } from '../server/scripts/precompress.ts';

// The kiosk is served by the server at /kiosk/ on the same origin as the API (/api/v1).
// In dev, /api (HTTP and the /api/v1/live WebSocket) is proxied to the server.
export default defineConfig({
  base: '/kiosk/',
  plugins: [react(), precompress()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    port: 5174,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false, ws: true },
    },
  },
});
