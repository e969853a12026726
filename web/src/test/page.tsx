/**
 * Page tests: a stubbed server (every fetch answered as JSON 200) and what the console wraps each page in (a query
 * client that does not retry, antd's App).
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { App } from 'antd';
import type { ReactNode } from 'react';
import { vi } from 'vitest';

/** Answers every request with `answer(url)`; the mock's calls are the requests made (undo with vi.unstubAllGlobals). */
export function stubServer(answer: (url: URL) => unknown) {
  const fetch = vi.fn((url: string) =>
    Promise.resolve(
      new Response(JSON.stringify(answer(new URL(url, 'http://console.test'))), { status: 200, headers: { 'content-type': 'application/json' } }),
    ),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

export function renderPage(ui: ReactNode): RenderResult {
  return render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <App>{ui}</App>
    </QueryClientProvider>,
  );
}
