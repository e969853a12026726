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

export const WALLET_ENTRY_KINDS = ['topup', 'payment', 'refund', 'adjustment'] as const;
export type WalletEntryKind = (typeof WALLET_ENTRY_KINDS)[number];

export const POLICY_VERSION_STATUSES = ['draft', 'published', 'retired'] as const;
export type PolicyVersionStatus = (typeof POLICY_VERSION_STATUSES)[number];

/** Who an audit row says acted: a console user, a kiosk, or the system itself. */
export const ACTOR_TYPES = ['user', 'device', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const CLAIM_STATES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type ClaimState = (typeof CLAIM_STATES)[number];

export const DELIVERY_STATES = ['pending', 'out', 'delivered', 'failed'] as const;
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
} as const satisfies Record<string, readonly Role[]>;
export type RoleGroup = keyof typeof ROLE_GROUPS;
