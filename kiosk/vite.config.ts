import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The kiosk is served by the server at /kiosk/ on the same origin as the API (/api/v1).
// In dev, /api (HTTP and the /api/v1/live WebSocket) is proxied to the server.
export default defineConfig({
  base: '/kiosk/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    port: 5174,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false, ws: true },
    },
  },
});
