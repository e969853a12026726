import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { ROLES, type Role } from '@yishi/shared/domain';
import type { CanteenSummary, Me } from '@yishi/shared/schemas';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { qk } from '../api/keys';
import { useUi } from '../store/ui';
import { HomeRedirect, RequireAuth, RoleGate } from './guards';
import { allowed, canteenNav, globalNav } from './nav';

const me = (role: Role, canteenIds: string[] = []): Me => ({
  id: `user-${role}`,
  username: role,
  displayName: role,
  role,
  scopeAreaCode: role === 'operator' ? null : '4401',
  canteenIds,
  mustChangePassword: false,
  canSeeIdNumbers: false,
});
const canteen = (id: string) => ({ id }) as CanteenSummary;
const fullCanteen: CanteenSummary = {
  id: 'c1',
  code: 'TH-1',
  name: '天河区石牌街华师社区长者饭堂',
  shortName: '华师社区长者饭堂',
  districtCode: '440106',
  districtName: '天河区',
  streetCode: '440106004',
  streetName: '石牌街',
  supplyMode: 'own_kitchen',
  address: '石牌东路',
  seats: 40,
  dineIn: true,
  delivery: true,
  status: 'open',
  statusReason: null,
  operatorName: '颐康',
  timeZone: 'Asia/Shanghai',
  mealPeriods: [],
  today: {
    orders: 0,
    subsidisedMeals: 0,
    revenueFen: 0,
    paidFen: 0,
    awaitingFen: 0,
    awaitingCount: 0,
    refundedFen: 0,
    byMethod: { cash: 0, wallet: 0, external: 0 },
  },
};

beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(() => Promise.reject(new Error('no network in unit tests'))),
  );
  useUi.setState({ lastCanteenByUser: {} });
});
afterEach(() => vi.unstubAllGlobals());

function client(user: Me | ApiError, canteens?: string[]) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, retryOnMount: false, staleTime: Infinity } } });
  if (user instanceof ApiError) {
    qc.getQueryCache().build(qc, { queryKey: qk.me }).setState({ status: 'error', error: user, fetchStatus: 'idle' });
  } else {
    qc.setQueryData(qk.me, user);
  }
  if (canteens) qc.setQueryData(qk.canteens, canteens.map(canteen));
  return qc;
}

/** Every path the router rendered, in order: a flash of another page would show here. */
const seen: string[] = [];
function Seen() {
  const l = useLocation();
  seen.push(l.pathname);
  return <div data-testid="at">{l.pathname}</div>;
}

