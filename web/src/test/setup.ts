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

// antd's range picker watches its size; jsdom has no ResizeObserver (and no layout to observe).
if (typeof window.ResizeObserver === 'undefined') {
  window.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}

afterEach(() => {
  cleanup();
  localStorage.clear();
});
