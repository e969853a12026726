/**
 * Serving the built console and kiosk: the brotli / gzip copies made at build time (server/scripts/precompress.ts)
 * go to clients that accept them (`Vary: Accept-Encoding`), and caching follows the file names: assets whose
 * names carry a content hash never change, so browsers keep them for a year without asking again; everything
 * else (index.html, sw.js, the manifest, icons) is re-checked on every load, so a new build reaches the screen.
 * Cache lifetimes are durations: nothing here reads the clock.
 */
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** A build asset named with a content hash by the bundler: assets/<name>-<8+ chars>.<ext>. */
const HASHED_ASSET = /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/i;

export function cacheControlFor(filePath: string): string {
  return HASHED_ASSET.test(filePath.replace(/\.(?:br|gz)$/, '')) ? IMMUTABLE : REVALIDATE;
}

export function setBuildHeaders(reply: { header(k: string, v: string): unknown }, filePath: string) {
  reply.header('Cache-Control', cacheControlFor(filePath));
}

/** Serve one build folder under `prefix` (file by file, as listed at start). */
export async function serveBuild(app: FastifyInstance, root: string, prefix: string, decorateReply: boolean) {
  await app.register(fastifyStatic, {
    root,
    prefix,
    decorateReply,
    wildcard: false,
    preCompressed: true,
    // The compressed copies are served in place of their originals, never under their own names.
    globIgnore: ['**/*.br', '**/*.gz'],
    setHeaders: (res, filePath) => setBuildHeaders(res, filePath),
  });
}
