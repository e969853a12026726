/**
 * A body of a type a route does not take (no Content-Type at all, XML, an SVG for a dish photo) is 415 with a
 * message that says which type came and what to send, and `details.field` naming the header, like every other
 * refusal that points at what was wrong (it said only "Unsupported Media Type").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeApp, ORIGIN, type TestApp } from './helpers';

let t: TestApp;
let cookie: string;

beforeAll(async () => {
  t = await makeApp();
  cookie = await login(t.app, 'yikang');
});
afterAll(async () => t?.close());

describe('a body of the wrong media type', () => {
  it('is 415 naming the Content-Type that came and the one to send', async () => {
    const cases: [string, string, string | undefined, RegExp][] = [
      ['POST', '/api/v1/wallet/topups', 'application/xml', /application\/xml.*application\/json/],
      ['POST', '/api/v1/orders', undefined, /no Content-Type.*application\/json/],
      ['PUT', '/api/v1/dishes/ct-shipai-huashi__paigu/photo', 'image/svg+xml', /image\/svg\+xml.*image\/jpeg, image\/png, image\/webp/],
    ];
    for (const [method, url, type, message] of cases) {
      const res = await t.app.inject({
        method: method as 'POST' | 'PUT',
        url,
        payload: '<x/>',
        headers: { cookie, origin: ORIGIN, ...(type ? { 'content-type': type } : {}) },
      });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(415);
      const error = res.json().error;
      expect(error.code).toBe('bad_request');
      expect(error.message).toMatch(message);
      expect(error.details).toEqual({ field: 'content-type' });
    }
  });
});
