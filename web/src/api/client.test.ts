import { Order, OrderPage, TopupRequest, WalletView } from '@yishi/shared/schemas';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiError, buildUrl, call, ContractError, http, onAuthError, splitPath } from './client';

const fetchMock = vi.fn<typeof fetch>();
let logged: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.unstubAllGlobals();
  logged.mockRestore();
});

const reply = (status: number, body: unknown) =>
  fetchMock.mockResolvedValueOnce(new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

const wallet = { residentId: 'r1', balanceFen: 1250, entries: [], closed: false, payout: null };

describe('the typed client', () => {
  it('returns the answer as its schema parses it (undeclared fields are not passed on)', async () => {
    reply(200, { ...wallet, secret: 'x' });
    const w = await http.get('/residents/r1/wallet', WalletView);
    expect(w).toEqual(wallet);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/residents/r1/wallet');
    expect(init?.method).toBe('GET');
    expect(init?.credentials).toBe('same-origin');
  });

  it('refuses an answer outside its contract with a ContractError that says where, never a cast', async () => {
    reply(200, { ...wallet, balanceFen: '12.50' });
    const err = await http.get('/residents/r1/wallet', WalletView).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect(err).toBeInstanceOf(ApiError);
    const c = err as ContractError;
    expect(c.code).toBe('internal');
    expect(c.message).toContain('balanceFen');
    expect((c.details.contract as { path: string }).path).toBe('/residents/r1/wallet');
    expect(logged).toHaveBeenCalledOnce();
  });

  it('treats an empty 200 as a broken contract when the schema wants a body', async () => {
    reply(200, undefined);
    await expect(http.get('/orders', OrderPage)).rejects.toBeInstanceOf(ContractError);
  });

  it('turns the error body into an ApiError with its stable code and details', async () => {
    reply(409, { error: { code: 'conflict', message: 'already registered', details: { field: 'idNumber' } } });
    const err = (await http.get('/x', z.object({})).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.code).toBe('conflict');
    expect(err.issues).toEqual([{ path: ['idNumber'], message: 'already registered' }]);
  });

  it('reads schema issues as paths (dot strings, a leading body dropped)', async () => {
    reply(400, {
      error: {
        code: 'bad_request',
        message: 'body.categories.0.evidence: too short',
        details: { issues: [{ in: 'body', path: 'categories.0.evidence', message: 'too short' }] },
      },
    });
    const err = (await http.get('/x', z.object({})).catch((e: unknown) => e)) as ApiError;
    expect(err.issues).toEqual([{ path: ['categories', 0, 'evidence'], message: 'too short' }]);
    expect(splitPath('body.priceFen')).toEqual(['priceFen']);
  });

  it('falls back on the HTTP status when the body is not ours (a proxy page, an unknown code)', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const a = (await http.get('/x', z.object({})).catch((e: unknown) => e)) as ApiError;
    expect([a.code, a.status]).toEqual(['internal', 502]);
    reply(409, { error: { code: 'brand_new_code', message: 'newer server' } });
    const b = (await http.get('/x', z.object({})).catch((e: unknown) => e)) as ApiError;
    expect([b.code, b.message]).toEqual(['conflict', 'newer server']);
  });

  it('a dropped network is status 0, told apart from an answer', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const err = (await http.get('/x', z.object({})).catch((e: unknown) => e)) as ApiError;
    expect(err.network).toBe(true);
    expect(err.status).toBe(0);
  });

  it('checks a request against its schema before sending anything, with the zod issue for the field', async () => {
    const body = { id: 'not-a-uuid', residentId: 'r1', canteenId: 'c1', amountFen: 50, method: 'cash' as const };
    const err = (await http.post('/wallet/topups', TopupRequest, body, WalletView).catch((e: unknown) => e)) as ApiError;
    expect(fetchMock).not.toHaveBeenCalled();
    expect(err.code).toBe('bad_request');
    expect(err.details.client).toBe(true);
    const amount = err.issues.find((i) => i.path[0] === 'amountFen');
    expect(amount?.check?.code).toBe('too_small');
    expect(err.issues.some((i) => i.path[0] === 'id')).toBe(true);
  });

  it('sends the caller’s own body (defaults stay the server’s) as JSON', async () => {
    reply(200, wallet);
    const body = { id: '0196f5b8-8c1e-7cc1-9a4e-2f0b3c1d4e5f', residentId: 'r1', canteenId: 'c1', amountFen: 5000, method: 'cash' as const };
    await http.post('/wallet/topups', TopupRequest, body, WalletView);
    const init = fetchMock.mock.calls[0]![1]!;
    expect(JSON.parse(init.body as string)).toEqual(body);
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('tells the app about an expired session, except for the login call itself', async () => {
    const heard: string[] = [];
    const stop = onAuthError((e) => heard.push(e.code));
    reply(401, { error: { code: 'unauthenticated', message: 'session expired' } });
    await expect(http.get('/auth/me', z.object({}))).rejects.toBeInstanceOf(ApiError);
    reply(401, { error: { code: 'unauthenticated', message: 'no' } });
    await expect(call({ method: 'POST', path: '/auth/login', response: z.object({}), body: {}, silentAuth: true })).rejects.toBeInstanceOf(ApiError);
    stop();
    expect(heard).toEqual(['unauthenticated']);
  });

  it('leaves empty query values out', () => {
    expect(buildUrl('/residents', { q: '', canteenId: 'c 1', limit: 50, offset: 0, status: undefined })).toBe(
      '/api/v1/residents?canteenId=c+1&limit=50&offset=0',
    );
  });

  it('parses a whole page of orders with the shared Order schema', async () => {
    const order = {
      id: 'o1',
      canteenId: 'c1',
      residentId: null,
      residentName: null,
      serviceDate: '2026-11-23',
      mealPeriod: 'lunch',
      fulfilment: 'dine_in',
      state: 'paid',
      identifyMethod: 'guest',
      pickupNumber: 3,
      mealPriceFen: 1200,
      elderSubsidyFen: 0,
      elderPaysFen: 1200,
      operatorSubsidyFen: 0,
      paymentMethod: 'cash',
      lines: [],
      subsidies: [],
      policyVersionIds: [],
      residentCategory: null,
      balanceAfterFen: null,
      deliveryAddress: null,
      deliveryExpectedBy: null,
      paymentReference: null,
      staffReason: null,
      createdAt: '2026-11-23T04:00:00.000Z',
      clientCreatedAt: null,
      offline: false,
      review: null,
      paidAt: null,
      readyAt: null,
      completedAt: null,
    } satisfies z.input<typeof Order>;
    reply(200, { items: [order], total: 1 });
    const page = await http.get('/orders', OrderPage, { query: { canteenId: 'c1' } });
    expect(page.items[0]?.pickupNumber).toBe(3);
  });
});
