import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Role } from '@yishi/shared/domain';
import { ClaimDetail, Me, type ClaimDetail as ClaimDetailT } from '@yishi/shared/schemas';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { renderPage, stubServer } from '../../test/page';
import { claimFixture } from '../../test/claimFixture';
import { ClaimDetailPage } from './ClaimDetailPage';

function Where() {
  const l = useLocation();
  return <div data-testid="where">{`${l.pathname}${l.search}`}</div>;
}

/** Who is signed in (GET /auth/me). */
const me = (role: Role) =>
  Me.parse({
    id: `user-${role}`,
    username: role,
    displayName: role,
    role,
    scopeAreaCode: null,
    canteenIds: [],
    mustChangePassword: false,
    canSeeIdNumbers: false,
  });

/** The page over a stubbed server answering GET /claims/:id with `claim` (checked against its schema) and no orders. */
function renderClaim(claim: ClaimDetailT, role: Role = 'street') {
  stubServer((url) => (url.pathname.endsWith('/auth/me') ? me(role) : url.pathname.endsWith('/orders') ? { items: [], total: 0 } : ClaimDetail.parse(claim)));
  return renderPage(
    <MemoryRouter initialEntries={[`/claims/${claim.id}`]}>
      <Routes>
        <Route path="/claims/:id" element={<ClaimDetailPage />} />
        <Route path="*" element={<Where />} />
      </Routes>
    </MemoryRouter>,
  );
}

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** An anomaly scanned before its figures carried the whole explanation: the console shows the stored sentence. */
const old = { canteenName: '石牌长者饭堂', residentName: '王银好', periodFrom: '2026-11-01', firstDate: '2026-11-10', lastDate: '2026-11-30', figures: {} };

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

  it('初审人 names who sent a returned claim back as a return, not as the officer who passed the first review', async () => {
    // The server stamps checkedBy on a return too: the field showed 李审 as if he had passed it.
    renderClaim(
      claimFixture({
        state: 'returned',
        checkedAt: '2026-12-02T03:00:00.000Z',
        checkedByName: '石牌街道 李审',
        events: [
          { action: 'generated', at: '2026-12-01T01:00:00.000Z', byName: null, reason: null, details: {} },
          { action: 'submitted', at: '2026-12-01T02:00:00.000Z', byName: '颐康 王敏', reason: null, details: {} },
          { action: 'returned', at: '2026-12-02T03:00:00.000Z', byName: '石牌街道 李审', reason: '签到表缺页', details: {} },
        ],
      }),
    );
    const checked = await screen.findByTestId('claim-checked-by');
    expect(checked.getAttribute('data-action')).toBe('returned');
    expect(checked.textContent).toContain('街道退回');
    expect(checked.textContent).toContain('石牌街道 李审');
    expect(screen.getByTestId('claim-decided-by').textContent).toBe('—');
  });

  it('after a rejection and a resubmission, 初审人 is who checked this round and 审批人 who decided it, a rejection as such', async () => {
    const e = (action: string, byName: string, at: string) => ({ action, at, byName, reason: null, details: {} });
    renderClaim(
      claimFixture({
        state: 'rejected',
        revision: 2,
        checkedAt: '2026-12-05T03:00:00.000Z',
        checkedByName: '石牌街道 陈初审',
        decidedAt: '2026-12-06T03:00:00.000Z',
        decidedByName: '天河区 赵审批',
        events: [
          e('submitted', '颐康 王敏', '2026-12-01T02:00:00.000Z'),
          e('returned', '石牌街道 李审', '2026-12-02T03:00:00.000Z'),
          e('resubmitted', '颐康 王敏', '2026-12-04T02:00:00.000Z'),
          e('checked', '石牌街道 陈初审', '2026-12-05T03:00:00.000Z'),
          e('rejected', '天河区 赵审批', '2026-12-06T03:00:00.000Z'),
        ],
      }),
    );
    const checked = await screen.findByTestId('claim-checked-by');
    expect(checked.getAttribute('data-action')).toBe('checked');
    expect(checked.textContent).toContain('石牌街道 陈初审');
    expect(checked.textContent).not.toContain('李审');
    const decided = screen.getByTestId('claim-decided-by');
    expect(decided.textContent).toContain('区驳回');
    expect(decided.textContent).toContain('天河区 赵审批');
  });

  it("an operator reads its claim's anomalies without a link to the anomaly page it may not open; a reviewer gets the link", async () => {
    // The operator clicked 去世后仍有补贴 and landed on 403 您没有权限执行此操作.
    const anomaly = {
      id: 'an-1',
      kind: 'after_death' as const,
      status: 'open' as const,
      explanation: '王银好登记于2026-11-10去世',
      ...old,
      orderCount: 16,
      note: null,
    };
    const { unmount } = renderClaim(claimFixture({ anomalies: [anomaly] }), 'operator');
    const asOperator = await screen.findByTestId('claim-anomaly-an-1');
    await waitFor(() => expect(asOperator.textContent).toBe('去世后仍有补贴'));
    // The role is known once /auth/me has answered; the label stays plain text.
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByTestId('claim-anomaly-an-1').closest('a')).toBeNull();
    unmount();
    vi.unstubAllGlobals();
    renderClaim(claimFixture({ anomalies: [anomaly] }), 'street');
    await waitFor(() => expect(screen.getByTestId('claim-anomaly-an-1').getAttribute('href')).toBe('/anomalies/an-1'));
  });

  it('a checked claim with an open anomaly tells the district why it cannot be approved yet', async () => {
    const open = { id: 'an-1', kind: 'after_death' as const, status: 'open' as const, explanation: '王银好去世后仍有补贴', ...old, orderCount: 16, note: null };
    const can = { regenerate: false, submit: false, check: false, sendBack: false, approve: false, reject: true, disallow: true, pay: false };
    renderClaim(claimFixture({ state: 'checked', anomalies: [open], can }), 'district');
    const why = await screen.findByTestId('claim-approve-blocked');
    expect(why.textContent).toContain('本期还有 1 条异常待处理');
    expect(screen.queryByTestId('claim-approve')).toBeNull();
  });

  it('a payment date the server refuses is explained on the date field, and the picker offers only dates from the approval to today', async () => {
    // The dialog said only 此项填写有误 under 拨付日期 when the server answered 'the payment date is in the future'.
    const claim = ClaimDetail.parse(
      claimFixture({
        state: 'approved',
        decidedAt: '2026-12-01T01:38:00.000Z',
        decidedByName: '天河区民政局 林主任',
        can: { regenerate: false, submit: false, check: false, sendBack: false, approve: false, reject: false, disallow: false, pay: true },
      }),
    );
    const answer = (status: number, body: unknown) =>
      Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string, init?: RequestInit) => {
        const path = new URL(url, 'http://console.test').pathname;
        if (path.endsWith('/payment') && init?.method === 'POST')
          return answer(400, { error: { code: 'bad_request', message: 'the payment date is in the future', details: { field: 'paidOn' } } });
        if (path.endsWith('/auth/me')) return answer(200, me('district'));
        if (path.endsWith('/orders')) return answer(200, { items: [], total: 0 });
        return answer(200, claim);
      }),
    );
    renderPage(
      <MemoryRouter initialEntries={[`/claims/${claim.id}`]}>
        <Routes>
          <Route path="/claims/:id" element={<ClaimDetailPage />} />
        </Routes>
      </MemoryRouter>,
    );
    fireEvent.click(await screen.findByTestId('claim-pay'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getAllByRole('textbox').at(-1)!, { target: { value: 'GZ-TH-0001' } });
    fireEvent.click(within(dialog).getAllByRole('button').at(-1)!);
    await waitFor(() => expect(within(dialog).getByText('拨付日期须在审批日期到今天之间')).toBeTruthy(), { timeout: 5000 });
  });

  it('a paid claim with an order refunded since says how much waits for the next claim, and names the claim that carried what is booked', async () => {
    renderClaim(
      claimFixture({
        state: 'paid',
        paidOn: '2026-12-05',
        paidFen: 12344178,
        laterAdjustments: [
          { orderId: 'o-1', reason: 'refund', amountFen: -300, note: '订单 00000001（2026-11-20）已于 2026-12-02 退款', claimId: null, period: null },
          { orderId: 'o-2', reason: 'disallowed', amountFen: -450, note: '回访发现未到店', claimId: 'cl-12', period: '2026-12' },
        ],
        pendingAdjustmentFen: -300,
      }),
      'district',
    );
    const alert = await screen.findByTestId('claim-pending-adjustment');
    expect(alert.textContent).toContain('待记入下一期申报：-¥3.00');
    const table = screen.getByTestId('claim-later-adjustments');
    expect(within(table).getByText('待记入下一期申报')).toBeTruthy();
    expect(within(table).getByText('2026-12 申报').getAttribute('href')).toBe('/claims/cl-12');
    // The frozen totals do not move.
    expect(screen.getByTestId('claim-total').textContent).toContain('¥123,441.78');

    await i18n.changeLanguage('en');
    await waitFor(() => expect(screen.getByTestId('claim-pending-adjustment').textContent).toContain('wait for the next claim: -¥3.00'));
  });

  it('a claim with no correction after approval shows neither', async () => {
    renderClaim(claimFixture({ state: 'paid', paidOn: '2026-12-05', paidFen: 12344178 }));
    await screen.findByTestId('claim-detail');
    expect(screen.queryByTestId('claim-pending-adjustment')).toBeNull();
    expect(screen.queryByTestId('claim-later-adjustments')).toBeNull();
  });
});
