import { describe, expect, it } from 'vitest';
import { ApiError, isRetryable, NetworkError, parseRetryAfter } from './api';

describe('api errors', () => {
  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.parse('2026-11-23T04:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 04:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 03:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
  it('retries what decided nothing: no answer, our 5xx, busy (429/503); never a definitive refusal', () => {
    expect(isRetryable(new NetworkError('x'))).toBe(true);
    expect(isRetryable(new ApiError('internal', 'x', 500))).toBe(true);
    expect(isRetryable(new ApiError('rate_limited', 'x', 429))).toBe(true);
    expect(isRetryable(new ApiError('conflict', 'x', 503))).toBe(true);
    expect(isRetryable(new ApiError('sold_out', 'x', 409))).toBe(false);
    expect(isRetryable(new ApiError('insufficient_balance', 'x', 409))).toBe(false);
  });
});
