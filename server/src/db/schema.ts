/**
 * The data model. Money columns are integer fen (`*_fen`). Instants are ISO-8601 UTC text;
 * service dates are the canteen's local 'YYYY-MM-DD'. JSON columns hold small arrays only.
 * Append-only tables (wallet_entries, audit_log, order_subsidies, price_changes) are never updated.
 * Every list of allowed values comes from shared/src/domain (or the policy schema): never retyped here.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  ACTOR_TYPES,
  AREA_LEVELS,
  CALENDAR_DAY_KINDS,
  CANTEEN_STATUSES,
  CARD_KINDS,
  CATEGORY_STATES,
  CLAIM_STATES,
  DELIVERY_STATES,
  DISABILITY_LEVELS,
  FULFILMENTS,
  GENDERS,
  IDENTIFY_METHODS,
  MEAL_PERIODS,
  MEAL_RATINGS,
  ORDER_CATEGORIES,
  ORDER_STATES,
  ORGANISATION_KINDS,
  PAYMENT_DIRECTIONS,
  PAYMENT_METHODS,
  POLICY_VERSION_STATUSES,
  RESIDENT_STATUSES,
  ROLES,
  STAFF_REASONS,
  SUPPLY_MODES,
  WALLET_ENTRY_KINDS,
} from '@yishi/shared/domain';
import type { LayerKind, PolicyLevel } from '@yishi/shared/policy';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
const json = <T>(name: string) => text(name, { mode: 'json' }).$type<T>();

// ───────────────────────────── areas & organisations ─────────────────────────────

/** city → district → street/town → community, by administrative code (4401 → 440106 → 440106001 → 440106001001). */
export const areas = sqliteTable(
  'areas',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    level: text('level', { enum: AREA_LEVELS }).notNull(),
    parentCode: text('parent_code'),
  },
  (t) => [index('areas_parent').on(t.parentCode)],
);

export const organisations = sqliteTable('organisations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ORGANISATION_KINDS }).notNull(),
  contact: text('contact'),
  createdAt: text('created_at').notNull().default(now),
});

// ───────────────────────────── canteens ─────────────────────────────

