import { screen, waitFor } from '@testing-library/react';
import { Me } from '@yishi/shared/schemas';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { renderPage, stubServer } from '../../test/page';
import { ClaimsPage } from './ClaimsPage';

const operator = Me.parse({
  id: 'user-yikang',
  username: 'yikang',
  displayName: '颐康中心 梁店长',
  role: 'operator',
  scopeAreaCode: null,
  canteenIds: ['ct-shipai-huashi'],
  mustChangePassword: false,
  canSeeIdNumbers: false,
});

function renderClaims(entry: string) {
  stubServer((url) =>
    url.pathname.endsWith('/auth/me')
      ? operator
      : url.pathname.endsWith('/claims')
        ? { items: [], total: 0, sums: { claimedFen: 0, disallowedFen: 0, adjustmentFen: 0, totalFen: 0 } }
        : [],
  );
  renderPage(
    <MemoryRouter initialEntries={[entry]}>
      <Routes>
        <Route path="/claims" element={<ClaimsPage />} />
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

describe('the claims list', () => {
  it('names the month its generate button drafts, which is the month chosen (not always the current one)', async () => {
    // On 30 November the list opens on October; the button said 生成本月申报 and drafted October.
    renderClaims('/claims?month=2026-10');
    await waitFor(() => expect(screen.getByTestId('claims-generate').textContent).toContain('生成 2026-10 申报'));
    expect(screen.getByTestId('claims-generate').textContent).not.toContain('本月');
  });
});
