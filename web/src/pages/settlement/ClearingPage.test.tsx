import { screen } from '@testing-library/react';
import { Clearing } from '@yishi/shared/schemas';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { renderPage, stubServer } from '../../test/page';
import { ClearingPage } from './ClearingPage';

const zero = { claims: 0, orders: 0, claimedFen: 0, disallowedFen: 0, adjustmentFen: 0, totalFen: 0, paidFen: 0, outstandingFen: 0 };
const tianhe = { claims: 1, orders: 829, claimedFen: 483975, disallowedFen: 9725, adjustmentFen: 0, totalFen: 474250, paidFen: 474250, outstandingFen: 0 };
const clearing = Clearing.parse({
  year: 2026,
  districtReportBy: '2027-04-30',
  cityClearingBy: '2027-05-31',
  today: '2026-12-01',
  districts: [
    { ...zero, code: '440104', name: '越秀区', openClaims: 3, byPayer: [] },
    { ...tianhe, code: '440106', name: '天河区', openClaims: 9, byPayer: [{ ...tianhe, payer: '广州市民政局' }] },
  ],
  total: { ...tianhe, openClaims: 12 },
});

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the annual clearing', () => {
  it('writes the total disallowed as the district rows write it, as an amount taken off', async () => {
    // The 天河区 row read -¥97.25 and the 合计 row under it ¥97.25.
    stubServer(() => clearing);
    renderPage(
      <MemoryRouter initialEntries={['/clearing?year=2026']}>
        <ClearingPage />
      </MemoryRouter>,
    );
    const total = await screen.findByTestId('clearing-total');
    expect(screen.getByTestId('clearing-row-440106').textContent).toContain('-¥97.25');
    expect(total.textContent).toContain('-¥97.25');
    expect(total.textContent).toContain('¥4,742.50');
  });
});
