import { defineConfig } from 'vitest/config';

// `pnpm test:e2e`: the built console and kiosk, served by the real server, driven in Debian's Chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    // Seeding 60 days of a city, or walking every page with axe, on a loaded machine can take over two minutes:
    // these guard against hangs, not speed.
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
