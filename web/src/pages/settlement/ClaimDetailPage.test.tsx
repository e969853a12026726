import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ClaimDetail, type ClaimDetail as ClaimDetailT } from '@yishi/shared/schemas';
import { App } from 'antd';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { claimFixture } from '../../test/claimFixture';
import { ClaimDetailPage } from './ClaimDetailPage';

function Where() {
  const l = useLocation();
  return <div data-testid="where">{`${l.pathname}${l.search}`}</div>;
}

/** The page over a stubbed server answering GET /claims/:id with `claim` (checked against its schema) and no orders. */
function renderClaim(claim: ClaimDetailT) {
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string) => {
      const path = new URL(url, 'http://console.test').pathname;
      const body = path.endsWith('/orders') ? { items: [], total: 0 } : ClaimDetail.parse(claim);
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }));
    }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <App>
        <MemoryRouter initialEntries={[`/claims/${claim.id}`]}>
          <Routes>
            <Route path="/claims/:id" element={<ClaimDetailPage />} />
            <Route path="*" element={<Where />} />
          </Routes>
        </MemoryRouter>
      </App>
    </QueryClientProvider>,
  );
}

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the claim page', () => {
  it('shows its amounts grouped and an amount taken off as -¥', async () => {
    renderClaim(claimFixture());
    await screen.findByTestId('claim-detail');
    expect(screen.getByTestId('claim-total').textContent).toContain('¥123,441.78');
    expect(screen.getByTestId('claim-disallowed-fen').textContent).toContain('-¥3.00');
  });

  it("a line leads to the canteen's orders of the claim's period and that meal (delivery orders for a delivery subsidy)", async () => {
    renderClaim(claimFixture());
    const meal = await screen.findByTestId('claim-line-orders-11');
    expect(meal.textContent).toBe('查看订单');
    expect(screen.getByTestId('claim-line-orders-12').getAttribute('href')).toBe(
      '/canteens/ct-shipai-huashi/orders?from=2026-11-01&to=2026-11-30&mealPeriod=dinner&fulfilment=delivery',
    );
    fireEvent.click(meal);
    await waitFor(() =>
      expect(screen.getByTestId('where').textContent).toBe('/canteens/ct-shipai-huashi/orders?from=2026-11-01&to=2026-11-30&mealPeriod=lunch'),
    );
  });

  it('a quarterly claim links its whole quarter', async () => {
    renderClaim(claimFixture({ period: '2026-Q4', cadence: 'quarter', periodFrom: '2026-10-01', periodTo: '2026-12-31' }));
    const link = await screen.findByTestId('claim-line-orders-11');
    expect(within(link.closest('tr')!).getByText('查看订单').getAttribute('href')).toContain('from=2026-10-01&to=2026-12-31');
  });
});
