import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';

// The console's unit tests (client, forms, guards, store, i18n) in jsdom; run from the root by `pnpm test`.
export default defineProject({
  plugins: [react()],
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    testTimeout: 20_000,
  },
});
