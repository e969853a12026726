import { screen, waitFor } from '@testing-library/react';
import { Me } from '@yishi/shared/schemas';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { claimFixture } from '../../test/claimFixture';
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

  it('in English names each payer as its policy does in English, and a payer without an English name in Chinese', async () => {
    await i18n.changeLanguage('en');
    const claim = (id: string, payer: string) => {
      const { id: _id, payer: _payer, ...rest } = claimFixture();
      void _id;
      void _payer;
      return { ...rest, id, payer };
    };
    stubServer((url) =>
      url.pathname.endsWith('/auth/me')
        ? operator
        : url.pathname.endsWith('/policies/names')
          ? { payers: { 广州市民政局: 'Guangzhou Civil Affairs Bureau' }, layers: {} }
          : url.pathname.endsWith('/claims')
            ? {
                items: [claim('cl-1', '广州市民政局'), claim('cl-2', '某慈善基金会')],
                total: 2,
                sums: { claimedFen: 0, disallowedFen: 0, adjustmentFen: 0, totalFen: 0 },
              }
            : [],
    );
    renderPage(
      <MemoryRouter initialEntries={['/claims?month=2026-11']}>
        <Routes>
          <Route path="/claims" element={<ClaimsPage />} />
        </Routes>
      </MemoryRouter>,
    );
    const row = async (id: string) => (await screen.findByTestId(`claim-link-${id}`)).closest('tr')!.textContent;
    await waitFor(async () => expect(await row('cl-1')).toContain('Guangzhou Civil Affairs Bureau'));
    expect(await row('cl-1')).not.toContain('广州市民政局');
    expect(await row('cl-2')).toContain('某慈善基金会');
  });
});
