/**
 * The data model. Money columns are integer fen (`*_fen`). Instants are ISO-8601 UTC text;
 * service dates are the canteen's local 'YYYY-MM-DD'. JSON columns hold small arrays only.
 * Append-only tables (wallet_entries, audit_log, order_subsidies) are never updated; price_changes rows are never
 * deleted, and a proposal's decision (state, decided_*) is written once.
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
  ANOMALY_KINDS,
  ANOMALY_STATUSES,
  CLAIM_ADJUSTMENT_REASONS,
  CLAIM_CADENCES,
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
  PAYOUT_METHODS,
  POLICY_VERSION_STATUSES,
  PRICE_CHANGE_STATES,
  RESIDENT_STATUSES,
  REVIEW_REASONS,
  REVIEW_RESOLUTIONS,
  ROLES,
  SUBSIDY_KINDS,
  ROSTER_IMPORT_STATES,
  STAFF_REASONS,
  SUPPLY_MODES,
  WALLET_ENTRY_KINDS,
} from '@yishi/shared/domain';
import type { ReviewReason } from '@yishi/shared/domain';
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
    /** What a resident may pay from the wallet per day at this canteen's kiosks while they are offline (0 = counter only). */
    walletOfflineLimitFen: integer('wallet_offline_limit_fen').notNull().default(2000),
    /** How long a delivery takes from the order (the ticket's expected time). */
    deliveryMinutes: integer('delivery_minutes').notNull().default(60),
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
    /**
     * AES-256-GCM ciphertext of the PIN, so a kiosk's offline cache can hold a keyed hash of phone + PIN under that
     * kiosk's own key (docs/threat-model.md). Kept when a PIN is set, or the first time it is used online.
     */
    pinEnc: text('pin_enc'),
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
    // The month-end scan starts from the few residents under age or no longer active, not from every order.
    index('residents_birth_date').on(t.birthDate),
    index('residents_status').on(t.status, t.statusSince),
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
    /**
     * AES-256-GCM ciphertext of the normalised card number / QR token, so the server can give each kiosk keyed
     * hashes under that kiosk's own key for its offline cache. Null for tokens issued before it was kept: such a
     * card is filled in the first time it is tapped online.
     */
    tokenEnc: text('token_enc'),
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

/**
 * Price history: every price a dish has had or was proposed to have. An operator proposes (state 'proposed', with a
 * reason and the date it should take effect); street or district staff approve or reject it with a note (written
 * once); an approved change is the dish's price from `effective_on` (the canteen's local date) until a later one.
 * A new dish's first price is a proposal too (old_price_fen null). Rows from before approvals existed were applied
 * directly: the migration marks them approved (the first price of a dish effective from 2000-01-01).
 */