export const canteens = sqliteTable(
  'canteens',
  {
    id: text('id').primaryKey(),
    /** District-issued number, e.g. 'TH-2020-015'. */
    code: text('code').notNull(),
    /** Official name: XX区XX街道XX社区长者饭堂. */
    name: text('name').notNull(),
    shortName: text('short_name').notNull(),
    /** The area the canteen sits in (community or street code). */
    areaCode: text('area_code').notNull(),
    streetCode: text('street_code').notNull(),
    districtCode: text('district_code').notNull(),
    supplyMode: text('supply_mode', { enum: SUPPLY_MODES }).notNull(),
    address: text('address').notNull(),
    phone: text('phone'),
    seats: integer('seats').notNull(),
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    dineIn: integer('dine_in', { mode: 'boolean' }).notNull().default(true),
    delivery: integer('delivery', { mode: 'boolean' }).notNull().default(true),
    status: text('status', { enum: CANTEEN_STATUSES }).notNull().default('open'),
    statusReason: text('status_reason'),
    statusFrom: text('status_from'),
    statusUntil: text('status_until'),
    operatorOrgId: text('operator_org_id').notNull(),
    openedOn: text('opened_on'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('canteens_code').on(t.code), index('canteens_district').on(t.districtCode), index('canteens_street').on(t.streetCode)],
);

/** Opening hours per meal period; `days` are ISO weekdays (1 = Monday). */
export const canteenMealPeriods = sqliteTable(
  'canteen_meal_periods',
  {
    canteenId: text('canteen_id').notNull(),
    period: text('period', { enum: MEAL_PERIODS }).notNull(),
    opens: text('opens').notNull(),
    closes: text('closes').notNull(),
    days: json<number[]>('days').notNull(),
  },
  (t) => [primaryKey({ columns: [t.canteenId, t.period] })],
);

/** Official calendar: public holidays and adjusted working days (调休). */
export const calendarDays = sqliteTable('calendar_days', {
  date: text('date').primaryKey(),
  kind: text('kind', { enum: CALENDAR_DAY_KINDS }).notNull(),
  note: text('note'),
});

// ───────────────────────────── residents ─────────────────────────────

export const residents = sqliteTable(
  'residents',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    gender: text('gender', { enum: GENDERS }).notNull(),
    birthDate: text('birth_date').notNull(),
    /** AES-256-GCM ciphertext of the ID number; never leaves the server unmasked without an audited permission. */
    idNumberEnc: text('id_number_enc').notNull(),
    /** HMAC-SHA256 of the normalised ID number, for lookup. */
    idNumberHash: text('id_number_hash').notNull(),
    idNumberLast4: text('id_number_last4').notNull(),
    phoneEnc: text('phone_enc'),
    phoneHash: text('phone_hash'),
    phoneLast4: text('phone_last4'),
    /** 户籍 area code (street level where known); null = not a local 户籍 resident. */
    hukouAreaCode: text('hukou_area_code'),
    residenceAreaCode: text('residence_area_code').notNull(),
    address: text('address'),
    careLevel: integer('care_level').notNull().default(0),
    disabilityGrade: integer('disability_grade'),
    disabilityLevel: text('disability_level', { enum: DISABILITY_LEVELS }).notNull().default('none'),
    livesAlone: integer('lives_alone', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: RESIDENT_STATUSES }).notNull().default('active'),
    statusSince: text('status_since'),
    dietNeeds: json<string[]>('diet_needs')
      .notNull()
      .default(sql`'[]'`),
    allergies: json<string[]>('allergies')
      .notNull()
      .default(sql`'[]'`),
    pinHash: text('pin_hash'),
    pinFailures: integer('pin_failures').notNull().default(0),
    pinLockedUntil: text('pin_locked_until'),
    homeCanteenId: text('home_canteen_id'),
    emergencyContact: text('emergency_contact'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('residents_id_number').on(t.idNumberHash),
    index('residents_phone').on(t.phoneHash),
    index('residents_home_canteen').on(t.homeCanteenId),
    index('residents_residence').on(t.residenceAreaCode),
  ],
);

/** Categories (特困, 低保 …) with validity and the evidence they rest on. */
export const residentCategories = sqliteTable(
  'resident_categories',
  {
    id: text('id').primaryKey(),
    residentId: text('resident_id').notNull(),
    code: text('code').notNull(),
    validFrom: text('valid_from').notNull(),
    validTo: text('valid_to'),
    evidence: text('evidence').notNull(),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
    /** Set when someone ends the category early: why, who, when. */
    endReason: text('end_reason'),
    endedBy: text('ended_by'),
    endedAt: text('ended_at'),
    /**
     * Proposed categories are pending (pricing ignores them) until street or district staff approve them, never
     * their own proposal; `created_by` is who proposed. Rows from before approval existed were approved by the
     * migration that added this column.
     */
    state: text('state', { enum: CATEGORY_STATES }).notNull().default('pending'),
    /** The proposer's and the decider's display names as they were then (the register shows them; users belong to auth). */
    createdByName: text('created_by_name'),
    decidedBy: text('decided_by'),
    decidedByName: text('decided_by_name'),
    decidedAt: text('decided_at'),
    /** The approver's note, or why it was rejected. */
    decisionNote: text('decision_note'),
  },
  (t) => [index('resident_categories_resident').on(t.residentId), index('resident_categories_state').on(t.state)],
);

/** Identity tokens: social-security card, senior card (老年优待卡), QR token. Stored as keyed hash + last 4. */
export const residentTokens = sqliteTable(
  'resident_tokens',
  {
    id: text('id').primaryKey(),
    residentId: text('resident_id').notNull(),
    kind: text('kind', { enum: CARD_KINDS }).notNull(),
    tokenHash: text('token_hash').notNull(),
    last4: text('last4').notNull(),
    issuedAt: text('issued_at').notNull().default(now),
    revokedAt: text('revoked_at'),
  },
  (t) => [uniqueIndex('resident_tokens_hash').on(t.tokenHash), index('resident_tokens_resident').on(t.residentId)],
);

