import type zh from '../zh/devices';

/** Kiosks: pairing and revoking. */
const devices: typeof zh = {
  devices: {
    title: 'Kiosks',
    name: 'Name',
    pairedAt: 'Paired',
    lastSeen: 'Last seen',
    state: 'State',
    paired: 'Paired',
    pending: 'Waiting to pair',
    revoked: 'Revoked',
    pair: 'Pair a new kiosk',
    pairTitle: 'Pair a kiosk',
    pairName: 'Kiosk name (e.g. Hall 1)',
    codeTitle: 'Enter this code on the kiosk',
    expiresIn: 'Valid until {{time}} ({{left}} left)',
    expired: 'The code has expired; make a new one',
    revoke: 'Revoke',
    revokeConfirm: 'The kiosk will stop working at once. Revoke it?',
    never: 'Never',
    online: 'Online',
    offline: 'Offline',
    waiting: 'Orders waiting',
    drift: 'Clock drift',
    driftNone: 'On time',
    driftSeconds: '{{n}} s',
    driftMinutes: '{{n}} min',
    behind: '{{d}} behind',
    ahead: '{{d}} ahead',
    cacheAge: 'Offline data',
    noCache: 'None',
    minutesAgo: '{{n}} min ago',
    hoursAgo: '{{n}} h ago',
  },
};

export default devices;
