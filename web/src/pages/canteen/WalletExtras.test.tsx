import { screen, within } from '@testing-library/react';
import type { ResidentDetail } from '@yishi/shared/schemas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { renderPage, stubServer } from '../../test/page';
import { ResidentOrders } from './WalletExtras';

afterEach(async () => {
  vi.unstubAllGlobals();
  await i18n.changeLanguage('zh-CN');
});

describe("a resident's orders", () => {
  it('heads its dishes column in the language of the console', async () => {
    // In English the column read 菜品 (a key that did not exist, with a Chinese fallback).
    stubServer(() => ({ items: [], total: 0 }));
    await i18n.changeLanguage('en');
    renderPage(<ResidentOrders r={{ id: 'rs-1' } as ResidentDetail} />);
    const table = await screen.findByTestId('resident-orders');
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toContain('Dishes');
    expect(headers.join(' ')).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
