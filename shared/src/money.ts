/**
 * Money is integer fen (分) everywhere. These helpers are the only place amounts are
 * created, combined, rounded, split and formatted.
 */

/** An amount of money in integer fen. A branded number so a plain number is not silently money. */
export type Fen = number & { readonly __fen: unique symbol };

export const MAX_FEN = 1_000_000_000; // ¥10,000,000 — far beyond any single canteen amount

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) <= MAX_FEN;
}

/** Guard a number as fen; throws on floats, NaN or out-of-range values. */
export function fen(value: number): Fen {
  if (!isFen(value)) throw new MoneyError(`not an integer amount of fen: ${value}`);
  return value;
}

export const ZERO = 0 as Fen;

/** Whole yuan to fen (for literals in policies and tests: yuan(3) === 300 fen). */
export function yuan(y: number): Fen {
  return fen(roundHalfUp(y * 100));
}

export function add(...parts: number[]): Fen {
  let s = 0;
  for (const p of parts) s += fen(p);
  return fen(s);
}

export function sub(a: number, b: number): Fen {
  return fen(fen(a) - fen(b));
}

export function min(...parts: number[]): Fen {
  return fen(Math.min(...parts.map((p) => fen(p))));
}

export function max(...parts: number[]): Fen {
  return fen(Math.max(...parts.map((p) => fen(p))));
}

export function clamp(value: number, lo: number, hi: number): Fen {
  return fen(Math.min(Math.max(fen(value), fen(lo)), fen(hi)));
}

export function times(a: number, quantity: number): Fen {
  if (!Number.isSafeInteger(quantity)) throw new MoneyError(`quantity must be an integer: ${quantity}`);
  return fen(fen(a) * quantity);
}

/**
 * The one rounding function: half away from zero, to whole fen.
 * Used only where a ratio produces a fractional amount.
 */
export function roundHalfUp(value: number): number {
  if (!Number.isFinite(value)) throw new MoneyError(`cannot round ${value}`);
  // Guard against binary noise such as 2.4999999999 for what is really 2.5.
  const nudged = Math.abs(value) + 1e-9;
  return Math.sign(value) * Math.floor(nudged + 0.5);
}

/**
 * amount × numerator / denominator, rounded once, computed in integers where possible.
 * percentOf(1200, 1, 4) === 300.
 */
export function ratio(amount: number, numerator: number, denominator: number): Fen {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new MoneyError(`bad ratio ${numerator}/${denominator}`);
  }
  const a = fen(amount);
  const product = a * numerator;
  if (!Number.isSafeInteger(product)) throw new MoneyError('ratio overflow');
  const q = Math.trunc(product / denominator);
  const r = product - q * denominator;
  // half away from zero on the remainder, in integers
  if (Math.abs(r) * 2 >= denominator) return fen(q + Math.sign(product));
  return fen(q);
}

/** Basis points (1/10000): bps(1200, 2500) === 300. */
export function bps(amount: number, basisPoints: number): Fen {
  return ratio(amount, basisPoints, 10_000);
}

/**
 * Split `total` across weights with the largest-remainder method so the parts always sum to the total.
 * Ties go to the earlier weight. Weights must be non-negative integers with a positive sum
 * (or the total must be zero).
 */
export function allocate(total: number, weights: readonly number[]): Fen[] {
  const t = fen(total);
  if (weights.length === 0) throw new MoneyError('allocate needs at least one weight');
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new MoneyError(`bad weight ${w}`);
  }
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum === 0) {
    if (t === 0) return weights.map(() => ZERO);
    throw new MoneyError('cannot allocate a non-zero total over zero weights');
  }
  const sign = t < 0 ? -1 : 1;
  const abs = Math.abs(t);
  const base = weights.map((w) => Math.floor((abs * w) / sum));
  let left = abs - base.reduce((s, b) => s + b, 0);
  const order = weights.map((w, i) => ({ i, rem: (abs * w) % sum })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length) {
    base[order[k]!.i]! += 1;
    left -= 1;
  }
  return base.map((b) => fen(sign * b));
}

/**
 * Amounts for people to read: `formatYuan(1250) === '¥12.50'`, `formatYuan(12345678) === '¥123,456.78'`,
 * `formatYuan(-1200) === '-¥12.00'` (one minus form, an ASCII hyphen before the symbol). Display only.
 * `symbol: false` drops the ¥; `grouping: false` drops the thousands separators, for the text of an input that
 * `parseYuan` reads back (`parseYuan(formatYuan(x, { symbol: false, grouping: false })) === x`).
 */
export function formatYuan(amount: number, opts: { symbol?: boolean; grouping?: boolean } = {}): string {
  const a = fen(amount);
  const sign = a < 0 ? '-' : '';
  const abs = Math.abs(a);
  const whole = String(Math.floor(abs / 100));
  const yuanPart = opts.grouping === false ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fenPart = String(abs % 100).padStart(2, '0');
  return `${sign}${opts.symbol === false ? '' : '¥'}${yuanPart}.${fenPart}`;
}

/** Spoken Chinese for amounts on the kiosk: 1250 → "12元5角", 300 → "3元", 5 → "5分". */
export function speakYuanZh(amount: number): string {
  const a = fen(amount);
  const abs = Math.abs(a);
  const y = Math.floor(abs / 100);
  const j = Math.floor((abs % 100) / 10);
  const f = abs % 10;
  let s = '';
  if (y > 0) s += `${y}元`;
  if (j > 0) s += `${j}角`;
  if (f > 0) s += `${f}分`;
  if (s === '') s = '0元';
  return (a < 0 ? '负' : '') + s;
}

/**
 * Parse a yuan string typed by a person ("12", "12.5", "12.50") into fen, exactly, with no float.
 * Returns null when it is not a valid amount.
 */
export function parseYuan(text: string): Fen | null {
  const m = /^\s*(-)?(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const y = Number(m[2]);
  const f = Number((m[3] ?? '').padEnd(2, '0'));
  const v = y * 100 + f;
  return fen(m[1] ? -v : v);
}
