import { TEST_SECRET } from '../test/helpers';

/** Monday lunch in Guangzhou: every demo canteen has lunch open. */
export const LUNCH = '2026-11-23T12:00:00+08:00';

/** The server process's environment for the bench: the demo city at lunch, the rate limit lifted. */
export const serverEnv = (over: Record<string, string> = {}) => ({
  SEED: 'demo',
  YISHI_CLOCK: LUNCH,
  YISHI_SECRET: TEST_SECRET.toString('hex'),
  RATE_LIMIT_PER_MINUTE: '0',
  ...over,
});
