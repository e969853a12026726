import { screen, within } from '@testing-library/react';
import { AuditPage as AuditPageSchema, CanteenSummary } from '@yishi/shared/schemas';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { renderPage, stubServer } from '../../test/page';
import { AuditPage } from './AuditPage';

const HUASHI = CanteenSummary.parse({
  id: 'ct-shipai-huashi',
  code: 'TH-2019-004',
  name: '天河区石牌街华师社区长者饭堂',
  shortName: '华师饭堂',
  districtCode: '440106',
  districtName: '天河区',
  streetCode: '440106004',
  streetName: '石牌街',
  supplyMode: 'own_kitchen',
  address: '华师西门',
  seats: 40,
  dineIn: true,
  delivery: true,
  status: 'open',
  statusReason: null,
  operatorName: '颐康中心',
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
});

const entry = (seq: number, canteenId: string) => ({
  seq,
  at: '2026-11-23T04:00:00.000Z',
  actorType: 'user' as const,
  actorId: 'u1',
  actorName: '石牌街道 何干事',
  action: 'order.created',
  entityType: 'order',
  entityId: `o${seq}`,
  canteenId,
  areaCode: '440106004',
  details: {},
  hash: 'h',
});

/** The page over a stubbed server: the caller sees 华师 only; the log names it and a canteen of another street. */
function renderAudit() {
  stubServer((url) =>
    url.pathname.endsWith('/canteens') ? [HUASHI] : AuditPageSchema.parse({ items: [entry(2, 'ct-shipai-huashi'), entry(1, 'ct-wushan-longdong')], total: 2 }),
  );
  return renderPage(
    <MemoryRouter initialEntries={['/audit']}>
      <AuditPage />
    </MemoryRouter>,
  );
}

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the audit log', () => {
  it('names a canteen the caller sees, and one outside their area as such, never by its raw id', async () => {
    renderAudit();
    const table = await screen.findByRole('table');
    await within(table).findByText('华师饭堂');
    expect(within(table).getByText('辖区外饭堂')).toBeTruthy();
    expect(table.textContent).not.toContain('ct-wushan-longdong');
  });

  it('says what each action was in words, beside its code', async () => {
    // The log showed only claim.approved / order.refund_reason: an auditor had to know the codes.
    renderAudit();
    const action = await screen.findByTestId('audit-action-2');
    expect(action.textContent).toContain('下单');
    expect(action.textContent).toContain('order.created');
  });
});
