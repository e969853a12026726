import { defineConfig } from 'vitest/config';

// `pnpm test:e2e`: the built console and kiosk, served by the real server, driven in Debian's Chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    // Seeding 60 days of a city on a loaded machine can take over two minutes: these guard against hangs, not speed.
    hookTimeout: 240_000,
  },
});
