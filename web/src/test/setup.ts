import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import '../i18n';

// antd's responsive parts ask the browser about media queries; jsdom has no layout, so nothing ever matches.
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

afterEach(() => {
  cleanup();
  localStorage.clear();
});