function renderAt(qc: QueryClient, path: string, routes: ReactNode) {
  cleanup();
  seen.length = 0;
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          {routes}
          <Route path="*" element={<Seen />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('who sees which page', () => {
  const visible = (role: Role) => [...globalNav, ...canteenNav].filter((item) => allowed(item, role)).map((item) => item.key);

  it('follows the shared role groups', () => {
    const table = Object.fromEntries(ROLES.map((r) => [r, visible(r)]));
    expect(table).toEqual({
      operator: [
        'overview',
        'policy',
        'claims',
        'lateReviews',
        'reports',
        'indicators',
        'orders',
        'kitchen',
        'deliveries',
        'close',
        'samples',
        'menus',
        'dishes',
        'prices',
        'residents',
        'rosterImport',
        'devices',
      ],
      street: [
        'overview',
        'policy',
        'claims',
        'lateReviews',
        'anomalies',
        'clearing',
        'audit',
        'priceReviews',
        'reports',
        'indicators',
        'approvals',
        'orders',
        'deliveries',
        'close',
        'samples',
        'menus',
        'dishes',
        'prices',
        'residents',
        'rosterImport',
      ],
      district: [
        'overview',
        'policy',
        'claims',
        'lateReviews',
        'anomalies',
        'clearing',
        'audit',
        'priceReviews',
        'reports',
        'indicators',
        'approvals',
        'orders',
        'deliveries',
        'close',
        'samples',
        'menus',
        'dishes',
        'prices',
        'residents',
      ],
      city: [
        'overview',
        'policy',
        'claims',
        'lateReviews',
        'anomalies',
        'clearing',
        'audit',
        'priceReviews',
        'reports',
        'indicators',
        'users',
        'orders',
        'deliveries',
        'close',
        'samples',
        'menus',
        'dishes',
        'prices',
        'residents',
      ],
      admin: [
        'overview',
        'policy',
        'claims',
        'lateReviews',
        'anomalies',
        'clearing',
        'audit',
        'priceReviews',
        'reports',
        'indicators',
        'users',
        'orders',
        'kitchen',
        'deliveries',
        'close',
        'samples',
        'menus',
        'dishes',
        'prices',
        'residents',
        'rosterImport',
        'devices',
      ],
    });
  });

  it('a page outside the role answers 403; inside it, the page', async () => {
    const users = globalNav.find((i) => i.key === 'users')!;
    const gate = (
      <Route
        path="/users"
        element={
          <RoleGate item={users}>
            <p>accounts</p>
          </RoleGate>
        }
      />
    );
    renderAt(client(me('operator', ['c1'])), '/users', gate);
    expect(await screen.findByText('403')).toBeTruthy();
    expect(screen.queryByText('accounts')).toBeNull();
    renderAt(client(me('city')), '/users', gate);
    expect(await screen.findByText('accounts')).toBeTruthy();
  });
});

describe('landing after login', () => {
  const home = <Route path="/" element={<HomeRedirect />} />;

  it('an operator lands on the canteen they last used, with no other canteen first', async () => {
    useUi.getState().rememberCanteen('user-operator', 'c2');
    renderAt(client(me('operator', ['c1', 'c2']), ['c1', 'c2']), '/', home);
    expect((await screen.findByTestId('at')).textContent).toBe('/canteens/c2/orders');
    expect(seen.every((p) => p === '/canteens/c2/orders')).toBe(true);
  });

  it("another user's canteen on the same browser does not count; a canteen no longer theirs neither", async () => {
    useUi.getState().rememberCanteen('user-someone-else', 'c2');
    renderAt(client(me('operator', ['c1', 'c2']), ['c1', 'c2']), '/', home);
    expect((await screen.findByTestId('at')).textContent).toBe('/canteens/c1/orders');
    useUi.getState().rememberCanteen('user-operator', 'c9');
    renderAt(client(me('operator', ['c1', 'c2']), ['c1', 'c2']), '/', home);
    expect((await screen.findByTestId('at')).textContent).toBe('/canteens/c1/orders');
  });

  it('waits for the canteen list instead of guessing', async () => {
    useUi.getState().rememberCanteen('user-operator', 'c2');
    let answer: (r: Response) => void = () => undefined;
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise<Response>((resolve) => (answer = resolve))),
    );
    renderAt(client(me('operator', ['c1', 'c2'])), '/', home);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);
    const list = [{ id: 'c1' }, { id: 'c2' }].map((c) => ({ ...fullCanteen, ...c }));
    answer(new Response(JSON.stringify(list), { status: 200 }));
    expect((await screen.findByTestId('at')).textContent).toBe('/canteens/c2/orders');
    expect(seen.every((p) => p === '/canteens/c2/orders')).toBe(true);
  });

  it('area staff and the administrator land on the overview', async () => {
    for (const role of ['street', 'district', 'city', 'admin'] as const) {
      renderAt(client(me(role), ['c1']), '/', home);
      expect((await screen.findByTestId('at')).textContent).toBe('/overview');
    }
  });

  it('no session → the login page, remembering where the user was going', async () => {
    const gated = (
      <Route
        path="/canteens/c1/menus"
        element={
          <RequireAuth>
            <p>menus</p>
          </RequireAuth>
        }
      />
    );
    renderAt(client(new ApiError(401, 'unauthenticated', 'no session')), '/canteens/c1/menus', gated);
    expect((await screen.findByTestId('at')).textContent).toBe('/login');
    expect(screen.queryByText('menus')).toBeNull();
  });
});
