import { screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { renderPage, stubServer } from '../../test/page';
import { AnomaliesPage } from './AnomaliesPage';

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the anomalies list', () => {
  it('names the month its scan button scans, which is the month chosen', async () => {
    // The button said 重新扫描本月 ('scan this month again') while it scanned the month in the picker (October on 30 November).
    stubServer((url) => (url.pathname.endsWith('/anomalies') ? { items: [], total: 0, counts: { open: 0, explained: 0, confirmed: 0 } } : []));
    renderPage(
      <MemoryRouter initialEntries={['/anomalies?month=2026-10']}>
        <AnomaliesPage />
      </MemoryRouter>,
    );
    await waitFor(() => expect(screen.getByTestId('anomalies-scan').textContent).toContain('重新扫描 2026-10'));
    expect(screen.getByTestId('anomalies-scan').textContent).not.toContain('本月');
  });
});