// ───────────────────────────── dishes & menus ─────────────────────────────

export const dishes = sqliteTable(
  'dishes',
  {
    id: text('id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    description: text('description'),
    category: text('category').notNull(),
    photoUrl: text('photo_url'),
    priceFen: integer('price_fen').notNull(),
    isSetMeal: integer('is_set_meal', { mode: 'boolean' }).notNull().default(false),
    kcal: integer('kcal'),
    proteinG: integer('protein_g'),
    fatG: integer('fat_g'),
    carbG: integer('carb_g'),
    sodiumMg: integer('sodium_mg'),
    sugarG: integer('sugar_g'),
    tags: json<string[]>('tags')
      .notNull()
      .default(sql`'[]'`),
    allergens: json<string[]>('allergens')
      .notNull()
      .default(sql`'[]'`),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull().default(now),
    /** The elder always pays this line in full (a delivery fee, a packaging charge): no subsidy falls on it. */
    fullPay: integer('full_pay', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('dishes_canteen').on(t.canteenId)],
);

export const setMealItems = sqliteTable(
  'set_meal_items',
  {
    setMealId: text('set_meal_id').notNull(),
    dishId: text('dish_id').notNull(),
    quantity: integer('quantity').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.setMealId, t.dishId] })],
);

/** Price history: a change needs approval and a public notice. Append-only. */
export const priceChanges = sqliteTable(
  'price_changes',
  {
    id: text('id').primaryKey(),
    dishId: text('dish_id').notNull(),
    oldPriceFen: integer('old_price_fen'),
    newPriceFen: integer('new_price_fen').notNull(),
    reason: text('reason').notNull(),
    approvalRef: text('approval_ref'),
    noticeFrom: text('notice_from'),
    changedBy: text('changed_by'),
    changedAt: text('changed_at').notNull().default(now),
  },
  (t) => [index('price_changes_dish').on(t.dishId)],
);

export const menus = sqliteTable(
  'menus',
  {
    id: text('id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    serviceDate: text('service_date').notNull(),
    mealPeriod: text('meal_period', { enum: MEAL_PERIODS }).notNull(),
    note: text('note'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('menus_slot').on(t.canteenId, t.serviceDate, t.mealPeriod)],
);

/** A dish on a menu with its portions: `portions` null = no limit; `sold` counts portions taken. */
export const menuItems = sqliteTable(
  'menu_items',
  {
    menuId: text('menu_id').notNull(),
    dishId: text('dish_id').notNull(),
    portions: integer('portions'),
    sold: integer('sold').notNull().default(0),
    soldOut: integer('sold_out', { mode: 'boolean' }).notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.menuId, t.dishId] })],
);

// ───────────────────────────── policy ─────────────────────────────

export const policyVersions = sqliteTable(
  'policy_versions',
  {
    id: text('id').primaryKey(),
    /** Groups the versions of one policy line (e.g. 'guangzhou-city'). */
    policyKey: text('policy_key').notNull(),
    version: integer('version').notNull(),
    level: text('level').$type<PolicyLevel>().notNull(),
    areaCode: text('area_code').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: POLICY_VERSION_STATUSES }).notNull().default('draft'),
    document: json<unknown>('document').notNull(),
    effectiveFrom: text('effective_from').notNull(),
    effectiveTo: text('effective_to'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
    publishedBy: text('published_by'),
    publishedAt: text('published_at'),
    /** Set when the first order is priced under this version; from then on it is frozen. */
    firstUsedAt: text('first_used_at'),
  },
  (t) => [uniqueIndex('policy_versions_key_version').on(t.policyKey, t.version), index('policy_versions_area').on(t.areaCode)],
);

