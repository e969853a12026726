import type { ClaimEvent } from '@yishi/shared/schemas';

/** One step of a claim's review as its log has it: what was done (e.g. 'checked' or 'returned'), by whom, when. */
export interface ClaimStep {
  action: string;
  byName: string | null;
  at: string;
}

const SUBMISSION = new Set(['submitted', 'resubmitted']);
const FIRST_REVIEW = new Set(['checked', 'returned']);
const DECISION = new Set(['approved', 'rejected']);

/**
 * Who did each step of the claim's current round (since its last submission), read from its log. The claim's own
 * `checkedBy` is stamped by the street office's return as well as by its check (and `decidedBy` by a rejection as
 * well as an approval), so a returned claim showed the officer who sent it back as its 初审人; here each step says
 * what was done, and a return or a rejection is one.
 */
export function claimSteps(events: readonly ClaimEvent[]): { submitted?: ClaimStep; firstReview?: ClaimStep; decision?: ClaimStep } {
  let start = -1;
  events.forEach((e, i) => {
    if (SUBMISSION.has(e.action)) start = i;
  });
  if (start < 0) return {};
  const round = events.slice(start);
  const last = (actions: Set<string>) => [...round].reverse().find((e) => actions.has(e.action));
  const pick = (e: ClaimEvent | undefined): ClaimStep | undefined => (e ? { action: e.action, byName: e.byName, at: e.at } : undefined);
  return { submitted: pick(round[0]), firstReview: pick(last(FIRST_REVIEW)), decision: pick(last(DECISION)) };
}
