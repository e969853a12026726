/**
 * Brotli and gzip copies of a build's text files, made once at build time so the server sends them as they are
 * (@fastify/static `preCompressed`) instead of compressing on every request or not at all. Used by the console's
 * and the kiosk's vite configs (`precompress()`), and by the server's tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** Files worth compressing: text. Images and fonts are compressed already. */
export const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml|wasm)$/i;
/** Below this a compressed copy saves less than the headers around it. */
export const MIN_BYTES = 1024;

export interface CompressedFile {
  file: string;
  bytes: number;
  br: number;
  gz: number;
}

/** Write `<file>.br` and `<file>.gz` beside every compressible file of `dir` (recursively); returns what it did. */
export function precompressDir(dir: string): CompressedFile[] {
  const done: CompressedFile[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (COMPRESSIBLE.test(entry.name)) {
        const raw = fs.readFileSync(p);
        if (raw.length < MIN_BYTES) continue;
        const br = zlib.brotliCompressSync(raw, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          },
        });
        const gz = zlib.gzipSync(raw, { level: 9 });
        fs.writeFileSync(`${p}.br`, br);
        fs.writeFileSync(`${p}.gz`, gz);
        done.push({ file: path.relative(dir, p), bytes: raw.length, br: br.length, gz: gz.length });
      }
    }
  };
  walk(dir);
  return done;
}

/** Vite plugin: after the build is written (public files included), compress it. */
export function precompress(): {
  name: string;
  apply: 'build';
  enforce: 'post';
  configResolved(c: { root: string; build: { outDir: string } }): void;
  closeBundle(): void;
} {
  let outDir = '';
  return {
    name: 'yishi-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    closeBundle() {
      const files = precompressDir(outDir);
      const js = files.filter((f) => f.file.endsWith('.js'));
      const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
      console.warn(
        `precompressed ${files.length} files in ${path.basename(path.dirname(outDir))}/${path.basename(outDir)}; JavaScript ${kb(js.reduce((s, f) => s + f.bytes, 0))} → brotli ${kb(js.reduce((s, f) => s + f.br, 0))}, gzip ${kb(js.reduce((s, f) => s + f.gz, 0))}`,
      );
    },
  };
}
