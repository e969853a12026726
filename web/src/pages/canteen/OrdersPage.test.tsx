import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import type { CanteenSummary } from '@yishi/shared/schemas';
import { Link, MemoryRouter, Route, Routes, useNavigate } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CanteenContext, type CanteenCtx } from '../../layout/canteenContext';
import { ordersLink } from '../../routing/links';
import { renderPage, stubServer } from '../../test/page';
import { OrdersPage } from './OrdersPage';

const ctx: CanteenCtx = {
  canteen: { id: 'c1', name: '华师社区长者饭堂', timeZone: 'Asia/Shanghai' } as CanteenSummary,
  live: 'open' as CanteenCtx['live'],
  today: '2026-12-03',
  period: 'lunch',
  canOperate: false,
};

/** The orders list at `entry`; answers every GET /orders with no orders and returns the queries it was asked. */
function renderOrders(entry: string): () => URLSearchParams[] {
  const fetch = stubServer(() => ({ items: [], total: 0 }));
  renderPage(
    <CanteenContext.Provider value={ctx}>
      <MemoryRouter initialEntries={[entry]}>
        <Routes>
          <Route path="/canteens/:canteenId/orders" element={<OrdersPage />} />
          <Route path="/elsewhere" element={<Elsewhere />} />
        </Routes>
        <Link to="/elsewhere">away</Link>
      </MemoryRouter>
    </CanteenContext.Provider>,
  );
  return () =>
    fetch.mock.calls
      .map(([url]) => new URL(url, 'http://console.test'))
      .filter((u) => u.pathname === '/api/v1/orders')
      .map((u) => u.searchParams);
}

/** Another page (a resident's, a claim's) with the browser's Back. */
function Elsewhere() {
  const navigate = useNavigate();
  return <button onClick={() => void navigate(-1)}>back</button>;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the orders list', () => {
  it("opens on today's meal from the menu", async () => {
    const asked = renderOrders('/canteens/c1/orders');
    await waitFor(() => expect(asked()).toHaveLength(1));
    const q = asked()[0]!;
    expect(q.get('date')).toBe('2026-12-03');
    expect(q.get('mealPeriod')).toBe('lunch');
    expect(screen.getByTestId('orders-date')).toBeTruthy();
    expect(screen.getByTestId('orders-title').textContent).toBe('今日订单');
  });

  it('is headed 订单, not 今日订单, on another date or a period', async () => {
    const asked = renderOrders('/canteens/c1/orders?date=2026-11-20');
    await waitFor(() => expect(asked()).toHaveLength(1));
    expect(asked()[0]!.get('date')).toBe('2026-11-20');
    expect(screen.getByTestId('orders-title').textContent).toBe('订单');
  });

  it("opens on a claim's period, meal and fulfilment from a link", async () => {
    const asked = renderOrders(ordersLink('c1', { from: '2026-11-01', to: '2026-11-30', mealPeriod: 'dinner', fulfilment: 'delivery' }));
    await waitFor(() => expect(asked()).toHaveLength(1));
    const q = asked()[0]!;
    expect(q.get('canteenId')).toBe('c1');
    expect(q.get('from')).toBe('2026-11-01');
    expect(q.get('to')).toBe('2026-11-30');
    expect(q.get('mealPeriod')).toBe('dinner');
    expect(q.get('fulfilment')).toBe('delivery');
    expect(q.has('date')).toBe(false);
    // The period is on screen, in the range picker.
    expect(screen.getByDisplayValue('2026-11-01')).toBeTruthy();
    expect(screen.getByDisplayValue('2026-11-30')).toBeTruthy();
    expect(screen.getByTestId('orders-title').textContent).toBe('订单');
  });

  it('a period alone shows every meal of it', async () => {
    const asked = renderOrders('/canteens/c1/orders?from=2026-11-01&to=2026-11-30');
    await waitFor(() => expect(asked()).toHaveLength(1));
    expect(asked()[0]!.has('mealPeriod')).toBe(false);
    expect(asked()[0]!.has('date')).toBe(false);
  });

  it('keeps its filters when the operator comes Back to it', async () => {
    const asked = renderOrders('/canteens/c1/orders');
    await waitFor(() => expect(asked()).toHaveLength(1));
    fireEvent.click(screen.getByText('晚餐'));
    await waitFor(() => expect(asked().at(-1)!.get('mealPeriod')).toBe('dinner'));
    fireEvent.change(screen.getByRole('spinbutton', { name: '取餐号' }), { target: { value: '12' } });
    await waitFor(() => expect(asked().at(-1)!.get('pickupNumber')).toBe('12'));

    fireEvent.click(screen.getByText('away'));
    expect(screen.queryByTestId('orders-table')).toBeNull();
    fireEvent.click(await screen.findByText('back'));
    await screen.findByTestId('orders-table');
    const q = asked().at(-1)!;
    expect(q.get('mealPeriod')).toBe('dinner');
    expect(q.get('pickupNumber')).toBe('12');
    expect(q.get('date')).toBe('2026-12-03');
    expect((screen.getByRole('spinbutton', { name: '取餐号' }) as HTMLInputElement).value).toBe('12');
    expect(screen.getByTestId('orders-period').querySelector('.ant-segmented-item-selected')?.textContent).toBe('晚餐');
  });

  it('takes from a hand-edited address only filters it can ask for', async () => {
    const asked = renderOrders(
      '/canteens/c1/orders?date=2026-13-45&mealPeriod=brunch&state=bogus&pickupNumber=abc&ref=%3Cscript%3E&page=-5&size=7&sort=id&order=up',
    );
    await waitFor(() => expect(asked()).toHaveLength(1));
    const q = asked()[0]!;
    // A malformed date is dropped, as a link's would be: the list is then of every date.
    expect(q.has('date')).toBe(false);
    expect(q.has('mealPeriod')).toBe(false);
    for (const k of ['state', 'pickupNumber', 'ref']) expect(q.has(k), k).toBe(false);
    expect(q.get('offset')).toBe('0');
    expect(q.get('limit')).toBe('50');
    expect(q.get('sort')).toBe('createdAt');
    expect(q.get('order')).toBe('desc');
  });

  it('keeps two changes made before the list is drawn again (a click, then typing at once)', async () => {
    const asked = renderOrders('/canteens/c1/orders');
    await waitFor(() => expect(asked()).toHaveLength(1));
    act(() => {
      fireEvent.click(screen.getByText('晚餐'));
      fireEvent.change(screen.getByRole('spinbutton', { name: '取餐号' }), { target: { value: '7' } });
    });
    await waitFor(() => expect(asked().at(-1)!.get('pickupNumber')).toBe('7'));
    expect(asked().at(-1)!.get('mealPeriod')).toBe('dinner');
  });
});
