import type zh from '../zh/auth';

/** Logging in, passwords and console accounts. */
const auth: typeof zh = {
  login: {
    title: 'Sign in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    lockedUntil: 'This account is locked until {{time}}.',
    lockedFor: 'This account is locked. Try again in {{minutes}} minutes.',
    attemptsLeft: '{{count}} attempts left before the account locks.',
    footer: 'Elder canteens · ordering, settlement and subsidies',
  },
  password: {
    title: 'Change password',
    forcedTitle: 'Set your own password',
    forcedDesc: 'To protect residents’ data, please choose your own password first.',
    current: 'Current password',
    next: 'New password',
    repeat: 'Repeat new password',
    rule: 'At least 10 characters, with letters and digits',
    mismatch: 'The passwords do not match',
    changed: 'Password changed',
  },
  users: {
    title: 'Users',
    username: 'Username',
    displayName: 'Name',
    role: 'Role',
    scope: 'Area',
    canteens: 'Canteens',
    status: 'Status',
    active: 'Active',
    disabled: 'Disabled',
    locked: 'Locked until {{time}}',
    mustChange: 'Must change password',
    create: 'New user',
    initialPassword: 'Initial password',
    initialPasswordHint: 'Must be changed at first login; 10+ characters with letters and digits',
    canSeeId: 'May see full ID numbers',
    disable: 'Disable',
    enable: 'Enable',
    unlock: 'Unlock',
    disableConfirm: 'Disabling ends all of this user’s sessions at once. Continue?',
    created: 'User created',
    generate: 'Generate',
    usernameHint: '3–64 lower-case letters, digits or . _ -, used to log in',
  },
};

export default auth;
