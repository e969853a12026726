/** Kiosks: pairing and revoking. */
const devices = {
  devices: {
    title: '自助点餐机',
    name: '设备名称',
    pairedAt: '配对时间',
    lastSeen: '最近在线',
    state: '状态',
    paired: '已配对',
    pending: '待配对',
    revoked: '已注销',
    pair: '配对新设备',
    pairTitle: '配对自助机',
    pairName: '设备名称（如 大厅1号机）',
    codeTitle: '在自助机上输入配对码',
    expiresIn: '{{time}} 前有效（剩余 {{left}}）',
    expired: '配对码已过期，请重新生成',
    revoke: '注销',
    revokeConfirm: '注销后该设备将立即无法下单，确定吗？',
    never: '从未',
  },
};

export default devices;
