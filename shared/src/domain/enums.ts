/** Vocabulary shared by server, console and kiosk. Codes are stable; labels live in the apps' i18n. */

export const MEAL_PERIODS = ['breakfast', 'lunch', 'dinner'] as const;
export type MealPeriod = (typeof MEAL_PERIODS)[number];

/** The six Guangzhou supply modes (供餐模式). */
export const SUPPLY_MODES = [
  'own_kitchen', // 自主供给
  'unit_canteen', // 单位食堂专区
  'catered', // 集体用餐配送
  'restaurant', // 餐饮门店
  'care_institution', // 养老机构辐射
  'neighbour_help', // 邻里互助
] as const;
export type SupplyMode = (typeof SUPPLY_MODES)[number];

export const RESIDENT_CATEGORIES = [
  'tekun', // 特困 extreme poverty
  'dibao', // 低保 minimum living allowance
  'dibao_edge', // 低保边缘
  'low_income', // 低收入
  'youfu', // 优抚 entitled veterans
  'jisheng_special', // 计生特殊家庭
  'lives_alone', // 独居
  'all_elderly_household', // 纯老家庭
  'centenarian', // 百岁老人
  'disabled', // 残疾
] as const;
export type ResidentCategory = (typeof RESIDENT_CATEGORIES)[number];

/**
 * Where a recorded category stands: proposed (pending: pricing ignores it), approved by street or district staff
 * (it counts from its validFrom), or rejected (with the reason). See SUBSIDY_CATEGORIES.
 */
export const CATEGORY_STATES = ['pending', 'approved', 'rejected'] as const;
export type CategoryState = (typeof CATEGORY_STATES)[number];

export const RESIDENT_STATUSES = ['active', 'deceased', 'moved', 'institutionalised'] as const;
export type ResidentStatus = (typeof RESIDENT_STATUSES)[number];

export const DISABILITY_LEVELS = ['none', 'light', 'moderate', 'severe'] as const; // 失能程度
export type DisabilityLevel = (typeof DISABILITY_LEVELS)[number];

export const CANTEEN_STATUSES = ['open', 'suspended', 'closed'] as const;
export type CanteenStatus = (typeof CANTEEN_STATUSES)[number];