export const priceChanges = sqliteTable(
  'price_changes',
  {
    id: text('id').primaryKey(),
    dishId: text('dish_id').notNull(),
    canteenId: text('canteen_id').notNull(),
    oldPriceFen: integer('old_price_fen'),
    newPriceFen: integer('new_price_fen').notNull(),
    reason: text('reason').notNull(),
    /** The approving office's reference (批复文号), when it gave one. */
    approvalRef: text('approval_ref'),
    /** When the public notice began (the approval). */
    noticeFrom: text('notice_from'),
    /** Who proposed it, and when. */
    changedBy: text('changed_by'),
    changedAt: text('changed_at').notNull().default(now),
    state: text('state', { enum: PRICE_CHANGE_STATES }).notNull(),
    /** The canteen's local date from which the new price applies. */
    effectiveOn: text('effective_on').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    decisionNote: text('decision_note'),
    /** The people as they were named when they proposed and decided (the history shows who). */
    proposedByName: text('proposed_by_name'),
    decidedByName: text('decided_by_name'),
  },
  (t) => [
    index('price_changes_dish').on(t.dishId),
    index('price_changes_dish_effective').on(t.dishId, t.state, t.effectiveOn),
    index('price_changes_canteen').on(t.canteenId, t.state),
  ],
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
    /** When the kiosk says the person confirmed, by its own clock (an order sent later from its outbox). */
    clientCreatedAt: text('client_created_at'),
    /** Priced by the kiosk offline from its cache, synced later. */
    offline: integer('offline', { mode: 'boolean' }).notNull().default(false),
    /** The external payment reference given with the order; from a kiosk a claim that staff confirm (payments holds the confirmed one). */
    paymentReference: text('payment_reference'),
    /** Staff-keyed subsidised orders: why no card or PIN was used, and the note. */
    staffReason: text('staff_reason', { enum: STAFF_REASONS }),
    staffReasonNote: text('staff_reason_note'),
  },
  (t) => [
    // A resident's orders by day and meal; the pricing history of every tap, quote and order (its subsidy rows
    // joined by id) reads only this index, never the table.
    index('orders_resident').on(t.residentId, t.serviceDate, t.mealPeriod, t.state, t.id, t.canteenId),
    // A resident's latest order ("和上次一样" on every tap) without sorting all their orders.
    index('orders_resident_created').on(t.residentId, t.createdAt),
    // Also a canteen's orders by day and meal (its prefix): the queue, the daily close, days served. No separate index
    // for that prefix, nor for (service_date, canteen_id), the prefix of orders_settlement and orders_report: every
    // index is one more B-tree insert in every order.
    uniqueIndex('orders_pickup').on(t.canteenId, t.serviceDate, t.mealPeriod, t.pickupNumber),
    // One subsidised meal per resident per meal period, enforced by the database.
    uniqueIndex('orders_one_subsidised_meal')
      .on(t.residentId, t.serviceDate, t.mealPeriod)
      .where(sql`elder_subsidy_fen > 0 AND state NOT IN ('cancelled', 'refunded')`),
    index('orders_created').on(t.createdAt),
    uniqueIndex('orders_quote').on(t.quoteId),
    // Refunds are few: the claims' reconciliation finds the ones after a claim through this.
    index('orders_refunded')
      .on(t.refundedAt)
      .where(sql`refunded_at IS NOT NULL`),
    // Month-end aggregates (claims, the anomaly scan) read a period's orders from this index alone, never the table.
    index('orders_settlement').on(
      t.serviceDate,
      t.canteenId,
      t.mealPeriod,
      t.state,
      t.fulfilment,
      t.identifyMethod,
      t.residentId,
      t.mealPriceFen,
      t.elderSubsidyFen,
      t.operatorSubsidyFen,
      t.createdAt,
    ),
    // The console's order lists page on the server: a canteen's orders newest first, or of one state newest first.
    index('orders_canteen_created').on(t.canteenId, t.createdAt, t.id),
    index('orders_canteen_state_created').on(t.canteenId, t.state, t.createdAt, t.id),
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
    // An order's split; the pricing history reads its paid layers from this index alone.
    index('order_subsidies_order').on(t.orderId, t.amountFen, t.layerKey),
    index('order_subsidies_layer').on(t.layerKey),
    // Subsidy by payer and kind for a period, joined from orders_report without visiting a row.
    index('order_subsidies_split').on(t.orderId, t.payer, t.kind, t.amountFen),
  ],
);

/**
 * Orders that reached the server late (made offline at a kiosk, or sent from its outbox after the quote ran out):
 * what the kiosk showed against what the server priced at that meal, and whether that needs a person. One row
 * per such order. `reason = 'subsidy_used_elsewhere'` is a second subsidised meal in one meal period that was
 * stored with no subsidy (the settlement's double_subsidy anomaly reads these).
 */
