/**
 * Dish photos: an operator uploads a JPEG, PNG or WebP of at most 2 MB as the raw request body. The bytes must
 * really be that kind of image (magic numbers), not just say so. Files are written before the database is
 * touched (nothing slow inside a write) and named by their content hash, so a retried upload is the same file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { AppError } from '@yishi/shared/schemas';

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;

const EXT: Record<PhotoType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

export function sniff(bytes: Buffer): PhotoType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

/** Check and store the photo; returns its public path under /media/. */
export function storePhoto(mediaDir: string, dishId: string, declared: string | undefined, body: unknown): string {
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new AppError('bad_request', 'send the photo as the request body (image/jpeg, image/png or image/webp)', 400, { field: 'body' });
  if (body.length > PHOTO_MAX_BYTES) throw new AppError('payload_too_large', `a photo may be at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB`, 413);
  const kind = sniff(body);
  const type = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  if (!kind || kind !== type)
    throw new AppError('bad_request', 'the file is not a JPEG, PNG or WebP image of the type it says', 400, { field: 'body', declared: type, detected: kind });
  const name = `dish-${dishId.replace(/[^A-Za-z0-9_-]/g, '')}-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.${EXT[kind]}`;
  fs.mkdirSync(mediaDir, { recursive: true });
  const file = path.join(mediaDir, name);
  if (!fs.existsSync(file)) fs.writeFileSync(file, body, { mode: 0o644 });
  return `/media/${name}`;
}