export const AREA_LEVELS = ['city', 'district', 'street', 'community'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

export const ORGANISATION_KINDS = ['operator', 'government', 'charity'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** An official calendar day: a public holiday, or a weekend day made a working day (调休). */
export const CALENDAR_DAY_KINDS = ['holiday', 'working'] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

export const GENDERS = ['female', 'male'] as const;
export type Gender = (typeof GENDERS)[number];

/** What identifies a resident at a kiosk: a social-security card, a senior card (老年优待卡), a QR code. */
export const CARD_KINDS = ['ss_card', 'senior_card', 'qr'] as const;
export type CardKind = (typeof CARD_KINDS)[number];

export const FULFILMENTS = ['dine_in', 'delivery'] as const;
export type Fulfilment = (typeof FULFILMENTS)[number];

export const ORDER_STATES = [
  'awaiting_payment', // pay at the counter: waits for staff to confirm cash / external reference
  'paid', // paid, in the kitchen queue
  'ready', // ready for pickup / out for delivery
  'completed', // picked up / delivered
  'cancelled', // cancelled before payment
  'refunded', // refunded after payment
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const PAYMENT_METHODS = ['wallet', 'cash', 'external'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Money staff receive at the counter: cash, or an external payment (WeChat, Alipay, bank card) with its reference. */
export const COUNTER_PAYMENT_METHODS = ['cash', 'external'] as const;
export type CounterPaymentMethod = (typeof COUNTER_PAYMENT_METHODS)[number];

export const PAYMENT_DIRECTIONS = ['in', 'refund'] as const;
export type PaymentDirection = (typeof PAYMENT_DIRECTIONS)[number];

export const IDENTIFY_METHODS = ['card', 'qr', 'phone_pin', 'staff', 'guest'] as const;
export type IdentifyMethod = (typeof IDENTIFY_METHODS)[number];

/**
 * How a kiosk may identify a resident with the network down: from keyed hashes (under that kiosk's own key) of
 * cards, QR tokens and phone + PIN in its offline cache. Offline wrong PINs are limited on the kiosk as online
 * (PIN_MAX_FAILURES); what a stolen kiosk exposes is in docs/threat-model.md.
 */
export const OFFLINE_IDENTIFY_METHODS = ['card', 'qr', 'phone_pin'] as const;
export type OfflineIdentifyMethod = (typeof OFFLINE_IDENTIFY_METHODS)[number];

/** Phone + PIN locks after this many wrong tries in a row, for PIN_LOCK_MINUTES: on the server, and on a kiosk offline. */
export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MINUTES = 30;

/**
 * Why an order that reached the server late (made offline, or sent from a kiosk's outbox after its quote ran
 * out) is kept as served but flagged for review: what the server found different from what the kiosk showed.
 * - subsidy_used_elsewhere: the resident had already had a subsidised meal in that meal period (at another
 *   canteen or kiosk); this order is stored with no subsidy (the settlement's double_subsidy anomaly reads it).
 * - eligibility_changed: the resident's eligibility or status on that date gives another subsidy.
 * - policy_changed: other policy versions were in force than the kiosk priced with.
 * - price_changed: the dishes cost something else (or the figure differs for another reason).
 * - sold_out: a dish had no portions left on the server's count; the order was served anyway.
 * - dish_unavailable: a dish was no longer on that meal's menu; priced at the dish's own price.
 * - wallet_short / wallet_limit: the wallet payment could not be taken (balance, or the offline limit a day);
 *   the order waits for payment at the counter.
 * - not_confirmed: the server's figure is higher than what the elder confirmed; it waits for staff.
 * - outside_hours: no meal period was open at the kiosk's time; stored under the meal the kiosk named.
 * - clock_untrusted: the kiosk's clock was implausible; the order is dated when it arrived.
 * - credential_revoked: the card or QR code was revoked before the order was made.
 */
export const REVIEW_REASONS = [
  'subsidy_used_elsewhere',
  'eligibility_changed',
  'policy_changed',
  'price_changed',
  'sold_out',
  'dish_unavailable',
  'wallet_short',
  'wallet_limit',
  'not_confirmed',
  'outside_hours',
  'clock_untrusted',
  'credential_revoked',
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

/**
 * How staff settle a flagged late order (console 离线订单复核): accepted as served (its figures stand), or its
 * subsidy disallowed from the claims that count it (claims service, as a reviewer's disallowance).
 */
export const REVIEW_RESOLUTIONS = ['accepted', 'disallowed'] as const;
export type ReviewResolution = (typeof REVIEW_RESOLUTIONS)[number];

/** Why staff keyed a resident's subsidised order instead of a card tap or phone + PIN (stored on the order, audited). */
export const STAFF_REASONS = [
  'forgot_card', // 忘带卡
  'card_damaged', // 卡损坏
  'on_behalf', // 代办 (someone orders for the elder)
  'other', // 其他 (the note says what)
] as const;
export type StaffReason = (typeof STAFF_REASONS)[number];

export const ROLES = [
  'operator', // 运营机构 staff at one or more canteens
  'street', // 街道 staff
  'district', // 区民政
  'city', // 市民政
  'admin', // platform administrator (city scope, user management)
] as const;
export type Role = (typeof ROLES)[number];

/** `payout`: a deceased or moved-out resident's balance paid to a named family member; the wallet is closed after it. */
export const WALLET_ENTRY_KINDS = ['topup', 'payment', 'refund', 'adjustment', 'payout'] as const;
export type WalletEntryKind = (typeof WALLET_ENTRY_KINDS)[number];

/** How a wallet balance is paid out: cash at the counter, or a bank / mobile transfer (with its reference). */
export const PAYOUT_METHODS = ['cash', 'transfer'] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];

/**
 * A dish price change (调价) or a new dish's first price: proposed by the operator, approved or rejected by street /
 * district staff, or withdrawn by the operator while it waits. Approved changes take effect on their date.
 */
export const PRICE_CHANGE_STATES = ['proposed', 'approved', 'rejected', 'withdrawn'] as const;
export type PriceChangeState = (typeof PRICE_CHANGE_STATES)[number];

/** A change of an existing price must be announced at least this many days before it takes effect (design choice). */
export const PRICE_NOTICE_MIN_DAYS = 1;
/** The kiosk keeps showing an approved change this many days after it took effect (公示: before and after). */
export const PRICE_NOTICE_DAYS_AFTER = 7;

export const POLICY_VERSION_STATUSES = ['draft', 'published', 'retired'] as const;
export type PolicyVersionStatus = (typeof POLICY_VERSION_STATUSES)[number];

/** Who an audit row says acted: a console user, a kiosk, or the system itself. */
export const ACTOR_TYPES = ['user', 'device', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/**
 * A claim's life: draft (generated, regenerated at will) → submitted (by the operator; its orders are snapshotted)
 * → checked (street staff passed it to the district) → approved (district; frozen from here on) → paid. Street staff
 * may send a submitted claim back (returned); the district may reject a checked one (rejected); the operator
 * resubmits either after reading the reasons.
 */
export const CLAIM_STATES = ['draft', 'submitted', 'checked', 'returned', 'rejected', 'approved', 'paid'] as const;
export type ClaimState = (typeof CLAIM_STATES)[number];
/** States in which the operator may regenerate and (re)submit a claim. */
export const CLAIM_OPEN_STATES = ['draft', 'returned', 'rejected'] as const satisfies readonly ClaimState[];
/** States in which nothing recomputes a claim: later changes become adjustments in a later claim. */
export const CLAIM_FROZEN_STATES = ['approved', 'paid'] as const satisfies readonly ClaimState[];

/** How often a payer is claimed: every month, or every quarter (a quarter's claim covers its three months). */
export const CLAIM_CADENCES = ['month', 'quarter'] as const;
export type ClaimCadence = (typeof CLAIM_CADENCES)[number];

/** The subsidy kinds a claim line is split by (the policy layers' kinds). */
export const SUBSIDY_KINDS = ['meal', 'delivery', 'operating'] as const;
export type SubsidyKind = (typeof SUBSIDY_KINDS)[number];

/** Why an approved claim is corrected by an adjustment line in a later claim. */
export const CLAIM_ADJUSTMENT_REASONS = [
  'refund', // an order of the approved claim was refunded afterwards
  'disallowed', // a reviewer disallowed an order of the approved claim afterwards
  'anomaly', // an anomaly confirmed afterwards covers an order of the approved claim
] as const;
export type ClaimAdjustmentReason = (typeof CLAIM_ADJUSTMENT_REASONS)[number];

/**
 * What the anomaly scan looks for (stable codes; the console and exports translate them). Thresholds are named
 * constants in server/src/modules/anomalies/thresholds.ts.
 */
export const ANOMALY_KINDS = [
  'double_subsidy', // the same resident subsidised twice in one meal period, anywhere
  'after_death', // subsidised after the recorded date of death
  'after_move_out', // subsidised after moving away or entering a care institution
  'under_age', // under 60 on the service date
  'category_expired', // a subsidy that depended on a category the resident did not hold that day
  'outside_hours', // a subsidised order placed outside the canteen's opening hours
  'closed_day', // a subsidised order on a day the canteen was closed, suspended or not serving that meal
  'delivery_level', // a delivery subsidy above what the resident's care level allows
  'volume_spike', // far more orders than the canteen's own normal for that weekday and meal
  'price_clustering', // meal prices bunched where the subsidy is largest, far more than across the city
  'staff_keyed', // a share of orders keyed in by staff far above the city's norm
  'refund_after_claim', // an order refunded after its claim was submitted
  'no_elderly_diners', // three consecutive months without a registered elder eating at the canteen
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** open → explained (with a note: not irregular) or confirmed (irregular: its orders are disallowed). */
export const ANOMALY_STATUSES = ['open', 'explained', 'confirmed'] as const;
export type AnomalyStatus = (typeof ANOMALY_STATUSES)[number];

export const DELIVERY_STATES = ['pending', 'out', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const DISH_TAGS = ['soft', 'low_salt', 'low_sugar', 'low_fat', 'vegetarian', 'halal', 'spicy', 'high_protein'] as const;
export type DishTag = (typeof DISH_TAGS)[number];

export const ALLERGENS = ['peanut', 'tree_nut', 'milk', 'egg', 'fish', 'shellfish', 'soy', 'wheat', 'sesame'] as const;
export type Allergen = (typeof ALLERGENS)[number];

export const DIET_NEEDS = ['diabetes', 'hypertension', 'soft_food', 'vegetarian', 'low_fat'] as const;
export type DietNeed = (typeof DIET_NEEDS)[number];

/**
 * Who may do what, by role: the groups the server's access rules, its services and the console's routes all
 * use. Defined here once; never spell a group out again.
 */
export const ROLE_GROUPS = {
  /** Everyone who can log in to the console. */
  all: ROLES,
  /** Run a canteen: orders, menus, kitchen, wallets, kiosks (operators, and the platform administrator). */
  canteenStaff: ['operator', 'admin'],
  /** See an area: street, district and city staff (and the administrator). */
  areaStaff: ['street', 'district', 'city', 'admin'],
  /** Accounts whose rights cover one area, so they need a scope area code (the administrator has no scope). */
  areaScoped: ['street', 'district', 'city'],
  /** Review and approve what operators claim or change (eligibility, prices, claims). */
  reviewers: ['street', 'district', 'city', 'admin'],
  /** Change subsidy policy and canteen status (district and above). */
  policyAuthors: ['district', 'city', 'admin'],
  /** Manage console accounts. */
  accountManagers: ['admin', 'city'],
  /** Keep resident records (register, correct, cards). */
  recordKeepers: ['operator', 'street', 'admin'],
  /** Approve or reject a proposed category that changes a subsidy (never their own proposal). */
  eligibilityApprovers: ['street', 'district'],
  /** Check the hash-chained audit log (city and platform staff). */
  auditors: ['city', 'admin'],
  /** Read the audit log in the console: street and district staff see the rows of their area, city staff all. */
  auditReaders: ['street', 'district', 'city', 'admin'],
  /** Generate, submit and resubmit a canteen's claims. */
  claimants: ['operator', 'admin'],
  /** Check a submitted claim first: pass it to the district or send it back (street office). */
  claimCheckers: ['street', 'admin'],
  /** Approve, reject or disallow orders of a checked claim (district civil-affairs bureau). */
  claimApprovers: ['district', 'admin'],
  /** Record the payment of an approved claim. */
  claimPayers: ['district', 'city', 'admin'],
  /** Decide how often a payer is claimed (monthly or quarterly). */
  claimSettings: ['district', 'city', 'admin'],
} as const satisfies Record<string, readonly Role[]>;
export type RoleGroup = keyof typeof ROLE_GROUPS;
