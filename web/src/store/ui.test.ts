import { describe, expect, it } from 'vitest';
import { landingCanteen, useUi } from './ui';

describe('what the console remembers on this browser', () => {
  it('the last canteen, per user', () => {
    useUi.getState().rememberCanteen('user-yikang', 'ct-shipai-huashi');
    useUi.getState().rememberCanteen('user-jiajia', 'ct-beijing');
    useUi.getState().rememberCanteen('user-yikang', 'ct-binjiang');
    expect(useUi.getState().lastCanteenByUser).toEqual({ 'user-yikang': 'ct-binjiang', 'user-jiajia': 'ct-beijing' });
    const stored = JSON.parse(localStorage.getItem('yishi.console.ui') ?? '{}') as { state: unknown; version: number };
    expect(stored.version).toBe(2);
    expect(stored.state).toMatchObject({ lastCanteenByUser: { 'user-yikang': 'ct-binjiang' } });
  });

  it('lands on the last canteen only while the user still has it', () => {
    expect(landingCanteen('b', ['a', 'b'])).toBe('b');
    expect(landingCanteen('gone', ['a', 'b'])).toBe('a');
    expect(landingCanteen(undefined, ['a'])).toBe('a');
    expect(landingCanteen(undefined, [])).toBeUndefined();
  });

  it('forgets a canteen stored by the old, per-browser version (whose was it?)', async () => {
    localStorage.setItem('yishi.console.ui', JSON.stringify({ state: { lastCanteenId: 'ct-beijing', siderCollapsed: true }, version: 0 }));
    await useUi.persist.rehydrate();
    expect(useUi.getState().lastCanteenByUser).toEqual({});
    expect(useUi.getState().siderCollapsed).toBe(true);
  });
});
