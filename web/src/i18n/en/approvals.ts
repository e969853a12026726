import type zh from '../zh/approvals';

/** The category approval queue of street and district staff. */
const approvals: typeof zh = {
  approvals: {
    title: 'Category approvals',
    intro:
      'Categories that change a subsidy (such as extreme poverty or minimum allowance) count only once street or district staff have checked the evidence and approved them. You cannot decide on your own proposal.',
    resident: 'Resident',
    category: 'Category',
    evidence: 'Evidence',
    proposed: 'Proposed by',
    approve: 'Approve',
    reject: 'Reject',
    approveTitle: 'Approve {{category}} for {{name}}?',
    rejectTitle: 'Reject {{category}} for {{name}}?',
    approveEffect: 'Once approved, the category counts for subsidies from its start date. This is recorded in the audit log.',
    note: 'What you checked',
    noteHint: 'For example: saw the original minimum allowance certificate',
    reason: 'Reason for rejecting',
    approved: 'Approved',
    rejected: 'Rejected',
    empty: 'No categories await approval',
  },
};

export default approvals;