// ───────────────────────────── orders & money ─────────────────────────────

export const orders = sqliteTable(
  'orders',
  {
    /** Client-made uuid v7: a retried submit finds the first result. */
    id: text('id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    residentId: text('resident_id'),
    serviceDate: text('service_date').notNull(),
    mealPeriod: text('meal_period', { enum: MEAL_PERIODS }).notNull(),
    fulfilment: text('fulfilment', { enum: FULFILMENTS }).notNull(),
    state: text('state', { enum: ORDER_STATES }).notNull(),
    identifyMethod: text('identify_method', { enum: IDENTIFY_METHODS }).notNull(),
    pickupNumber: integer('pickup_number').notNull(),
    mealPriceFen: integer('meal_price_fen').notNull(),
    elderSubsidyFen: integer('elder_subsidy_fen').notNull(),
    elderPaysFen: integer('elder_pays_fen').notNull(),
    operatorSubsidyFen: integer('operator_subsidy_fen').notNull(),
    paymentMethod: text('payment_method', { enum: PAYMENT_METHODS }).notNull(),
    policyVersionIds: json<string[]>('policy_version_ids').notNull(),
    deviceId: text('device_id'),
    staffUserId: text('staff_user_id'),
    deliveryAddress: text('delivery_address'),
    createdAt: text('created_at').notNull(),
    paidAt: text('paid_at'),
    readyAt: text('ready_at'),
    completedAt: text('completed_at'),
    cancelledAt: text('cancelled_at'),
    refundedAt: text('refunded_at'),
    /** Hash of the request body, so a reused id with a different body is refused rather than silently answered. */
    requestHash: text('request_hash').notNull(),
    /** The quote the elder confirmed, when the order named one: one order per quote. */
    quoteId: text('quote_id'),
    /** The category the order counts under (claims, reports): the resident's most needy on the service date; null for a guest. */
    residentCategory: text('resident_category', { enum: ORDER_CATEGORIES }),
    /** The external payment reference given with the order; from a kiosk a claim that staff confirm (payments holds the confirmed one). */
    paymentReference: text('payment_reference'),
    /** Staff-keyed subsidised orders: why no card or PIN was used, and the note. */
    staffReason: text('staff_reason', { enum: STAFF_REASONS }),
    staffReasonNote: text('staff_reason_note'),
  },
  (t) => [
    index('orders_canteen_day').on(t.canteenId, t.serviceDate, t.mealPeriod),
    index('orders_resident').on(t.residentId, t.serviceDate),
    uniqueIndex('orders_pickup').on(t.canteenId, t.serviceDate, t.mealPeriod, t.pickupNumber),
    // One subsidised meal per resident per meal period, enforced by the database.
    uniqueIndex('orders_one_subsidised_meal')
      .on(t.residentId, t.serviceDate, t.mealPeriod)
      .where(sql`elder_subsidy_fen > 0 AND state NOT IN ('cancelled', 'refunded')`),
    index('orders_created').on(t.createdAt),
    uniqueIndex('orders_quote').on(t.quoteId),
    index('orders_day_canteen').on(t.serviceDate, t.canteenId),
    // Reports and indicators read a period of the whole city from this index alone (no row is visited).
    index('orders_report').on(
      t.serviceDate,
      t.canteenId,
      t.state,
      t.mealPeriod,
      t.fulfilment,
      t.paymentMethod,
      t.residentCategory,
      t.elderSubsidyFen,
      t.elderPaysFen,
      t.operatorSubsidyFen,
      t.mealPriceFen,
      t.residentId,
      t.id,
    ),
  ],
);

export const orderLines = sqliteTable(
  'order_lines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: text('order_id').notNull(),
    dishId: text('dish_id').notNull(),
    dishName: text('dish_name').notNull(),
    unitPriceFen: integer('unit_price_fen').notNull(),
    quantity: integer('quantity').notNull(),
    lineTotalFen: integer('line_total_fen').notNull(),
    elderSubsidyFen: integer('elder_subsidy_fen').notNull(),
  },
  (t) => [index('order_lines_order').on(t.orderId)],
);

