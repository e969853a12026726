/**
 * The demo city, seeded when the database is empty: areas, 12 canteens across the six supply modes,
 * about 400 residents, a dish catalogue, menus for this week, 60 days of priced order history (through
 * the real policy engine) with a few planted irregularities, and one login per role.
 * Deterministic: the same clock gives the same city.
 */
import { sql } from 'drizzle-orm';
import {
  addDays,
  ageOn,
  CHINA_CALENDAR_2026,
  evaluate,
  guangzhou2024,
  isoWeekday,
  localParts,
  slotAlreadySubsidised,
  tianheTopUp,
  weekStart,
  type HistoryEntry,
  type MealPeriod,
  type PolicyDocument,
  type ResidentFacts,
  type SupplyMode,
} from '@yishi/shared';
import type { Ctx } from '../../lib/context';
import { hashSecret, sha256 } from '../../lib/crypto';
import * as audit from '../../modules/audit/audit.service';
import {
  BREAKFAST_MENU,
  CANTEENS,
  CITY,
  communityCode,
  DINNER_ROTATION,
  DISHES,
  DISTRICTS,
  FEMALE_GIVEN,
  LUNCH_ROTATION,
  MALE_GIVEN,
  OPERATORS,
  OTHER_DISTRICTS,
  STREET_NAMES,
  STREETS,
  SURNAMES,
} from './data';

export const DEMO_PASSWORD = 'Demo2026yishi';

export const DEMO_USERS = [
  { username: 'admin', displayName: '平台管理员', role: 'admin', scope: null, canteens: [], canSeeIdNumbers: true },
  { username: 'city', displayName: '市民政局 周科长', role: 'city', scope: '4401', canteens: [], canSeeIdNumbers: false },
  { username: 'tianhe', displayName: '天河区民政局 林主任', role: 'district', scope: '440106', canteens: [], canSeeIdNumbers: true },
  { username: 'shipai', displayName: '石牌街道 何干事', role: 'street', scope: '440106004', canteens: [], canSeeIdNumbers: true },
  {
    username: 'yikang',
    displayName: '颐康中心 梁店长',
    role: 'operator',
    scope: null,
    canteens: ['ct-shipai-huashi', 'ct-beijing', 'ct-nanhuaxi'],
    canSeeIdNumbers: false,
  },
  {
    username: 'jiajia',
    displayName: '家家乐 陈经理',
    role: 'operator',
    scope: null,
    canteens: ['ct-shipai-longkou', 'ct-yuancun', 'ct-nonglin', 'ct-xiaogang'],
    canSeeIdNumbers: false,
  },
] as const;

/** Residents a demo (and the browser tests) can use by card number. */
export const DEMO_RESIDENTS = [
  { card: '4401100001', name: '陈秀英', note: '78岁，天河户籍，控糖饮食；手机 13800138001 密码 246810' },
  { card: '4401100002', name: '黄伯坚', note: '86岁，天河户籍，低保，独居，可送餐' },
  { card: '4401100003', name: '李美华', note: '66岁，非广州户籍（无补贴，可按原价点餐）' },
  { card: '4401100004', name: '张国强', note: '72岁，越秀户籍，常去盐运西长者饭堂' },
] as const;

export const DEMO_PIN = { phone: '13800138001', pin: '246810' };

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

