/**
 * Secrets handling: password / PIN / credential hashing, keyed lookup hashes and
 * field encryption for personal data (ID numbers, phones).
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

const SCRYPT_N = 16384;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const KEYLEN = 32;

function scryptAsync(secret: string, salt: Buffer, n = SCRYPT_N): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEYLEN, { N: n, r: SCRYPT_R, p: SCRYPT_P, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** scrypt (memory-hard) password hash: `scrypt$N$salt$hash`. */
export async function hashSecret(secret: string, n = SCRYPT_N): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, n);
  return `scrypt$${n}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [alg, nText, saltB64, keyB64] = stored.split('$');
  if (alg !== 'scrypt' || !nText || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scryptAsync(secret, Buffer.from(saltB64, 'base64'), Number(nText));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

const dummies = new Map<number, Promise<string>>();

/**
 * The hash of a random secret nobody knows, at cost `n` (made once per cost): what a secret is compared with when
 * there is no real hash (an unknown user name or phone), so that "nobody by that name" costs the same time as
 * "wrong secret" and answers the same.
 */
export function dummyHash(n = SCRYPT_N): Promise<string> {
  let h = dummies.get(n);
  if (!h) dummies.set(n, (h = hashSecret(randomBytes(24).toString('base64'), n)));
  return h;
}

/** A random bearer token (cookie / device credential). Only its SHA-256 is stored. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A numeric code of `digits` digits, uniformly random. */
export function numericCode(digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += String(randomInt(0, 10));
  return s;
}

export class FieldCrypto {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;
  private readonly kioskKeyRoot: Buffer;

  constructor(secret: Buffer) {
    if (secret.length < 32) throw new Error('secret must be at least 32 bytes');
    this.encKey = createHmac('sha256', secret).update('yishi:enc').digest();
    this.macKey = createHmac('sha256', secret).update('yishi:mac').digest();
    this.kioskKeyRoot = createHmac('sha256', secret).update('yishi:kiosk-offline').digest();
  }

  /**
   * A kiosk's own key for the keyed hashes in its offline cache (32 bytes), derived from the server secret, the
   * device id and the key id: nothing is stored, the server can make it again to check an offline order, and
   * another kiosk's key tells nothing about this one's (a stolen kiosk exposes only its own).
   */
  kioskKey(deviceId: string, keyId: string): Buffer {
    return createHmac('sha256', this.kioskKeyRoot).update(`${deviceId}:${keyId}`).digest();
  }

  /** Keyed hash for lookup of a normalised value (ID number, phone, card number). */
  lookupHash(kind: string, value: string): string {
    return createHmac('sha256', this.macKey).update(`${kind}:${value}`).digest('hex');
  }

  /** AES-256-GCM; output `v1.iv.tag.ciphertext` in base64url. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  decrypt(box: string): string {
    const [v, iv, tag, ct] = box.split('.');
    if (v !== 'v1' || !iv || !tag || !ct) throw new Error('not an encrypted field');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /**
   * HMAC signature for short-lived tokens the server hands out and later takes back: kiosk resident tickets,
   * quotes. The purpose is signed too, so a token of one kind never passes as another.
   */
  sign(payload: string, purpose: 'ticket' | 'quote' = 'ticket'): string {
    return createHmac('sha256', this.macKey).update(`${purpose}:${payload}`).digest('base64url');
  }

  verify(payload: string, signature: string, purpose: 'ticket' | 'quote' = 'ticket'): boolean {
    const expected = Buffer.from(this.sign(payload, purpose));
    const got = Buffer.from(signature);
    return expected.length === got.length && timingSafeEqual(expected, got);
  }
}

/**
 * base64url(HMAC-SHA-256(key, `${kind}:${value}`)): the credential hash a kiosk computes offline
 * (kiosk/src/offlineCache.ts). For phone + PIN the value is `phone:pin` (phonePinValue).
 */
export function kioskCredentialHash(key: Buffer, kind: 'card' | 'qr' | 'phone_pin', normalisedValue: string): string {
  return createHmac('sha256', key).update(`${kind}:${normalisedValue}`).digest('base64url');
}

/** A card number or QR token as it is hashed (the kiosk normalises the same way): a card trimmed and upper-cased, a QR token trimmed. */
export function normaliseCredential(kind: 'card' | 'qr', value: string): string {
  return kind === 'card' ? value.trim().toUpperCase() : value.trim();
}

/** Phone + PIN as one hashed value, `13800138000:246810` (the kiosk joins them the same way). */
export function phonePinValue(phone: string, pin: string): string {
  return `${phone.trim()}:${pin.trim()}`;
}

/**
 * The id of the key a kiosk's offline cache hashes with: a new one each UTC day (`d20261202`), so every refresh
 * on a new day replaces the key and all hashes made with it. The key itself is FieldCrypto.kioskKey(device, id).
 */
export function offlineKeyIdOn(now: Date): string {
  return `d${now.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** The UTC day a key id names (null: not a key id this server makes). */
export function offlineKeyDay(keyId: string): number | null {
  const m = /^d(\d{4})(\d{2})(\d{2})$/.exec(keyId);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(t) || offlineKeyIdOn(new Date(t)) !== keyId ? null : t;
}

export function maskIdNumber(last4: string): string {
  return `**************${last4}`;
}

export function maskPhone(last4: string | null): string | null {
  return last4 ? `*******${last4}` : null;
}
