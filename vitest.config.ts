import { defineConfig } from 'vitest/config';

// `pnpm test`: every unit and server test, as projects. Browser tests live in e2e/ with their own config.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'server/test/**/*.test.ts', 'kiosk/src/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'e2e/**'],
          pool: 'forks',
          // Guards against a hang, not speed limits: a loaded 2-core machine seeds the 60-day city slowly.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      // The console's logic and components, in jsdom.
      'web/vitest.config.ts',
    ],
  },
});