export const orderReviews = sqliteTable(
  'order_reviews',
  {
    orderId: text('order_id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    residentId: text('resident_id'),
    serviceDate: text('service_date').notNull(),
    mealPeriod: text('meal_period', { enum: MEAL_PERIODS }).notNull(),
    flagged: integer('flagged', { mode: 'boolean' }).notNull(),
    reason: text('reason', { enum: REVIEW_REASONS }),
    reasons: json<ReviewReason[]>('reasons').notNull(),
    kioskElderPaysFen: integer('kiosk_elder_pays_fen').notNull(),
    kioskElderSubsidyFen: integer('kiosk_elder_subsidy_fen').notNull(),
    kioskPolicyVersionIds: json<string[]>('kiosk_policy_version_ids').notNull(),
    serverElderPaysFen: integer('server_elder_pays_fen').notNull(),
    serverElderSubsidyFen: integer('server_elder_subsidy_fen').notNull(),
    serverPolicyVersionIds: json<string[]>('server_policy_version_ids').notNull(),
    createdAt: text('created_at').notNull(),
    resolvedAt: text('resolved_at'),
    resolvedBy: text('resolved_by'),
    /** How a flagged review was settled (REVIEW_RESOLUTIONS), with the note or reason staff gave, and by whom (name as then). */
    resolution: text('resolution', { enum: REVIEW_RESOLUTIONS }),
    resolutionNote: text('resolution_note'),
    resolvedByName: text('resolved_by_name'),
  },
  (t) => [
    index('order_reviews_day').on(t.serviceDate, t.canteenId),
    index('order_reviews_flagged').on(t.flagged, t.reason, t.serviceDate),
    index('order_reviews_resident').on(t.residentId, t.serviceDate, t.mealPeriod),
  ],
);

/**
 * Orders a kiosk priced offline that the server refused when they arrived (the credential hash did not prove the
 * resident, the meal was too far off, …): the person was served on what the kiosk showed, and nothing was stored
 * as an order, so canteen staff settle each by hand (收款, 核对) and mark it handled. One row per order id.
 */
export const refusedOrders = sqliteTable(
  'refused_orders',
  {
    orderId: text('order_id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    deviceId: text('device_id'),
    /** The resident the kiosk named (not proven: that is often why it was refused). */
    residentId: text('resident_id'),
    serviceDate: text('service_date').notNull(),
    mealPeriod: text('meal_period', { enum: MEAL_PERIODS }).notNull(),
    lines: json<{ dishId: string; quantity: number }[]>('lines').notNull(),
    paymentMethod: text('payment_method', { enum: PAYMENT_METHODS }).notNull(),
    quotedElderPaysFen: integer('quoted_elder_pays_fen').notNull(),
    quotedElderSubsidyFen: integer('quoted_elder_subsidy_fen').notNull(),
    madeAt: text('made_at'),
    receivedAt: text('received_at').notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
    handledAt: text('handled_at'),
    handledBy: text('handled_by'),
    handledByName: text('handled_by_name'),
    handledNote: text('handled_note'),
  },
  (t) => [index('refused_orders_day').on(t.serviceDate, t.canteenId)],
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
    /** The staff member as named when they took or paid out the money (printed on the receipt). */
    createdByName: text('created_by_name'),
    /** Top-ups and payouts: '<canteen code>-<YYYYMMDD>-<NNNN>', numbered per canteen and local day. */
    receiptNo: text('receipt_no'),
  },
  (t) => [
    // A balance (the sum of a resident's entries, on every tap, quote and payment) from this index alone.
    index('wallet_entries_resident').on(t.residentId, t.amountFen),
    uniqueIndex('wallet_entries_order_kind').on(t.orderId, t.kind),
    uniqueIndex('wallet_entries_receipt').on(t.receiptNo),
    index('wallet_entries_canteen').on(t.canteenId, t.createdAt),
  ],
);

/** Who a closed wallet's balance was paid out to (a `payout` wallet entry), for a deceased or moved-out resident. */
export const walletPayouts = sqliteTable(
  'wallet_payouts',
  {
    /** The payout's wallet entry. */
    entryId: text('entry_id').primaryKey(),
    residentId: text('resident_id').notNull(),
    recipientName: text('recipient_name').notNull(),
    /** 子女, 配偶 … as the family member says. */
    recipientRelation: text('recipient_relation').notNull(),
    recipientIdLast4: text('recipient_id_last4'),
    recipientPhoneEnc: text('recipient_phone_enc'),
    recipientPhoneLast4: text('recipient_phone_last4'),
    method: text('method', { enum: PAYOUT_METHODS }).notNull(),
    reference: text('reference'),
    /** The resident's status that closed the wallet. */
    residentStatus: text('resident_status', { enum: RESIDENT_STATUSES }).notNull(),
    note: text('note'),
  },
  (t) => [uniqueIndex('wallet_payouts_resident').on(t.residentId)],
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
    /** The courier's name, as the canteen assigns it (couriers are not console users). */
    courier: text('courier'),
    careLevelAtOrder: integer('care_level_at_order').notNull().default(0),
    dispatchedAt: text('dispatched_at'),
    deliveredAt: text('delivered_at'),
    note: text('note'),
    /** Copied from the order when it is placed (they never change): the route list needs no join. */
    serviceDate: text('service_date').notNull().default(''),
    mealPeriod: text('meal_period', { enum: MEAL_PERIODS }).notNull().default('lunch'),
    pickupNumber: integer('pickup_number').notNull().default(0),
    /** What to carry: '白切鸡饭×1，例汤×1'. */
    items: text('items').notNull().default(''),
    /** Where in the courier's round this stop comes (1 = first); null until a courier is assigned. */
    stopOrder: integer('stop_order'),
    assignedBy: text('assigned_by'),
    dispatchedBy: text('dispatched_by'),
    deliveredBy: text('delivered_by'),
    failedAt: text('failed_at'),
    failedBy: text('failed_by'),
    failReason: text('fail_reason'),
    /** A resident who lives alone and was not reached: raised when the delivery fails, until staff acknowledge it. */
    alertAt: text('alert_at'),
    alertAckAt: text('alert_ack_at'),
    alertAckBy: text('alert_ack_by'),
    alertAckNote: text('alert_ack_note'),
  },
  (t) => [
    uniqueIndex('deliveries_order').on(t.orderId),
    index('deliveries_canteen').on(t.canteenId),
    index('deliveries_canteen_day').on(t.canteenId, t.serviceDate, t.courier),
    index('deliveries_open_alerts')
      .on(t.canteenId)
      .where(sql`alert_at IS NOT NULL AND alert_ack_at IS NULL`),
  ],
);