/** The split per layer and payer, as priced. Append-only; a correction is a new claim adjustment. */
export const orderSubsidies = sqliteTable(
  'order_subsidies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: text('order_id').notNull(),
    layerKey: text('layer_key').notNull(),
    policyVersionId: text('policy_version_id').notNull(),
    layerId: text('layer_id').notNull(),
    layerName: text('layer_name').notNull(),
    level: text('level').notNull(),
    payer: text('payer').notNull(),
    kind: text('kind').$type<LayerKind>().notNull(),
    amountFen: integer('amount_fen').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [
    index('order_subsidies_order').on(t.orderId),
    index('order_subsidies_layer').on(t.layerKey),
    // Subsidy by payer and kind for a period, joined from orders_report without visiting a row.
    index('order_subsidies_split').on(t.orderId, t.payer, t.kind, t.amountFen),
  ],
);

export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    method: text('method', { enum: PAYMENT_METHODS }).notNull(),
    direction: text('direction', { enum: PAYMENT_DIRECTIONS }).notNull(),
    amountFen: integer('amount_fen').notNull(),
    reference: text('reference'),
    confirmedBy: text('confirmed_by'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('payments_order').on(t.orderId)],
);

/** The wallet is the sum of its entries. Append-only; a refund is a new entry. */
export const walletEntries = sqliteTable(
  'wallet_entries',
  {
    id: text('id').primaryKey(),
    residentId: text('resident_id').notNull(),
    kind: text('kind', { enum: WALLET_ENTRY_KINDS }).notNull(),
    amountFen: integer('amount_fen').notNull(),
    orderId: text('order_id'),
    canteenId: text('canteen_id'),
    method: text('method'),
    reference: text('reference'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('wallet_entries_resident').on(t.residentId), uniqueIndex('wallet_entries_order_kind').on(t.orderId, t.kind)],
);

export const deliveries = sqliteTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    canteenId: text('canteen_id').notNull(),
    residentId: text('resident_id'),
    address: text('address').notNull(),
    state: text('state', { enum: DELIVERY_STATES }).notNull().default('pending'),
    courier: text('courier'),
    careLevelAtOrder: integer('care_level_at_order').notNull().default(0),
    dispatchedAt: text('dispatched_at'),
    deliveredAt: text('delivered_at'),
    note: text('note'),
  },
  (t) => [uniqueIndex('deliveries_order').on(t.orderId), index('deliveries_canteen').on(t.canteenId)],
);

