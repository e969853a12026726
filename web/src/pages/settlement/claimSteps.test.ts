import type { ClaimEvent } from '@yishi/shared/schemas';
import { describe, expect, it } from 'vitest';
import { claimSteps } from './claimSteps';

const ev = (action: string, byName: string | null, at: string): ClaimEvent => ({ action, byName, at, reason: null, details: {} });

describe('claimSteps', () => {
  it('a draft has no steps', () => {
    expect(claimSteps([ev('generated', null, '2026-12-01T01:00:00Z')])).toEqual({});
  });

  it('names who returned a claim as a return, not as its check', () => {
    const s = claimSteps([ev('generated', null, '1'), ev('submitted', '王敏', '2'), ev('returned', '李审', '3')]);
    expect(s.submitted).toEqual({ action: 'submitted', byName: '王敏', at: '2' });
    expect(s.firstReview).toEqual({ action: 'returned', byName: '李审', at: '3' });
    expect(s.decision).toBeUndefined();
  });

  it('reads only the round since the last submission: an earlier check, return or rejection is history', () => {
    const s = claimSteps([
      ev('submitted', '王敏', '1'),
      ev('checked', '张初审', '2'),
      ev('rejected', '赵区', '3'),
      ev('resubmitted', '王敏', '4'),
      ev('disallowed', '陈街道', '5'),
      ev('checked', '陈街道', '6'),
    ]);
    expect(s.submitted).toMatchObject({ action: 'resubmitted', at: '4' });
    expect(s.firstReview).toEqual({ action: 'checked', byName: '陈街道', at: '6' });
    expect(s.decision).toBeUndefined();
  });

  it('a checked then rejected claim: the check by the street, the rejection by the district', () => {
    const s = claimSteps([ev('submitted', '王敏', '1'), ev('checked', '张初审', '2'), ev('rejected', '赵区', '3')]);
    expect(s.firstReview).toMatchObject({ action: 'checked', byName: '张初审' });
    expect(s.decision).toMatchObject({ action: 'rejected', byName: '赵区' });
  });
});