/**
 * A canteen's day, closed (日结): its totals frozen as they stood at the close (`totals`, a CloseTotals), with the
 * cash counted against the cash expected, and the adjustments to earlier closed days that changed after their
 * close (a refund, a late payment, a cancellation), which this close carries instead of rewriting theirs.
 */
export const dailyCloses = sqliteTable(
  'daily_closes',
  {
    id: text('id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    serviceDate: text('service_date').notNull(),
    totals: json<Record<string, unknown>>('totals').notNull(),
    closedBy: text('closed_by').notNull(),
    closedAt: text('closed_at').notNull(),
    /** Cash the drawer should hold: the day's cash taken less cash refunded, plus the adjustments' cash. */
    cashExpectedFen: integer('cash_expected_fen').notNull().default(0),
    cashCountedFen: integer('cash_counted_fen').notNull().default(0),
    /** counted − expected: negative is a shortfall. */
    cashDifferenceFen: integer('cash_difference_fen').notNull().default(0),
    cashNote: text('cash_note'),
    /** Per earlier closed day: what changed since its close (a CloseAdjustment[]). */
    adjustments: json<unknown[]>('adjustments')
      .notNull()
      .default(sql`'[]'`),
  },
  (t) => [uniqueIndex('daily_closes_day').on(t.canteenId, t.serviceDate)],
);

// ───────────────────────────── claims ─────────────────────────────

/**
 * A claim: what one canteen asks one payer (a policy layer's payer: the city, a district, a street, a charity) for
 * one period (a month, or a quarter for payers claimed quarterly). Lines and totals are computed in SQL from the
 * stored splits (order_subsidies); from submission on, the claim's orders are snapshotted in claim_orders, and
 * from approval on nothing recomputes it (a later change is a claim_adjustments row in a later claim).
 */
export const claims = sqliteTable(
  'claims',
  {
    id: text('id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    /** The canteen's street and district: scope checks and the annual clearing by district read these. */
    streetCode: text('street_code').notNull(),
    districtCode: text('district_code').notNull(),
    payer: text('payer').notNull(),
    /** '2026-11' for a month, '2026-Q4' for a quarter. */
    period: text('period').notNull(),
    cadence: text('cadence', { enum: CLAIM_CADENCES }).notNull(),
    periodFrom: text('period_from').notNull(),
    periodTo: text('period_to').notNull(),
    state: text('state', { enum: CLAIM_STATES }).notNull().default('draft'),
    /** 1 when first generated; +1 for each regeneration or resubmission. */
    revision: integer('revision').notNull().default(1),
    orderCount: integer('order_count').notNull().default(0),
    /** Σ lines (the stored splits of the claim's orders for this payer). */
    claimedFen: integer('claimed_fen').notNull().default(0),
    disallowedCount: integer('disallowed_count').notNull().default(0),
    disallowedFen: integer('disallowed_fen').notNull().default(0),
    /** Σ adjustment lines (negative: money given back for earlier claims). */
    adjustmentFen: integer('adjustment_fen').notNull().default(0),
    /** claimed − disallowed + adjustments: what the payer is asked to pay. */
    totalFen: integer('total_fen').notNull().default(0),
    generatedAt: text('generated_at').notNull(),
    generatedBy: text('generated_by'),
    /** When the orders were snapshotted (submission); null for a draft. */
    snapshotAt: text('snapshot_at'),
    submittedAt: text('submitted_at'),
    submittedBy: text('submitted_by'),
    submittedByName: text('submitted_by_name'),
    checkedAt: text('checked_at'),
    checkedBy: text('checked_by'),
    checkedByName: text('checked_by_name'),
    /** The district's decision (approved or rejected). */
    decidedAt: text('decided_at'),
    decidedBy: text('decided_by'),
    decidedByName: text('decided_by_name'),
    paidFen: integer('paid_fen'),
    paidOn: text('paid_on'),
    paymentReference: text('payment_reference'),
    paidBy: text('paid_by'),
    paidByName: text('paid_by_name'),
    paymentRecordedAt: text('payment_recorded_at'),
  },
  (t) => [
    uniqueIndex('claims_canteen_payer_period').on(t.canteenId, t.payer, t.period),
    index('claims_district_period').on(t.districtCode, t.periodFrom),
    index('claims_street_period').on(t.streetCode, t.periodFrom),
    index('claims_period').on(t.periodFrom, t.state),
  ],
);

/** A claim's summary lines: order category × meal period × subsidy kind, with how many orders and how much. */
export const claimLines = sqliteTable(
  'claim_lines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    claimId: text('claim_id').notNull(),
    /** orders.resident_category (null only for an order without a resident, which no layer pays). */
    category: text('category', { enum: ORDER_CATEGORIES }),
    mealPeriod: text('meal_period', { enum: MEAL_PERIODS }).notNull(),
    kind: text('kind', { enum: SUBSIDY_KINDS }).notNull(),
    orderCount: integer('order_count').notNull(),
    amountFen: integer('amount_fen').notNull(),
  },
  (t) => [index('claim_lines_claim').on(t.claimId)],
);

/** The orders of a submitted claim, with this payer's amounts, as they stood at submission: never recomputed. */
export const claimOrders = sqliteTable(
  'claim_orders',
  {
    claimId: text('claim_id').notNull(),
    orderId: text('order_id').notNull(),
    serviceDate: text('service_date').notNull(),
    mealPeriod: text('meal_period', { enum: MEAL_PERIODS }).notNull(),
    category: text('category', { enum: ORDER_CATEGORIES }),
    mealFen: integer('meal_fen').notNull(),
    deliveryFen: integer('delivery_fen').notNull(),
    operatingFen: integer('operating_fen').notNull(),
    amountFen: integer('amount_fen').notNull(),
  },
  (t) => [primaryKey({ columns: [t.claimId, t.orderId] }), index('claim_orders_order').on(t.orderId)],
);

/** An order a reviewer (or a confirmed anomaly) took out of a claim before approval, with the reason. */
export const claimDisallowances = sqliteTable(
  'claim_disallowances',
  {
    id: text('id').primaryKey(),
    claimId: text('claim_id').notNull(),
    orderId: text('order_id').notNull(),
    reason: text('reason').notNull(),
    source: text('source', { enum: ['review', 'anomaly'] }).notNull(),
    anomalyId: text('anomaly_id'),
    by: text('by'),
    byName: text('by_name'),
    at: text('at').notNull(),
    /** Put back before approval (a mistake): who, when, why. The row stays. */
    revokedAt: text('revoked_at'),
    revokedBy: text('revoked_by'),
    revokedByName: text('revoked_by_name'),
    revokeReason: text('revoke_reason'),
  },
  (t) => [
    index('claim_disallowances_claim').on(t.claimId),
    uniqueIndex('claim_disallowances_active')
      .on(t.claimId, t.orderId)
      .where(sql`revoked_at IS NULL`),
  ],
);

/**
 * A correction to an approved claim, carried as a line of the next open claim of the same canteen and payer
 * (claim_id; null while no such claim exists yet: it is attached when one is generated). Never an edit.
 */
export const claimAdjustments = sqliteTable(
  'claim_adjustments',
  {
    id: text('id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    payer: text('payer').notNull(),
    /** The claim that carries it (null: waiting for the next claim). */
    claimId: text('claim_id'),
    /** The approved claim it corrects. */
    sourceClaimId: text('source_claim_id').notNull(),
    orderId: text('order_id').notNull(),
    reason: text('reason', { enum: CLAIM_ADJUSTMENT_REASONS }).notNull(),
    /** Signed: negative gives money back. */
    amountFen: integer('amount_fen').notNull(),
    note: text('note').notNull(),
    anomalyId: text('anomaly_id'),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by'),
    createdByName: text('created_by_name'),
  },
  (t) => [
    uniqueIndex('claim_adjustments_source_order').on(t.sourceClaimId, t.orderId),
    index('claim_adjustments_open').on(t.canteenId, t.payer, t.claimId),
    index('claim_adjustments_claim').on(t.claimId),
  ],
);

/** What happened to a claim, with every reason given: the operator reads these (the audit log is for auditors). */
export const claimEvents = sqliteTable(
  'claim_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    claimId: text('claim_id').notNull(),
    action: text('action').notNull(),
    at: text('at').notNull(),
    by: text('by'),
    byName: text('by_name'),
    reason: text('reason'),
    details: json<Record<string, unknown>>('details')
      .notNull()
      .default(sql`'{}'`),
  },
  (t) => [index('claim_events_claim').on(t.claimId)],
);

/** How often a payer is claimed, from a month on (the latest row at or before a month applies; default monthly). */
export const claimPayerSettings = sqliteTable(
  'claim_payer_settings',
  {
    payer: text('payer').notNull(),
    /** First month this applies to ('YYYY-MM'); quarterly from the first month of a quarter. */
    fromMonth: text('from_month').notNull(),
    cadence: text('cadence', { enum: CLAIM_CADENCES }).notNull(),
    setBy: text('set_by'),
    setByName: text('set_by_name'),
    setAt: text('set_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.payer, t.fromMonth] })],
);

// ───────────────────────────── anomalies ─────────────────────────────

/** Something the scan found that a reviewer must look at before the claim is approved. */
export const anomalies = sqliteTable(
  'anomalies',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ANOMALY_KINDS }).notNull(),
    /** Stable identity of a finding (kind, canteen, resident or slot, period): a rescan updates, never duplicates. */
    key: text('key').notNull(),
    canteenId: text('canteen_id').notNull(),
    streetCode: text('street_code').notNull(),
    districtCode: text('district_code').notNull(),
    residentId: text('resident_id'),
    /** The period scanned (a month). */
    periodFrom: text('period_from').notNull(),
    periodTo: text('period_to').notNull(),
    /** The service dates the finding spans. */
    firstDate: text('first_date').notNull(),
    lastDate: text('last_date').notNull(),
    status: text('status', { enum: ANOMALY_STATUSES }).notNull().default('open'),
    /** Plain Chinese, with the figures. */
    explanation: text('explanation').notNull(),
    figures: json<Record<string, unknown>>('figures').notNull(),
    orderCount: integer('order_count').notNull(),
    /** The subsidy (all payers) on the orders behind it. */
    amountFen: integer('amount_fen').notNull(),
    detectedAt: text('detected_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    note: text('note'),
    resolvedAt: text('resolved_at'),
    resolvedBy: text('resolved_by'),
    resolvedByName: text('resolved_by_name'),
  },
  (t) => [
    uniqueIndex('anomalies_key').on(t.key),
    index('anomalies_district_period').on(t.districtCode, t.periodFrom),
    index('anomalies_canteen_period').on(t.canteenId, t.periodFrom),
    index('anomalies_status').on(t.status, t.periodFrom),
  ],
);

/** The orders behind an anomaly. */
export const anomalyOrders = sqliteTable(
  'anomaly_orders',
  {
    anomalyId: text('anomaly_id').notNull(),
    orderId: text('order_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.anomalyId, t.orderId] }), index('anomaly_orders_order').on(t.orderId)],
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
    /** The kiosk's last heartbeat and what it said (console 设备 page). */
    heartbeatAt: text('heartbeat_at'),
    pendingOrders: integer('pending_orders'),
    clockOffsetMs: integer('clock_offset_ms'),
    cacheFetchedAt: text('cache_fetched_at'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('devices_credential').on(t.credentialHash),
    uniqueIndex('devices_pairing_code').on(t.pairingCodeHash),
    index('devices_canteen').on(t.canteenId),
  ],
);

/** 呼叫工作人员 from a kiosk: one row per call (the kiosk's own id), open until staff acknowledge it. */
export const helpCalls = sqliteTable(
  'help_calls',
  {
    id: text('id').primaryKey(),
    canteenId: text('canteen_id').notNull(),
    deviceId: text('device_id').notNull(),
    requestedAt: text('requested_at').notNull(),
    acknowledgedAt: text('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
  },
  (t) => [index('help_calls_open').on(t.canteenId, t.acknowledgedAt)],
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
    /** The person's name as it was when they acted (null for a kiosk or the system). Covered by the hash when set. */
    actorName: text('actor_name'),
    /** The canteen and area the row concerns, when it concerns one: the console's filters and area scope. Hashed when set. */
    canteenId: text('canteen_id'),
    areaCode: text('area_code'),
  },
  (t) => [
    index('audit_entity').on(t.entityType, t.entityId),
    index('audit_at').on(t.at),
    index('audit_actor').on(t.actorId, t.seq),
    index('audit_action').on(t.action, t.seq),
    index('audit_canteen').on(t.canteenId, t.seq),
    index('audit_area').on(t.areaCode, t.seq),
  ],
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
    /** The dish on the canteen's list, when the sample is of one (the name is kept as written either way). */
    dishId: text('dish_id'),
    /** The console user who recorded it (stored_by is the person who put the sample away). */
    recordedBy: text('recorded_by'),
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

// ───────────── roster imports (staging) ─────────────

/**
 * A roster being imported: rows are uploaded in chunks and checked into roster_import_rows; nothing reaches the
 * resident tables until the import is committed, in one transaction. Staged rows are deleted on commit.
 */
export const rosterImports = sqliteTable(
  'roster_imports',
  {
    id: text('id').primaryKey(),
    /** The canteen the import was made from (operators: the residents' home canteen). */
    canteenId: text('canteen_id').notNull(),
    fileName: text('file_name').notNull(),
    /** Header → field, as the user mapped it (kept with the import for the audit). */
    mapping: json<Record<string, string>>('mapping').notNull(),
    state: text('state', { enum: ROSTER_IMPORT_STATES }).notNull(),
    stagedRows: integer('staged_rows').notNull().default(0),
    errorRows: integer('error_rows').notNull().default(0),
    duplicateRows: integer('duplicate_rows').notNull().default(0),
    createdRows: integer('created_rows').notNull().default(0),
    updatedRows: integer('updated_rows').notNull().default(0),
    skippedRows: integer('skipped_rows').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    committedAt: text('committed_at'),
  },
  (t) => [index('roster_imports_created').on(t.createdAt)],
);

export const rosterImportRows = sqliteTable(
  'roster_import_rows',
  {
    importId: text('import_id').notNull(),
    /** Position in the file, from 0 (upload order). */
    rowIndex: integer('row_index').notNull(),
    /** The row's number as the spreadsheet shows it (for messages). */
    rowNumber: integer('row_number').notNull(),
    /** 'ok' | 'error' | 'duplicate'. */
    status: text('status', { enum: ['ok', 'error', 'duplicate'] }).notNull(),
    /** Keyed hash of the ID number (duplicates within the file); null when the ID number is unreadable. */
    idNumberHash: text('id_number_hash'),
    /** The checked record, encrypted (it holds the ID number and phone); null for a refused row. */
    payloadEnc: text('payload_enc'),
    errors: json<{ field: string | null; code: string; value?: string; otherRow?: number }[]>('errors').notNull(),
    existingResidentId: text('existing_resident_id'),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowIndex] }), index('roster_import_rows_hash').on(t.importId, t.idNumberHash)],
);
