import type { Dict } from './zh';

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

export const en: Strings<Dict> = {
  app: { name: 'Yishi', subtitle: 'Elder canteen console', loading: 'Loading…', retry: 'Retry', comingSoon: 'Coming soon', comingSoonDesc: 'This page is being built.' },
  common: {
    save: 'Save', cancel: 'Cancel', confirm: 'OK', edit: 'Edit', create: 'New', delete: 'Delete', close: 'Close', search: 'Search',
    refresh: 'Refresh', actions: 'Actions', yes: 'Yes', no: 'No', none: 'None', all: 'All', unlimited: 'Unlimited', saved: 'Saved', done: 'Done',
    reason: 'Reason', status: 'Status', name: 'Name', date: 'Date', time: 'Time', total: '{{count}} in total', back: 'Back', required: 'Required',
    optional: 'Optional', loadFailed: 'Could not load', today: 'Today', prevWeek: 'Previous week', nextWeek: 'Next week', thisWeek: 'This week',
  },
  nav: {
    overview: 'Overview', workspace: 'Canteen', orders: "Today's orders", kitchen: 'Kitchen', menus: 'Menus', dishes: 'Dishes', residents: 'Residents',
    devices: 'Kiosks', users: 'Users', policy: 'Subsidy policy', claims: 'Claims', reports: 'Reports', admin: 'Administration',
  },
  header: {
    language: 'Language', changePassword: 'Change password', logout: 'Log out', logoutAll: 'Log out everywhere', logoutAllConfirm: 'End every session of this account on every device?',
    pickCanteen: 'Choose canteen', live: 'Live', offline: 'Reconnecting',
  },
  roles: { operator: 'Operator', street: 'Street office', district: 'District bureau', city: 'City bureau', admin: 'Administrator' },
  mealPeriods: { breakfast: 'Breakfast', lunch: 'Lunch', dinner: 'Dinner' },
  supplyModes: {
    own_kitchen: 'Own kitchen', unit_canteen: 'Work-unit canteen window', catered: 'Catered', restaurant: 'Restaurant', care_institution: 'Care institution', neighbour_help: 'Neighbour help',
  },
  canteenStatus: { open: 'Open', suspended: 'Suspended', closed: 'Closed' },
  orderStates: { awaiting_payment: 'Awaiting payment', paid: 'Paid', ready: 'Ready', completed: 'Completed', cancelled: 'Cancelled', refunded: 'Refunded' },
  paymentMethods: { wallet: 'Wallet', cash: 'Cash', external: 'External' },
  identifyMethods: { card: 'Card', qr: 'QR code', phone_pin: 'Phone + PIN', staff: 'Staff', guest: 'Guest' },
  fulfilments: { dine_in: 'Dine-in', delivery: 'Delivery' },
  categories: {
    tekun: 'Extreme poverty', dibao: 'Minimum allowance', dibao_edge: 'Near-minimum', low_income: 'Low income', youfu: 'Veteran', jisheng_special: 'Bereaved only-child family',
    lives_alone: 'Lives alone', all_elderly_household: 'All-elderly household', centenarian: 'Centenarian', disabled: 'Disabled',
  },
  residentStatus: { active: 'Active', deceased: 'Deceased', moved: 'Moved away', institutionalised: 'In an institution' },
  disability: { none: 'None', light: 'Light', moderate: 'Moderate', severe: 'Severe' },
  gender: { female: 'F', male: 'M' },
  dishTags: { soft: 'Soft', low_salt: 'Low salt', low_sugar: 'Low sugar', low_fat: 'Low fat', vegetarian: 'Vegetarian', halal: 'Halal', spicy: 'Spicy', high_protein: 'High protein' },
  allergens: { peanut: 'Peanut', tree_nut: 'Tree nut', milk: 'Milk', egg: 'Egg', fish: 'Fish', shellfish: 'Shellfish', soy: 'Soy', wheat: 'Wheat', sesame: 'Sesame' },
  cardKinds: { ss_card: 'Social security card', senior_card: 'Senior card', qr: 'QR code' },
  walletKinds: { topup: 'Top-up', payment: 'Payment', refund: 'Refund', adjustment: 'Adjustment' },
  weekdays: { 1: 'Mon', 2: 'Tue', 3: 'Wed', 4: 'Thu', 5: 'Fri', 6: 'Sat', 7: 'Sun' },
  login: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in', lockedUntil: 'This account is locked until {{time}}.',
    lockedFor: 'This account is locked. Try again in {{minutes}} minutes.', attemptsLeft: '{{count}} attempts left before the account locks.', footer: 'Elder canteens · ordering, settlement and subsidies',
  },
  password: {
    title: 'Change password', forcedTitle: 'Set your own password', forcedDesc: 'To protect residents’ data, please choose your own password first.', current: 'Current password', next: 'New password',
    repeat: 'Repeat new password', rule: 'At least 10 characters, with letters and digits', mismatch: 'The passwords do not match', changed: 'Password changed',
  },
  overview: {
    title: 'Canteens in my area', canteens: 'Canteens', todayOrders: 'Orders today', subsidisedMeals: 'Subsidised meals', revenue: 'Revenue today', district: 'District', street: 'Street',
    supplyMode: 'Supply mode', code: 'Code', open: 'Open', operator: 'Operator', seats: 'Seats', service: 'Service', filterDistrict: 'District', filterMode: 'Mode',
    searchPlaceholder: 'Search by name or code', chartTitle: 'Orders today by district',
  },
  workspace: { noCanteen: 'No canteen is assigned to your account. Please contact an administrator.', pick: 'Choose a canteen', currentPeriod: 'Current meal', noPeriod: 'Outside meal hours' },
  orders: {
    title: "Today's orders", pickup: 'No.', resident: 'Resident', guest: 'Guest', lines: 'Dishes', price: 'Price', subsidy: 'Subsidy', pays: 'Paid by elder', payment: 'Payment',
    state: 'State', createdAt: 'Ordered', confirmPayment: 'Confirm payment', markReady: 'Ready', complete: 'Picked up', cancel: 'Cancel', refund: 'Refund',
    confirmPaymentTitle: 'Confirm payment · No. {{number}}', method: 'Method', reference: 'Payment reference', referenceHint: 'Transaction number of the external payment, 4–64 characters',
    cancelTitle: 'Cancel order No. {{number}}?', refundTitle: 'Refund order No. {{number}}?', refundWarn: 'The money goes back the way it came (wallet payments to the wallet). This is recorded in the audit log.',
    reasonPlaceholder: 'Reason', completeConfirm: 'Has No. {{number}} been picked up?', empty: 'No orders', allPeriods: 'All meals', stateFilter: 'State',
    counts: 'Awaiting payment {{awaiting}} · In kitchen {{paid}} · Ready {{ready}} · Completed {{completed}}', delivery: 'Delivery', updated: 'Order updated', newOrder: 'New order: No. {{number}}',
  },
  kitchen: {
    title: 'Kitchen queue', empty: 'Nothing waiting', serve: 'Ready', wall: 'Wall screen', exitWall: 'Exit wall screen', waiting: 'Waiting {{minutes}} min', queue: '{{count}} waiting', ready: 'Ready for pickup',
  },
  menus: {
    title: 'Menus', todayTitle: "Today's menu · sold out in one click", soldOut: 'Sold out', onSale: 'On sale', portions: 'Portions', sold: 'Sold', remaining: 'Left', week: 'Week menu',
    editSlot: 'Edit menu: {{date}} {{period}}', empty: 'No menu', addDish: 'Add dishes', note: 'Note', noMenuToday: 'No menu for this meal today', portionsHint: 'Leave empty for unlimited',
    setPortions: 'Set portions', soldOutOn: '{{name}} marked sold out', soldOutOff: '{{name}} back on sale', copyPrev: 'Copy last week', price: 'Price', dishes: 'dishes',
  },
  dishes: {
    title: 'Dishes', name: 'Name', nameEn: 'English name', description: 'Description', category: 'Category', price: 'Price (¥)', priceCol: 'Price', tags: 'Tags', allergens: 'Allergens',
    nutrition: 'Nutrition (per portion)', kcal: 'Energy kcal', protein: 'Protein g', fat: 'Fat g', carb: 'Carbs g', sodium: 'Sodium mg', sugar: 'Sugar g', active: 'Active',
    setMeal: 'Set meal', setMealItems: 'Set meal contents', create: 'New dish', edit: 'Edit dish', priceChanged: 'Price changed: a price change needs approval and a public notice',
    priceReason: 'Reason for the change', priceApprovalRef: 'Approval reference', invalidPrice: 'Enter an amount such as 12 or 12.50', inactive: 'Inactive', showInactive: 'Show inactive dishes',
  },
  residents: {
    title: 'Residents', search: 'Search name, last 4 phone digits or card number', name: 'Name', idNumber: 'ID number', phone: 'Phone', age: 'Age', hukou: 'Hukou', categories: 'Categories',
    balance: 'Balance', status: 'Status', careLevel: 'Care level', onlyHome: 'Only residents of this canteen', detail: 'Resident', basic: 'Details', address: 'Address',
    disability: 'Disability level', disabilityGrade: 'Disability grade', livesAlone: 'Lives alone', dietNeeds: 'Diet needs', allergies: 'Allergies', validity: 'Valid', evidence: 'Evidence',
    validFrom: 'from', validTo: 'to', openEnded: 'open-ended', expired: 'Expired', reveal: 'Reveal full ID number', revealWarn: 'Viewing the full ID number is recorded in the audit log (who, when, whose). Continue?',
    cards: 'Cards', addCard: 'Add card', cardKind: 'Kind', cardNumber: 'Card number', issueQr: 'Issue QR code', qrTitle: 'Resident QR code', qrHint: 'Print it or let the resident keep it; the kiosk scans it. It is shown only once.',
    revokeCard: 'Revoke', revokeCardConfirm: 'Revoke this card? It will no longer identify the resident.', cardLast4: 'ending {{last4}}', revoked: 'Revoked', issuedAt: 'Issued',
    pin: 'Kiosk PIN', setPin: 'Set PIN', pinSet: 'Set', pinNone: 'Not set', pinLocked: 'Locked', pinHint: '6 digits; setting it also clears a lock', pinSaved: 'PIN set',
    wallet: 'Wallet', topup: 'Top up', amount: 'Amount (¥)', method: 'Method', reference: 'Reference', topupDone: 'Topped up; balance {{balance}}', invalidAmount: 'Enter ¥1–2000 with at most two decimals',
    entries: 'Entries', kind: 'Kind', noEntries: 'No entries', homeCanteen: 'Home canteen',
  },
  devices: {
    title: 'Kiosks', name: 'Name', pairedAt: 'Paired', lastSeen: 'Last seen', state: 'State', paired: 'Paired', pending: 'Waiting to pair', revoked: 'Revoked',
    pair: 'Pair a new kiosk', pairTitle: 'Pair a kiosk', pairName: 'Kiosk name (e.g. Hall 1)', codeTitle: 'Enter this code on the kiosk', expiresIn: 'Valid until {{time}} ({{left}} left)',
    expired: 'The code has expired; make a new one', revoke: 'Revoke', revokeConfirm: 'The kiosk will stop working at once. Revoke it?', never: 'Never',
  },
  users: {
    title: 'Users', username: 'Username', displayName: 'Name', role: 'Role', scope: 'Area', canteens: 'Canteens', status: 'Status', active: 'Active', disabled: 'Disabled',
    locked: 'Locked until {{time}}', mustChange: 'Must change password', create: 'New user', initialPassword: 'Initial password', initialPasswordHint: 'Must be changed at first login; 10+ characters with letters and digits',
    canSeeId: 'May see full ID numbers', disable: 'Disable', enable: 'Enable', unlock: 'Unlock', disableConfirm: 'Disabling ends all of this user’s sessions at once. Continue?', created: 'User created',
    generate: 'Generate',
  },
  errors: {
    bad_request: 'Something in the form is wrong; check the fields marked in red.', unauthenticated: 'Your session has ended. Please sign in again.', forbidden: 'You are not allowed to do this.', not_found: 'Not found.',
    conflict: 'This conflicts with the current state; refresh and try again.', idempotency_mismatch: 'A repeated request did not match the first; refresh and try again.', rate_limited: 'Too many requests; please wait a moment.',
    payload_too_large: 'The request is too large.', login_failed: 'Wrong username or password.', account_locked: 'This account is locked; try again later.', account_disabled: 'This account is disabled; contact an administrator.',
    password_change_required: 'Please change your password first.', weak_password: 'Password too weak: at least 10 characters with letters and digits.', pin_locked: 'PIN locked.', pin_wrong: 'Wrong PIN.',
    resident_not_found: 'Resident not found.', resident_inactive: 'This resident is not active.', card_unknown: 'Unknown card.', canteen_closed: 'The canteen is closed or outside meal hours.',
    menu_not_found: 'There is no menu for this meal yet.', dish_unavailable: 'That dish is not on this menu.', sold_out: 'Sold out.', insufficient_balance: 'Insufficient balance.',
    invalid_state: 'The order’s state does not allow this; refresh.', delivery_not_offered: 'Delivery is not offered.', policy_invalid: 'Invalid subsidy policy.', policy_frozen: 'This policy version has priced orders and cannot change.',
    claim_frozen: 'This claim is frozen.', pairing_code_invalid: 'Invalid or expired pairing code.', device_revoked: 'This device has been revoked.', csrf_rejected: 'Request origin check failed; reload the page.',
    internal: 'Server error; please try again later.', network: 'Network error; check the connection and try again.', unknown: 'Something went wrong.',
  },
};