function idNumber(region: string, birth: string, seq: number, male: boolean): string {
  const s = (seq % 500) * 2 + (male ? 1 : 0);
  const body = `${region}${birth.replace(/-/g, '')}${String(s).padStart(3, '0').slice(-3)}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i]!;
  return body + '10X98765432'[sum % 11];
}

interface ResidentSeed {
  id: string;
  name: string;
  gender: 'female' | 'male';
  birthDate: string;
  idNumber: string;
  phone: string | null;
  hukouAreaCode: string | null;
  residenceAreaCode: string;
  address: string;
  careLevel: number;
  disabilityGrade: number | null;
  livesAlone: boolean;
  dietNeeds: string[];
  allergies: string[];
  homeCanteenId: string;
  categories: { code: string; validFrom: string; validTo: string | null; evidence: string }[];
  card: string;
  cardKind: 'ss_card' | 'senior_card';
  pin: string | null;
}

const NON_HUKOU_REGIONS = ['430105', '360102', '450103', '445102', '441302', '350203'];

function makeResidents(today: string): ResidentSeed[] {
  const r = rng(20240401);
  const out: ResidentSeed[] = [];
  const byStreet = (code: string) => CANTEENS.filter((c) => c.street === code);
  const fixed: Partial<ResidentSeed>[] = [
    {
      name: '陈秀英',
      gender: 'female',
      birthDate: '1948-03-12',
      hukouAreaCode: '440106004',
      residenceAreaCode: communityCode('440106004', 0),
      homeCanteenId: 'ct-shipai-huashi',
      dietNeeds: ['diabetes'],
      phone: '13800138001',
      pin: '246810',
      careLevel: 0,
    },
    {
      name: '黄伯坚',
      gender: 'male',
      birthDate: '1940-07-03',
      hukouAreaCode: '440106004',
      residenceAreaCode: communityCode('440106004', 0),
      homeCanteenId: 'ct-shipai-huashi',
      dietNeeds: ['soft_food', 'hypertension'],
      careLevel: 3,
      livesAlone: true,
      categories: [
        { code: 'dibao', validFrom: '2022-01-01', validTo: null, evidence: '低保证 穗天民低字第2022-0381号' },
        { code: 'lives_alone', validFrom: '2021-05-01', validTo: null, evidence: '社区入户核查记录' },
      ],
    },
    {
      name: '李美华',
      gender: 'female',
      birthDate: '1960-09-21',
      hukouAreaCode: null,
      residenceAreaCode: communityCode('440106004', 1),
      homeCanteenId: 'ct-shipai-huashi',
      idRegion: '430105',
      cardKind: 'senior_card',
    } as Partial<ResidentSeed> & { idRegion: string },
    {
      name: '张国强',
      gender: 'male',
      birthDate: '1954-02-08',
      hukouAreaCode: '440104001',
      residenceAreaCode: communityCode('440104001', 0),
      homeCanteenId: 'ct-beijing',
      allergies: ['peanut'],
    },
  ];
  for (let i = 0; i < 400; i++) {
    const f = fixed[i] as (Partial<ResidentSeed> & { idRegion?: string }) | undefined;
    const canteen = f?.homeCanteenId ? CANTEENS.find((c) => c.id === f.homeCanteenId)! : r.pick(CANTEENS);
    const street = canteen.street;
    const gender = f?.gender ?? (r.chance(0.58) ? 'female' : 'male');
    // Ages skew to 65–85, a few into their 90s and one centenarian.
    const age = i === 399 ? 101 : Math.min(98, 60 + Math.floor(Math.abs(r.next() + r.next() + r.next() - 1.2) * 14));
    const birthYear = Number(today.slice(0, 4)) - age - (r.chance(0.5) ? 1 : 0);
    const birthDate = f?.birthDate ?? `${birthYear}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
    const hukou = f ? (f.hukouAreaCode ?? null) : r.chance(0.86) ? (r.chance(0.8) ? street : r.pick(STREETS).code) : null;
    const region = f?.idRegion ?? (hukou ? hukou.slice(0, 6) : r.pick(NON_HUKOU_REGIONS));
    const community = communityCode(street, r.int(0, 1));
    const categories: ResidentSeed['categories'] = f?.categories ? [...f.categories] : [];
    if (!f && hukou) {
      const roll = r.next();
      if (roll < 0.03) categories.push({ code: 'tekun', validFrom: '2020-01-01', validTo: null, evidence: '特困人员供养证' });
      else if (roll < 0.13) categories.push({ code: 'dibao', validFrom: `${r.int(2019, 2025)}-0${r.int(1, 9)}-01`, validTo: null, evidence: '低保证' });
      else if (roll < 0.18)
        categories.push({
          code: 'dibao_edge',
          validFrom: '2023-01-01',
          validTo: r.chance(0.3) ? addDays(today, -r.int(5, 90)) : null,
          evidence: '低保边缘家庭证明',
        });
      else if (roll < 0.21) categories.push({ code: 'youfu', validFrom: '2015-01-01', validTo: null, evidence: '优抚对象证' });
      if (r.chance(0.15)) categories.push({ code: 'lives_alone', validFrom: '2022-01-01', validTo: null, evidence: '社区入户核查记录' });
    }
    const careLevel = f?.careLevel ?? (r.chance(0.8) ? 0 : r.int(1, 5));
    const given = gender === 'female' ? r.pick(FEMALE_GIVEN) : r.pick(MALE_GIVEN);
    const name = f?.name ?? `${r.pick(SURNAMES)}${given}`;
    out.push({
      id: `rs-${String(i + 1).padStart(4, '0')}`,
      name,
      gender,
      birthDate,
      idNumber: idNumber(region, birthDate, i, gender === 'male'),
      phone: f?.phone ?? (r.chance(0.7) ? `13${r.int(0, 9)}${String(r.int(0, 99999999)).padStart(8, '0')}` : null),
      hukouAreaCode: hukou,
      residenceAreaCode: f?.residenceAreaCode ?? community,
      address: `${r.pick(STREET_NAMES[street]!)}${r.int(1, 199)}号${r.int(1, 12)}0${r.int(1, 6)}房`,
      careLevel,
      disabilityGrade: careLevel >= 4 && r.chance(0.4) ? r.int(1, 2) : null,
      livesAlone: f?.livesAlone ?? categories.some((c) => c.code === 'lives_alone'),
      dietNeeds: f?.dietNeeds ?? (r.chance(0.18) ? ['diabetes'] : r.chance(0.2) ? ['hypertension'] : r.chance(0.1) ? ['soft_food'] : []),
      allergies: f?.allergies ?? (r.chance(0.06) ? [r.pick(['peanut', 'shellfish', 'milk', 'egg'])] : []),
      homeCanteenId: f?.homeCanteenId ?? (byStreet(street).length ? canteen.id : canteen.id),
      categories,
      card: `4401${100001 + i}`,
      cardKind: f?.cardKind ?? (hukou ? 'ss_card' : 'senior_card'),
      pin: f?.pin ?? null,
    });
  }
  return out;
}