export const dailyCloses = sqliteTable(
  'daily_closes',
  {
    id: text('id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    serviceDate: text('service_date').notNull(),
    totals: json<Record<string, number>>('totals').notNull(),
    closedBy: text('closed_by').notNull(),
    closedAt: text('closed_at').notNull(),
  },
  (t) => [uniqueIndex('daily_closes_day').on(t.canteenId, t.serviceDate)],
);

// ───────────────────────────── claims ─────────────────────────────

export const claims = sqliteTable(
  'claims',
  {
    id: text('id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    month: text('month').notNull(),
    /** 0 for the month's claim, 1.. for later adjustments to an approved claim. */
    sequence: integer('sequence').notNull().default(0),
    state: text('state', { enum: CLAIM_STATES }).notNull().default('draft'),
    totalFen: integer('total_fen').notNull().default(0),
    disallowedFen: integer('disallowed_fen').notNull().default(0),
    totalsByPayer: json<Record<string, number>>('totals_by_payer')
      .notNull()
      .default(sql`'{}'`),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
    submittedBy: text('submitted_by'),
    submittedAt: text('submitted_at'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: text('reviewed_at'),
    reviewNote: text('review_note'),
  },
  (t) => [uniqueIndex('claims_month').on(t.canteenId, t.month, t.sequence)],
);

export const claimLines = sqliteTable(
  'claim_lines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    claimId: text('claim_id').notNull(),
    orderId: text('order_id').notNull(),
    layerKey: text('layer_key').notNull(),
    payer: text('payer').notNull(),
    kind: text('kind').notNull(),
    amountFen: integer('amount_fen').notNull(),
    disallowed: integer('disallowed', { mode: 'boolean' }).notNull().default(false),
    disallowReason: text('disallow_reason'),
  },
  (t) => [index('claim_lines_claim').on(t.claimId), uniqueIndex('claim_lines_order_layer').on(t.claimId, t.orderId, t.layerKey)],
);

// ───────────────────────────── people, sessions, devices ─────────────────────────────

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    /** Area code the role covers: street/district/city staff. Operators are scoped by user_canteens. */
    scopeAreaCode: text('scope_area_code'),
    organisationId: text('organisation_id'),
    canSeeIdNumbers: integer('can_see_id_numbers', { mode: 'boolean' }).notNull().default(false),
    mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(true),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: text('locked_until'),
    passwordChangedAt: text('password_changed_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('users_username').on(t.username)],
);

export const userCanteens = sqliteTable(
  'user_canteens',
  {
    userId: text('user_id').notNull(),
    canteenId: text('canteen_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.canteenId] })],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the cookie token; the token itself is never stored. */
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    revokedAt: text('revoked_at'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const devices = sqliteTable(
  'devices',
  {
    id: text('id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    name: text('name').notNull(),
    credentialHash: text('credential_hash'),
    pairingCodeHash: text('pairing_code_hash'),
    pairingExpiresAt: text('pairing_expires_at'),
    pairedAt: text('paired_at'),
    revokedAt: text('revoked_at'),
    lastSeenAt: text('last_seen_at'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('devices_credential').on(t.credentialHash),
    uniqueIndex('devices_pairing_code').on(t.pairingCodeHash),
    index('devices_canteen').on(t.canteenId),
  ],
);

/**
 * Guessing guards: wrong tries at a secret (a resident's phone + PIN, a console login), counted per key (a keyed
 * hash of the phone, a hash of the user name) whether or not anyone has that phone or name, so the answers (tries
 * left, locked until) never tell who is registered. A try is reserved here, inside one write, before the slow
 * hash is compared; a right answer deletes the row.
 */
export const attemptGuards = sqliteTable('attempt_guards', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lockedUntil: text('locked_until'),
  updatedAt: text('updated_at').notNull(),
});

// ───────────────────────────── audit & food safety ─────────────────────────────

/** Append-only, hash-chained: hash = sha256(prevHash + canonical row). A changed or deleted row breaks the chain. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    actorType: text('actor_type', { enum: ACTOR_TYPES }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    details: json<Record<string, unknown>>('details').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_entity').on(t.entityType, t.entityId), index('audit_at').on(t.at)],
);

export const foodSamples = sqliteTable(
  'food_samples',
  {
    id: text('id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    serviceDate: text('service_date').notNull(),
    mealPeriod: text('meal_period', { enum: MEAL_PERIODS }).notNull(),
    dishName: text('dish_name').notNull(),
    weightGrams: integer('weight_grams').notNull(),
    storedAt: text('stored_at').notNull(),
    discardAfter: text('discard_after').notNull(),
    storedBy: text('stored_by').notNull(),
    note: text('note'),
  },
  (t) => [index('food_samples_canteen').on(t.canteenId, t.serviceDate)],
);

// ───────────────────────────── indicators ─────────────────────────────

/** The elder's one-tap rating of a meal at the kiosk that placed the order: once per order, never changed. */
export const mealRatings = sqliteTable(
  'meal_ratings',
  {
    orderId: text('order_id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    serviceDate: text('service_date').notNull(),
    rating: text('rating', { enum: MEAL_RATINGS }).notNull(),
    /** The kiosk that sent it; null for ratings loaded with the demo history. */
    deviceId: text('device_id'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('meal_ratings_day_canteen').on(t.serviceDate, t.canteenId)],
);
