/** The category approval queue of street and district staff. */
const approvals = {
  approvals: {
    title: '类别审核',
    intro: '特困、低保等影响补贴的类别由饭堂或同事登记后，须由街道或区民政核对依据后批准才计入补贴。不能审核自己提交的类别。',
    resident: '长者',
    category: '类别',
    evidence: '依据',
    proposed: '提交人',
    approve: '批准',
    reject: '驳回',
    approveTitle: '批准 {{name}} 的 {{category}}？',
    rejectTitle: '驳回 {{name}} 的 {{category}}？',
    approveEffect: '批准后，此类别自起始日期起计入补贴，并记入审计日志。',
    note: '核对说明',
    noteHint: '例如：已核对低保证原件',
    reason: '驳回原因',
    approved: '已批准',
    rejected: '已驳回',
    empty: '没有待审核的类别',
  },
};

export default approvals;
