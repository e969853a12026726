import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { CanteenSummary } from '@yishi/shared/schemas';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import i18n from '../../i18n';
import { CanteenContext, type CanteenCtx } from '../../layout/canteenContext';
import { errorText } from '../../lib/errors';
import { renderPage, stubServer } from '../../test/page';
import { MenusPage } from './MenusPage';

const ctx: CanteenCtx = {
  canteen: {
    id: 'c1',
    name: '华师社区长者饭堂',
    timeZone: 'Asia/Shanghai',
    mealPeriods: [{ period: 'lunch', opens: '11:00', closes: '13:30', days: [1, 2, 3, 4, 5, 6, 7] }],
  } as CanteenSummary,
  live: 'open' as CanteenCtx['live'],
  // A Thursday; the last day a menu may be set for is 90 days on (DATE_HORIZON_DAYS.menu): 2027-03-03, a Wednesday.
  today: '2026-12-03',
  period: 'lunch',
  canOperate: true,
};

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the menus page', () => {
  it('does not offer a week or a day beyond the 90 days ahead the server takes', async () => {
    stubServer(() => []);
    renderPage(
      <CanteenContext.Provider value={ctx}>
        <MemoryRouter>
          <MenusPage />
        </MemoryRouter>
      </CanteenContext.Provider>,
    );
    const next = await screen.findByRole('button', { name: '下一周' });
    expect(screen.getByTestId('menu-cell-2026-12-03-lunch').className).toContain('editable');
    // 13 weeks on is the week of 2027-03-01; the one after starts beyond the limit.
    for (let i = 0; i < 13; i += 1) {
      expect((next as HTMLButtonElement).disabled).toBe(false);
      fireEvent.click(next);
    }
    await waitFor(() => expect(screen.getByTestId('menu-cell-2027-03-03-lunch')).toBeTruthy());
    expect((next as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('menu-cell-2027-03-03-lunch').className).toContain('editable');
    expect(screen.getByTestId('menu-cell-2027-03-04-lunch').className).not.toContain('editable');
  });

  it('the refusal of a date too far ahead says the limit and the latest date, in both languages', async () => {
    const e = new ApiError(400, 'date_beyond_horizon', 'x', { field: 'date', latest: '2027-03-03', horizonDays: 90 });
    expect(errorText(i18n.t, e)).toBe('日期太远：最多可提前 90 天，最晚 2027-03-03。');
    await i18n.changeLanguage('en');
    expect(errorText(i18n.t, e)).toBe('That date is too far ahead: at most 90 days ahead, 2027-03-03 at the latest.');
  });
});
