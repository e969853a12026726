import type zh from '../zh/reviews';

/** Offline orders to review: orders a kiosk took offline whose server price differed from what it showed. */
const reviews: typeof zh = {
  lateReviews: {
    nav: 'Offline orders to review',
    title: 'Offline orders to review',
    intro:
      'With the network down a kiosk prices from its own cache and takes the order; once back online the server prices it again under that meal’s rules. Orders where the two differ are kept as served and listed here: on the left what the kiosk showed the elder, on the right what the server decided. Settle each: accept it as served, or (street, district and city reviewers) disallow its subsidy from the claims.',
    month: 'Month',
    status: 'Status',
    statuses: { open: 'To review', resolved: 'Settled', all: 'All' },
    canteen: 'Canteen',
    allCanteens: 'All canteens',
    meal: 'Meal',
    resident: 'Resident',
    guest: 'Guest',
    pickup: 'Pickup no.',
    reasons: 'Why',
    kioskFigure: 'Kiosk showed',
    serverFigure: 'Server decided',
    subsidy: 'Subsidy {{amount}}',
    pays: 'Pays {{amount}}',
    result: 'Result',
    open: 'To review',
    resolutions: { accepted: 'Accepted as served', disallowed: 'Subsidy disallowed' },
    resolvedBy: '{{name}} at {{time}}',
    accept: 'Accept as served',
    disallow: 'Disallow subsidy',
    noSubsidy: 'The server gave no subsidy: nothing to disallow',
    acceptTitle: 'Accept as served',
    acceptHint: 'The order stays at the server’s figures and its subsidy is claimed as usual. Add a note if you like.',
    disallowTitle: 'Disallow this order’s subsidy from the claims',
    disallowHint:
      'The subsidy comes out of every claim that counts this order (an approved claim gets an adjustment in the next one). The operator will read your reason.',
    note: 'Note',
    reason: 'Reason',
    reasonRequired: 'Say why (at least 2 characters)',
    accepted: 'Accepted',
    disallowed: 'Disallowed {{amount}} ({{claims}} claims)',
    empty: 'No offline orders to review.',
    reasonTexts: {
      subsidy_used_elsewhere: 'Subsidy already used in this meal elsewhere',
      eligibility_changed: 'Eligibility changed',
      policy_changed: 'Subsidy policy changed',
      price_changed: 'Price differs',
      sold_out: 'Dish sold out',
      dish_unavailable: 'Dish no longer on the menu',
      wallet_short: 'Wallet balance too low',
      wallet_limit: 'Over the offline wallet limit',
      not_confirmed: 'More than the elder confirmed',
      outside_hours: 'Outside meal hours',
      clock_untrusted: 'Kiosk clock not trusted',
      credential_revoked: 'Card was revoked',
    },
  },
};

export default reviews;
