import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
// Brotli and gzip copies of the build, served as they are by the server (see server/src/plugins/static.ts).
import { precompress } from '../server/scripts/precompress.ts';

/** The start screen's JavaScript, compressed, must stay under this (issue 13: 150 KB). */
const FIRST_LOAD_BUDGET_BYTES = 150 * 1024;

const gzip = (b: Buffer) => zlib.gzipSync(b, { level: 9 }).length;
const brotli = (b: Buffer) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/**
 * What the start screen loads: the entry chunk and the chunks it imports statically (Vite preloads those), not
 * the lazily loaded screens. Prints raw / gzip / brotli sizes and fails the build above the budget.
 */
function firstLoadBudget(): Plugin {
  return {
    name: 'yishi-first-load-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      if (!entry || entry.type !== 'chunk') return;
      const seen = new Set<string>();
      const walk = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        const c = bundle[file];
        if (c?.type === 'chunk') c.imports.forEach(walk);
      };
      walk(entry.fileName);
      let raw = 0;
      let gz = 0;
      let br = 0;
      for (const f of seen) {
        const c = bundle[f];
        if (c?.type !== 'chunk') continue;
        const b = Buffer.from(c.code);
        raw += b.length;
        gz += gzip(b);
        br += brotli(b);
      }
      const line = `kiosk first load (start screen JS, ${seen.size} file${seen.size === 1 ? '' : 's'}): ${kb(raw)} raw, ${kb(gz)} gzip, ${kb(br)} brotli (budget ${kb(FIRST_LOAD_BUDGET_BYTES)} compressed)`;
      this.info(line);
      if (gz > FIRST_LOAD_BUDGET_BYTES) this.error(`${line}: over budget`);
    },
  };
}

const outDir = path.resolve(import.meta.dirname, 'dist');

// The kiosk is served by the server at /kiosk/ on the same origin as the API (/api/v1).
// In dev, /api (HTTP and the /api/v1/live WebSocket) is proxied to the server.
export default defineConfig({
  base: '/kiosk/',
  plugins: [
    react(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      // Registered by src/pwa.ts with workbox-window; the manifest is public/manifest.webmanifest.
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        globIgnores: ['**/*.map', 'sw.js'],
      },
      devOptions: { enabled: false },
    }),
    firstLoadBudget(),
    precompress(),
  ],
  build: { outDir, emptyOutDir: true, sourcemap: true },
  server: {
    port: 5174,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false, ws: true },
    },
  },
});