function areaOfStreet(code: string) {
  return STREETS.find((s) => s.code === code)!;
}

/** Seed the demo city when the database has no canteens. Returns true when it seeded. */
export async function seedIfEmpty(ctx: Ctx, opts: { historyDays?: number } = {}): Promise<boolean> {
  const has = ctx.db.read.get<{ n: number }>(sql`SELECT count(*) AS n FROM canteens`);
  if (has && has.n > 0) return false;
  const historyDays = opts.historyDays ?? 60;
  const now = ctx.clock.now();
  const today = localParts(now, 'Asia/Shanghai').date;
  const residents = makeResidents(today);
  const passwordHash = await hashSecret(DEMO_PASSWORD, ctx.config.scryptN);
  const pinHashes = new Map<string, string>();
  for (const r of residents) if (r.pin) pinHashes.set(r.id, await hashSecret(r.pin, ctx.config.scryptN));

  await ctx.db.write((tx) => {
    const w = ctx.db.writer;
    const nowIso = now.toISOString();
    const ins = (table: string, cols: string[]) => w.prepare(`INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`);

    // Areas
    const area = ins('areas', ['code', 'name', 'level', 'parent_code']);
    area.run(CITY.code, CITY.name, 'city', null);
    for (const d of [...DISTRICTS, ...OTHER_DISTRICTS]) area.run(d.code, d.name, 'district', CITY.code);
    for (const s of STREETS) {
      area.run(s.code, s.name, 'street', s.district);
      s.communities.forEach((c, i) => area.run(communityCode(s.code, i), c, 'community', s.code));
    }
    // Official calendar
    const cal = ins('calendar_days', ['date', 'kind', 'note']);
    for (const d of CHINA_CALENDAR_2026.holidays) cal.run(d, 'holiday', '法定节假日');
    for (const d of CHINA_CALENDAR_2026.adjustedWorkingDays) cal.run(d, 'working', '调休上班');

    // Operators and canteens
    const org = ins('organisations', ['id', 'name', 'kind', 'created_at']);
    for (const o of OPERATORS) org.run(o.id, o.name, 'operator', nowIso);
    const ct = ins('canteens', [
      'id',
      'code',
      'name',
      'short_name',
      'area_code',
      'street_code',
      'district_code',
      'supply_mode',
      'address',
      'phone',
      'seats',
      'time_zone',
      'dine_in',
      'delivery',
      'status',
      'operator_org_id',
      'opened_on',
      'created_at',
    ]);
    const mp = ins('canteen_meal_periods', ['canteen_id', 'period', 'opens', 'closes', 'days']);
    for (const c of CANTEENS) {
      const s = areaOfStreet(c.street);
      const dName = DISTRICTS.find((d) => d.code === s.district)!.name;
      const community = s.communities[c.community]!;
      const officialName = `${dName}${s.name}${community}${c.supplyMode === 'neighbour_help' ? '长者邻里互助餐点' : '长者饭堂'}`;
      ct.run(
        c.id,
        c.code,
        officialName,
        c.shortName,
        communityCode(c.street, c.community),
        c.street,
        s.district,
        c.supplyMode,
        c.address,
        c.phone,
        c.seats,
        'Asia/Shanghai',
        1,
        c.supplyMode === 'neighbour_help' ? 0 : 1,
        'open',
        c.operator,
        `20${c.code.slice(3, 5)}-03-01`,
        nowIso,
      );
      for (const h of c.hours) mp.run(c.id, h.period, h.opens, h.closes, JSON.stringify(h.days));
    }

    // Users
    const user = ins('users', [
      'id',
      'username',
      'display_name',
      'password_hash',
      'role',
      'scope_area_code',
      'can_see_id_numbers',
      'must_change_password',
      'created_at',
    ]);
    const uc = ins('user_canteens', ['user_id', 'canteen_id']);
    for (const u of DEMO_USERS) {
      const id = `user-${u.username}`;
      user.run(id, u.username, u.displayName, passwordHash, u.role, u.scope, u.canSeeIdNumbers ? 1 : 0, 0, nowIso);
      for (const c of u.canteens) uc.run(id, c);
    }

    // Dishes: each canteen keeps its own catalogue (prices agreed per canteen; neighbour-help is cheaper).
    const dish = ins('dishes', [
      'id',
      'canteen_id',
      'name',
      'name_en',
      'category',
      'price_fen',
      'is_set_meal',
      'kcal',
      'protein_g',
      'fat_g',
      'carb_g',
      'sodium_mg',
      'sugar_g',
      'tags',
      'allergens',
      'active',
      'created_at',
    ]);
    const setItem = ins('set_meal_items', ['set_meal_id', 'dish_id', 'quantity']);
    const priceChange = ins('price_changes', ['id', 'dish_id', 'old_price_fen', 'new_price_fen', 'reason', 'approval_ref', 'changed_by', 'changed_at']);
    const dishPrice = new Map<string, number>();
    for (const c of CANTEENS) {
      const factor = c.supplyMode === 'neighbour_help' ? 0.8 : c.supplyMode === 'restaurant' ? 1.1 : 1;
      for (const d of DISHES) {
        const id = `${c.id}__${d.key}`;
        const price = Math.round((d.priceFen * factor) / 50) * 50;
        dishPrice.set(id, price);
        dish.run(
          id,
          c.id,
          d.name,
          d.nameEn,
          d.category,
          price,
          d.set ? 1 : 0,
          d.kcal,
          d.proteinG,
          d.fatG,
          d.carbG,
          d.sodiumMg,
          d.sugarG,
          JSON.stringify(d.tags),
          JSON.stringify(d.allergens),
          1,
          nowIso,
        );
        priceChange.run(sha256(`pc:${id}`).slice(0, 32), id, null, price, '开办时核定价格', `${c.code}-价格备案`, 'user-admin', nowIso);
      }
      for (const d of DISHES) for (const part of d.set ?? []) setItem.run(`${c.id}__${d.key}`, `${c.id}__${part}`, 1);
    }

    // Policies: the Guangzhou 2024 city rules and the Tianhe district top-up, published.
    const pv = ins('policy_versions', [
      'id',
      'policy_key',
      'version',
      'level',
      'area_code',
      'name',
      'status',
      'document',
      'effective_from',
      'effective_to',
      'created_by',
      'created_at',
      'published_by',
      'published_at',
    ]);
    const policies: { versionId: string; document: PolicyDocument }[] = [
      { versionId: 'pv-guangzhou-2024-v1', document: guangzhou2024 },
      { versionId: 'pv-tianhe-top-up-v1', document: tianheTopUp },
    ];
    for (const [key, p] of [
      ['guangzhou-city', policies[0]!],
      ['tianhe-district', policies[1]!],
    ] as const) {
      pv.run(
        p.versionId,
        key,
        1,
        p.document.level,
        p.document.areaCode,
        p.document.name,
        'published',
        JSON.stringify(p.document),
        p.document.effectiveFrom,
        p.document.effectiveTo,
        'user-city',
        '2024-03-20T02:00:00.000Z',
        'user-city',
        '2024-03-25T02:00:00.000Z',
      );
    }

    // Residents, their categories, cards and opening wallet top-ups
    const res = ins('residents', [
      'id',
      'name',
      'gender',
      'birth_date',
      'id_number_enc',
      'id_number_hash',
      'id_number_last4',
      'phone_enc',
      'phone_hash',
      'phone_last4',
      'hukou_area_code',
      'residence_area_code',
      'address',
      'care_level',
      'disability_grade',
      'lives_alone',
      'status',
      'diet_needs',
      'allergies',
      'pin_hash',
      'home_canteen_id',
      'created_at',
      'updated_at',
    ]);
    const cat = ins('resident_categories', ['id', 'resident_id', 'code', 'valid_from', 'valid_to', 'evidence', 'created_by', 'created_at']);
    const tok = ins('resident_tokens', ['id', 'resident_id', 'kind', 'token_hash', 'last4', 'issued_at']);
    for (const r of residents) {
      res.run(
        r.id,
        r.name,
        r.gender,
        r.birthDate,
        ctx.crypto.encrypt(r.idNumber),
        ctx.crypto.lookupHash('id', r.idNumber),
        r.idNumber.slice(-4),
        r.phone ? ctx.crypto.encrypt(r.phone) : null,
        r.phone ? ctx.crypto.lookupHash('phone', r.phone) : null,
        r.phone?.slice(-4) ?? null,
        r.hukouAreaCode,
        r.residenceAreaCode,
        r.address,
        r.careLevel,
        r.disabilityGrade,
        r.livesAlone ? 1 : 0,
        'active',
        JSON.stringify(r.dietNeeds),
        JSON.stringify(r.allergies),
        pinHashes.get(r.id) ?? null,
        r.homeCanteenId,
        nowIso,
        nowIso,
      );
      r.categories.forEach((c, i) => cat.run(`${r.id}-cat-${i}`, r.id, c.code, c.validFrom, c.validTo, c.evidence, 'user-shipai', nowIso));
      tok.run(`${r.id}-card`, r.id, r.cardKind, ctx.crypto.lookupHash('card', r.card), r.card.slice(-4), nowIso);
    }

    // Menus: history days + this week (Mon–Sun) + next week.
    const menu = ins('menus', ['id', 'canteen_id', 'service_date', 'meal_period', 'created_at', 'updated_at']);
    const item = ins('menu_items', ['menu_id', 'dish_id', 'portions', 'sold', 'sold_out', 'sort_order']);
    const firstDay = addDays(today, -historyDays);
    const lastDay = addDays(weekStart(today), 13);
    const menuIds = new Map<string, { id: string; dishes: string[] }>();
    for (let d = firstDay; d <= lastDay; d = addDays(d, 1)) {
      const wd = isoWeekday(d);
      const dayNo = Math.round((Date.parse(d) - Date.parse('2024-01-01')) / 86_400_000);
      for (const c of CANTEENS) {
        for (const h of c.hours) {
          if (!h.days.includes(wd)) continue;
          const keys =
            h.period === 'lunch'
              ? LUNCH_ROTATION[dayNo % LUNCH_ROTATION.length]!
              : h.period === 'dinner'
                ? DINNER_ROTATION[dayNo % DINNER_ROTATION.length]!
                : BREAKFAST_MENU;
          const id = `mn-${c.id}-${d}-${h.period}`;
          menu.run(id, c.id, d, h.period, nowIso, nowIso);
          const dishes = keys.map((k) => `${c.id}__${k}`);
          dishes.forEach((dishId, n) => item.run(id, dishId, dishId.includes('__set-') ? Math.round(c.lunchDiners * 0.7) + 10 : null, 0, 0, n));
          menuIds.set(`${c.id}|${d}|${h.period}`, { id, dishes });
        }
      }
    }

    // Order history, priced through the real engine with each resident's own history.
    const order = ins('orders', [
      'id',
      'canteen_id',
      'resident_id',
      'service_date',
      'meal_period',
      'fulfilment',
      'state',
      'identify_method',
      'pickup_number',
      'meal_price_fen',
      'elder_subsidy_fen',
      'elder_pays_fen',
      'operator_subsidy_fen',
      'payment_method',
      'policy_version_ids',
      'device_id',
      'staff_user_id',
      'delivery_address',
      'created_at',
      'paid_at',
      'ready_at',
      'completed_at',
      'request_hash',
    ]);
    const line = ins('order_lines', ['order_id', 'dish_id', 'dish_name', 'unit_price_fen', 'quantity', 'line_total_fen', 'elder_subsidy_fen']);
    const sub = ins('order_subsidies', [
      'order_id',
      'layer_key',
      'policy_version_id',
      'layer_id',
      'layer_name',
      'level',
      'payer',
      'kind',
      'amount_fen',
      'reason',
    ]);
    const wallet = ins('wallet_entries', [
      'id',
      'resident_id',
      'kind',
      'amount_fen',
      'order_id',
      'canteen_id',
      'method',
      'reference',
      'created_by',
      'created_at',
    ]);
    const pay = ins('payments', ['id', 'order_id', 'method', 'direction', 'amount_fen', 'reference', 'confirmed_by', 'created_at']);
    const deliv = ins('deliveries', [
      'id',
      'order_id',
      'canteen_id',
      'resident_id',
      'address',
      'state',
      'care_level_at_order',
      'dispatched_at',
      'delivered_at',
    ]);
    const sold = w.prepare('UPDATE menu_items SET sold = sold + ? WHERE menu_id = ? AND dish_id = ?');

    const r = rng(7);
    const facts = new Map<string, ResidentFacts>(
      residents.map((x) => [
        x.id,
        {
          id: x.id,
          birthDate: x.birthDate,
          hukouAreaCode: x.hukouAreaCode,
          residenceAreaCode: x.residenceAreaCode,
          categories: x.categories.map((c) => ({ code: c.code as ResidentFacts['categories'][number]['code'], validFrom: c.validFrom, validTo: c.validTo })),
          careLevel: x.careLevel,
          disabilityGrade: x.disabilityGrade,
          status: 'active',
          statusSince: null,
        },
      ]),
    );
    const history = new Map<string, HistoryEntry[]>();
    const balance = new Map<string, number>();
    const topup = (resId: string, canteenId: string, at: string, amount: number) => {
      wallet.run(
        sha256(`tu:${resId}:${at}`).slice(0, 32),
        resId,
        'topup',
        amount,
        null,
        canteenId,
        r.chance(0.7) ? 'cash' : 'external',
        null,
        'user-yikang',
        at,
      );
      balance.set(resId, (balance.get(resId) ?? 0) + amount);
    };
    for (const x of residents)
      topup(
        x.id,
        x.homeCanteenId,
        new Date(Date.parse(`${firstDay}T01:00:00Z`) - 86_400_000).toISOString(),
        x.id === 'rs-0001' ? 30000 : r.pick([20000, 30000, 50000]),
      );
    const canteenOf = new Map(CANTEENS.map((c) => [c.id, c]));
    const homeResidents = new Map<string, ResidentSeed[]>();
    for (const x of residents) homeResidents.set(x.homeCanteenId, [...(homeResidents.get(x.homeCanteenId) ?? []), x]);
    const deceased = residents[57]!; // planted: died 20 days ago, the record was only updated today
    const deceasedOn = addDays(today, -20);
    let seq = 0;
    const subsidisedSlots = new Set<string>();

    interface Draft {
      c: (typeof CANTEENS)[number];
      period: MealPeriod;
      slot: { id: string; dishes: string[] };
      who: ResidentSeed | null;
      lines: { dishId: string; unitPriceFen: number; quantity: number }[];
      delivery: boolean;
      createdAt: string;
      method: 'guest' | 'staff' | 'phone_pin' | 'card';
      wantsWallet: boolean;
      external: boolean;
    }
    for (let d = firstDay; d < today; d = addDays(d, 1)) {
      // First who comes when with what, then price the day in the order it happened, so the first subsidised
      // meal of a slot is the one that gets the subsidy, as it would at the till.
      const drafts: Draft[] = [];
      for (const c of CANTEENS) {
        const local = homeResidents.get(c.id) ?? [];
        const others = residents.filter((x) => x.homeCanteenId !== c.id && canteenOf.get(x.homeCanteenId)!.street.slice(0, 6) === c.street.slice(0, 6));
        for (const h of c.hours) {
          const slot = menuIds.get(`${c.id}|${d}|${h.period}`);
          if (!slot) continue;
          let diners = h.period === 'lunch' ? c.lunchDiners : h.period === 'dinner' ? Math.round(c.lunchDiners * 0.4) : Math.round(c.lunchDiners * 0.3);
          diners = Math.round(diners * (0.8 + r.next() * 0.4));
          if (c.id === 'ct-shipai-longkou' && d === addDays(today, -9) && h.period === 'lunch') diners *= 3; // planted volume spike
          const served = new Set<string>();
          for (let n = 0; n < diners; n++) {
            const guest = r.chance(0.08);
            let who: ResidentSeed | null = null;
            if (!guest) {
              const pool = r.chance(0.9) || others.length === 0 ? local : others;
              if (pool.length === 0) continue;
              who = r.pick(pool);
              if (served.has(who.id)) continue;
              served.add(who.id);
            }
            const setMeals = slot.dishes.filter((x) => x.includes('__set-'));
            const singles = slot.dishes.filter((x) => !x.includes('__set-'));
            let chosen: string[];
            if (who && who.dietNeeds.includes('diabetes') && slot.dishes.some((x) => x.endsWith('set-diabetic')))
              chosen = [slot.dishes.find((x) => x.endsWith('set-diabetic'))!];
            else if (setMeals.length && r.chance(0.7)) chosen = [r.pick(setMeals)];
            else chosen = [...new Set([r.pick(singles), r.pick(singles)])];
            // Planted: a few local 户籍 elders "served" at 21:40 at 员村, long after closing.
            const outsideHours = c.id === 'ct-yuancun' && !!who?.hukouAreaCode && d >= addDays(today, -6) && n < 3;
            const [hh, mm] = (outsideHours ? '21:40' : h.opens).split(':').map(Number) as [number, number];
            const minutes = hh * 60 + mm + (outsideHours ? n : Math.floor((n / Math.max(1, diners)) * 150)) + r.int(0, 10);
            const staffKeyed = c.id === 'ct-hongde' ? r.chance(0.65) : r.chance(0.06); // planted: high staff-keyed share at 洪德
            drafts.push({
              c,
              period: h.period as MealPeriod,
              slot,
              who,
              lines: chosen.map((dishId) => ({ dishId, unitPriceFen: dishPrice.get(dishId)!, quantity: 1 })),
              delivery: !!who && c.supplyMode !== 'neighbour_help' && who.careLevel >= 1 && h.period !== 'breakfast' && r.chance(0.5),
              createdAt: new Date(Date.parse(`${d}T00:00:00+08:00`) + minutes * 60_000 + r.int(0, 59) * 1000).toISOString(),
              method: !who ? 'guest' : staffKeyed ? 'staff' : r.chance(0.08) ? 'phone_pin' : 'card',
              wantsWallet: !!who && r.chance(0.65),
              external: r.chance(0.2),
            });
          }
        }
      }
      drafts.sort((x, y) => x.createdAt.localeCompare(y.createdAt));
      const pickups = new Map<string, number>();
      for (const { c, period, slot, who, lines, delivery, createdAt, method, wantsWallet, external } of drafts) {
        const ev = evaluate({
          policies,
          resident: who ? facts.get(who.id)! : null,
          canteen: { id: c.id, areaCode: c.street, supplyMode: c.supplyMode as SupplyMode },
          serviceDate: d,
          mealPeriod: period,
          fulfilment: delivery ? 'delivery' : 'dine_in',
          lines,
          history: who
            ? [...(history.get(who.id) ?? []), ...(subsidisedSlots.has(`${who.id}|${d}|${period}`) ? slotAlreadySubsidised(policies, d, period) : [])]
            : [],
          calendar: CHINA_CALENDAR_2026,
        });
        const id = `00000000-0000-7000-8000-${String(++seq).padStart(12, '0')}`;
        const payMethod: 'wallet' | 'cash' | 'external' = wantsWallet ? 'wallet' : external ? 'external' : 'cash';
        if (payMethod === 'wallet' && (balance.get(who!.id) ?? 0) < ev.elderPaysFen) {
          topup(who!.id, c.id, new Date(Date.parse(createdAt) - 60_000).toISOString(), 20000);
        }
        const pickupKey = `${c.id}|${period}`;
        const pickup = (pickups.get(pickupKey) ?? 0) + 1;
        pickups.set(pickupKey, pickup);
        order.run(
          id,
          c.id,
          who?.id ?? null,
          d,
          period,
          delivery ? 'delivery' : 'dine_in',
          'completed',
          method,
          pickup,
          ev.mealPriceFen,
          ev.elderSubsidyFen,
          ev.elderPaysFen,
          ev.operatorSubsidyFen,
          payMethod,
          JSON.stringify(policies.map((p) => p.versionId)),
          null,
          method === 'staff' ? 'user-yikang' : null,
          delivery ? who!.address : null,
          createdAt,
          createdAt,
          createdAt,
          new Date(Date.parse(createdAt) + 12 * 60_000).toISOString(),
          sha256(id),
        );
        lines.forEach((l, i) =>
          line.run(
            id,
            l.dishId,
            DISHES.find((x) => l.dishId.endsWith(`__${x.key}`))!.name,
            l.unitPriceFen,
            1,
            l.unitPriceFen,
            ev.lineShares[i]!.elderSubsidyFen,
          ),
        );
        for (const l of ev.layers) sub.run(id, l.layerKey, l.versionId, l.layerId, l.layerName, l.level, l.payer, l.kind, l.amountFen, l.reason);
        for (const l of lines) sold.run(1, slot.id, l.dishId);
        if (ev.elderPaysFen > 0) {
          pay.run(
            sha256(`pay:${id}`).slice(0, 32),
            id,
            payMethod,
            'in',
            ev.elderPaysFen,
            payMethod === 'external' ? `WX${String(seq).padStart(10, '0')}` : null,
            'user-yikang',
            createdAt,
          );
          if (payMethod === 'wallet') {
            wallet.run(sha256(`wp:${id}`).slice(0, 32), who!.id, 'payment', -ev.elderPaysFen, id, c.id, 'wallet', null, null, createdAt);
            balance.set(who!.id, balance.get(who!.id)! - ev.elderPaysFen);
          }
        }
        if (delivery)
          deliv.run(
            sha256(`dl:${id}`).slice(0, 32),
            id,
            c.id,
            who!.id,
            who!.address,
            'delivered',
            who!.careLevel,
            createdAt,
            new Date(Date.parse(createdAt) + 40 * 60_000).toISOString(),
          );
        if (who && ev.elderSubsidyFen > 0) {
          subsidisedSlots.add(`${who.id}|${d}|${period}`);
          history.set(who.id, [
            ...(history.get(who.id) ?? []),
            ...ev.layers
              .filter((l) => l.amountFen > 0)
              .map((l) => ({ serviceDate: d, mealPeriod: period, canteenId: c.id, layerKey: l.layerKey, amountFen: l.amountFen })),
          ]);
        }
      }
    }
    // Planted: the death is recorded late, so subsidised meals after it stand in the history.
    w.prepare("UPDATE residents SET status = 'deceased', status_since = ? WHERE id = ?").run(deceasedOn, deceased.id);
    w.prepare('UPDATE policy_versions SET first_used_at = ? WHERE first_used_at IS NULL').run(`${firstDay}T02:30:00.000Z`);

    audit.record(tx, null, now, {
      action: 'seed.demo_city',
      entityType: 'system',
      details: { residents: residents.length, canteens: CANTEENS.length, historyDays, orders: seq },
    });
    void ageOn;
  });
  return true;
}
