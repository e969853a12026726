/**
 * A city month at scale, for month-end figures: ~1,000 canteens over Guangzhou's 11 districts and their streets,
 * 200,000 registered elders, and N orders in November 2026 with lunch-peaked timing, weekday / weekend volume,
 * categories, deliveries, wallets, and subsidies priced by the real policy engine under the city's policies
 * (each resident's own meal-period history, so one subsidised meal per meal period holds). A few irregularities
 * are planted for the anomaly scan (listed in the result).
 *
 * Fast: the schema comes from the migrations; everything is inserted in one writer transaction with prepared
 * statements (synchronous=OFF while generating: a failed run is simply run again), then WAL is switched on.
 *   node --import tsx server/bench/city-gen.ts <file.db> [orders]
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CHINA_CALENDAR_2026,
  evaluate,
  guangzhou2024,
  isoWeekday,
  orderCategoryOn,
  slotAlreadySubsidised,
  tianheTopUp,
  type MealPeriod,
  type PolicyDocument,
  type ResidentFacts,
  type SupplyMode,
} from '@yishi/shared';
import { Db } from '../src/db/client';
import { FieldCrypto, hashSecret, sha256 } from '../src/lib/crypto';
import { DEMO_PASSWORD } from '../src/seed';
import { BREAKFAST_MENU, DINNER_ROTATION, DISHES, FEMALE_GIVEN, LUNCH_ROTATION, MALE_GIVEN, SURNAMES } from '../src/seed/data';
import { rng } from '../src/lib/rng';

export const CITY_MONTH = '2026-11';
const DAYS = 30;

const DISTRICTS = [
  { code: '440103', name: '荔湾区', streets: 22, weight: 1.0 },
  { code: '440104', name: '越秀区', streets: 18, weight: 1.3 },
  { code: '440105', name: '海珠区', streets: 18, weight: 1.2 },
  { code: '440106', name: '天河区', streets: 21, weight: 1.1 },
  { code: '440111', name: '白云区', streets: 24, weight: 1.0 },
  { code: '440112', name: '黄埔区', streets: 16, weight: 0.7 },
  { code: '440113', name: '番禺区', streets: 16, weight: 0.9 },
  { code: '440114', name: '花都区', streets: 10, weight: 0.6 },
  { code: '440115', name: '南沙区', streets: 9, weight: 0.4 },
  { code: '440117', name: '从化区', streets: 8, weight: 0.4 },
  { code: '440118', name: '增城区', streets: 13, weight: 0.6 },
];
const STREET_WORDS = [
  '东山',
  '西湖',
  '南华',
  '北京',
  '沙河',
  '石牌',
  '林和',
  '员村',
  '车陂',
  '新港',
  '赤岗',
  '昌岗',
  '江南',
  '龙津',
  '华林',
  '逢源',
  '多宝',
  '彩虹',
  '白鹤',
  '冲口',
  '金花',
  '桥中',
  '石围塘',
  '花地',
  '大塘',
  '建设',
  '梅花',
  '华乐',
  '农林',
  '黄花岗',
  '矿泉',
  '登峰',
  '素社',
  '凤阳',
  '瑞宝',
  '琶洲',
  '猎德',
  '冼村',
  '天园',
  '棠下',
  '元岗',
  '新市',
  '景泰',
  '同德',
  '松洲',
  '鱼珠',
  '文冲',
  '大沙',
  '市桥',
  '沙头',
  '钟村',
  '新华',
  '秀全',
  '黄阁',
  '街口',
  '荔城',
  '永宁',
  '增江',
];
const ROAD_WORDS = [
  '中山',
  '解放',
  '人民',
  '东风',
  '环市',
  '广州大道',
  '天河路',
  '江南大道',
  '工业大道',
  '恒福路',
  '龙津西路',
  '康王路',
  '黄埔大道',
  '迎宾路',
  '东华',
];
const SUPPLY: [SupplyMode, number][] = [
  ['own_kitchen', 0.35],
  ['catered', 0.25],
  ['restaurant', 0.15],
  ['unit_canteen', 0.1],
  ['care_institution', 0.1],
  ['neighbour_help', 0.05],
];

function idNumber(region: string, birth: string, seq: number, male: boolean): string {
  const s = (seq % 500) * 2 + (male ? 1 : 0);
  const body = `${region}${birth.replace(/-/g, '')}${String(s).padStart(3, '0').slice(-3)}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i]!;
  return body + '10X98765432'[sum % 11];
}

export interface CityOptions {
  orders: number;
  canteens?: number;
  residents?: number;
  secret: Buffer;
}

export interface CityResult {
  file: string;
  seconds: number;
  phases: Record<string, number>;
  bytes: number;
  counts: Record<string, number>;
  planted: string[];
}

interface Canteen {
  id: string;
  street: string;
  district: string;
  supplyMode: SupplyMode;
  weight: number;
  periods: { period: MealPeriod; opens: string; closes: string; days: number[] }[];
  dishes: Map<string, { id: string; name: string; priceFen: number; tags: string[]; set: boolean }>;
  residents: number[];
}

interface Resident {
  id: string;
  facts: ResidentFacts;
  home: number;
  careLevel: number;
  address: string;
  diabetic: boolean;
  wallet: boolean;
  balance: number;
}

export async function generateCity(file: string, opts: CityOptions): Promise<CityResult> {
  const t0 = performance.now();
  const passwordHash = await hashSecret(DEMO_PASSWORD, 16384);
  const nCanteens = opts.canteens ?? 1000;
  const nResidents = opts.residents ?? 200_000;
  const crypto = new FieldCrypto(opts.secret);
  const r = rng(2026_11);
  for (const side of ['', '-wal', '-shm']) fs.rmSync(`${file}${side}`, { force: true });
  const schemaDb = new Db(file);
  schemaDb.migrate(new Date('2026-12-01T00:00:00Z'));
  schemaDb.writer.close();
  schemaDb.readerConn.close();

  const w = new Database(file);
  w.pragma('journal_mode = OFF');
  w.pragma('synchronous = OFF');
  w.pragma('cache_size = -262144');
  w.pragma('temp_store = MEMORY');
  const ins = (table: string, cols: string[]) => w.prepare(`INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
  // Many rows per INSERT: one statement call per 64 rows instead of one per row.
  const flushers: (() => void)[] = [];
  const bulk = (table: string, cols: string[], per = 64) => {
    const tuple = `(${cols.map(() => '?').join(',')})`;
    const many = w.prepare(`INSERT INTO ${table} (${cols.join(',')}) VALUES ${Array.from({ length: per }, () => tuple).join(',')}`);
    const one = ins(table, cols);
    let buf: unknown[] = [];
    const flush = () => {
      for (let i = 0; i < buf.length; i += cols.length) one.run(...buf.slice(i, i + cols.length));
      buf = [];
    };
    flushers.push(flush);
    return {
      run: (...values: unknown[]) => {
        for (const v of values) buf.push(v);
        if (buf.length === per * cols.length) {
          many.run(...buf);
          buf = [];
        }
      },
    };
  };
  const nowIso = '2026-10-31T16:00:00.000Z';
  const planted: string[] = [];
  const counts: Record<string, number> = {};
  const bump = (k: string, n = 1) => (counts[k] = (counts[k] ?? 0) + n);

  // Secondary indexes are built once at the end (a sort) instead of row by row (random B-tree inserts).
  const bulkTables = [
    'residents',
    'resident_tokens',
    'resident_categories',
    'orders',
    'order_lines',
    'order_subsidies',
    'payments',
    'wallet_entries',
    'deliveries',
    'meal_ratings',
    'food_samples',
  ];
  const indexes = w
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${bulkTables.map(() => '?').join(',')})`)
    .all(...bulkTables) as { name: string; sql: string }[];
  w.exec('BEGIN');
  for (const ix of indexes) w.exec(`DROP INDEX "${ix.name}"`);
  // ── areas ──
  const area = ins('areas', ['code', 'name', 'level', 'parent_code']);
  area.run('4401', '广州市', 'city', null);
  const streets: { code: string; district: string; name: string; weight: number }[] = [];
  let wordAt = 0;
  for (const d of DISTRICTS) {
    area.run(d.code, d.name, 'district', '4401');
    for (let s = 1; s <= d.streets; s++) {
      const code = `${d.code}${String(s).padStart(3, '0')}`;
      const word = STREET_WORDS[wordAt % STREET_WORDS.length]! + (wordAt >= STREET_WORDS.length ? String(Math.floor(wordAt / STREET_WORDS.length) + 1) : '');
      wordAt += 1;
      const name = `${word}街道`;
      area.run(code, name, 'street', d.code);
      for (let c = 1; c <= 5; c++) area.run(`${code}${String(c).padStart(3, '0')}`, `${word}第${c}社区`, 'community', code);
      streets.push({ code, district: d.code, name: word, weight: d.weight * (0.6 + r.next() * 0.8) });
    }
  }
  const cal = ins('calendar_days', ['date', 'kind', 'note']);
  for (const d of CHINA_CALENDAR_2026.holidays) cal.run(d, 'holiday', '法定节假日');
  for (const d of CHINA_CALENDAR_2026.adjustedWorkingDays) cal.run(d, 'working', '调休上班');

  // ── operators, canteens, dishes ──
  const org = ins('organisations', ['id', 'name', 'kind', 'created_at']);
  for (let o = 1; o <= 120; o++) org.run(`org-${o}`, `广州市第${o}长者服务中心`, 'operator', nowIso);
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
  const dish = ins('dishes', ['id', 'canteen_id', 'name', 'category', 'price_fen', 'is_set_meal', 'tags', 'allergens', 'active', 'created_at']);
  const canteens: Canteen[] = [];
  for (let i = 0; i < nCanteens; i++) {
    const st = streets[i % streets.length]!;
    const roll = r.next();
    let acc = 0;
    const supplyMode = SUPPLY.find(([, p]) => (acc += p) >= roll)?.[0] ?? 'own_kitchen';
    const id = `ct-${String(i + 1).padStart(4, '0')}`;
    const community = `${st.code}${String(r.int(1, 5)).padStart(3, '0')}`;
    const weekdaysOnly = r.chance(0.35);
    const days = weekdaysOnly ? [1, 2, 3, 4, 5] : [1, 2, 3, 4, 5, 6, 7];
    const periods: Canteen['periods'] = [{ period: 'lunch', opens: '10:30', closes: '13:30', days }];
    if (r.chance(0.4)) periods.push({ period: 'dinner', opens: '17:00', closes: '19:00', days });
    if (r.chance(0.2)) periods.push({ period: 'breakfast', opens: '07:00', closes: '09:00', days });
    const c: Canteen = {
      id,
      street: st.code,
      district: st.district,
      supplyMode,
      weight: st.weight * Math.exp(r.normal() * 0.5),
      periods,
      dishes: new Map(),
      residents: [],
    };
    canteens.push(c);
    const districtName = DISTRICTS.find((d) => d.code === st.district)!.name;
    ct.run(
      id,
      `${st.district.slice(4)}-${2015 + (i % 10)}-${String(i + 1).padStart(4, '0')}`,
      `${districtName}${st.name}街道${st.name}第${community.slice(-1)}社区${supplyMode === 'neighbour_help' ? '长者邻里互助餐点' : '长者饭堂'}`,
      `${st.name}${i + 1}号长者饭堂`,
      community,
      st.code,
      st.district,
      supplyMode,
      `${districtName}${r.pick(ROAD_WORDS)}${r.int(1, 400)}号`,
      `020-${r.int(30000000, 89999999)}`,
      r.int(12, 120),
      'Asia/Shanghai',
      1,
      supplyMode === 'neighbour_help' ? 0 : 1,
      'open',
      `org-${(i % 120) + 1}`,
      `${2015 + (i % 10)}-03-01`,
      nowIso,
    );
    for (const p of periods) mp.run(id, p.period, p.opens, p.closes, JSON.stringify(p.days));
    const factor = supplyMode === 'neighbour_help' ? 0.8 : supplyMode === 'restaurant' ? 1.15 : 1;
    for (const d of DISHES) {
      const dishId = `${id}__${d.key}`;
      const price = Math.round((d.priceFen * factor) / 50) * 50;
      c.dishes.set(d.key, { id: dishId, name: d.name, priceFen: price, tags: d.tags, set: !!d.set });
      dish.run(dishId, id, d.name, d.category, price, d.set ? 1 : 0, JSON.stringify(d.tags), JSON.stringify(d.allergens), 1, nowIso);
    }
  }
  bump('canteens', canteens.length);

  // ── policies ──
  const policies: { versionId: string; document: PolicyDocument }[] = [
    { versionId: 'pv-guangzhou-2024-v1', document: guangzhou2024 },
    { versionId: 'pv-tianhe-top-up-v1', document: tianheTopUp },
  ];
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
    'first_used_at',
  ]);
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
      '2024-04-01T03:00:00.000Z',
    );
  }
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
  // Logins for the month-end jobs, with the demo password.
  user.run('user-city', 'city', '市民政局 周科长', passwordHash, 'city', '4401', 0, 0, nowIso);
  user.run('user-admin', 'admin', '平台管理员', passwordHash, 'admin', null, 1, 0, nowIso);

  // ── residents ──
  const res = bulk('residents', [
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
    'status_since',
    'diet_needs',
    'allergies',
    'home_canteen_id',
    'created_at',
    'updated_at',
  ]);
  // A street office's register: categories approved when they were recorded (pending ones would count for nothing).
  const cat = ins('resident_categories', [
    'id',
    'resident_id',
    'code',
    'valid_from',
    'valid_to',
    'evidence',
    'created_by',
    'created_at',
    'state',
    'decided_by',
    'decided_by_name',
    'decided_at',
  ]);
  const tok = bulk('resident_tokens', ['id', 'resident_id', 'kind', 'token_hash', 'last4', 'issued_at']);
  const wallet = bulk('wallet_entries', [
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
  const residents: Resident[] = [];
  const canteenWeights = canteens.map((c) => c.weight);
  const totalWeight = canteenWeights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  canteenWeights.reduce((acc, x, i) => ((cumulative[i] = acc + x), acc + x), 0);
  const pickCanteen = () => {
    const x = r.next() * totalWeight;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const idSeqs = new Map<string, number>();
  for (let i = 0; i < nResidents; i++) {
    const home = pickCanteen();
    const c = canteens[home]!;
    const male = r.chance(0.42);
    const age = Math.min(101, 60 + Math.floor(Math.abs(r.next() + r.next() + r.next() - 1.2) * 14));
    const birthDate = `${2026 - age - (r.chance(0.5) ? 1 : 0)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
    const hukou = r.chance(0.86) ? (r.chance(0.8) ? c.street : r.pick(streets).code) : null;
    const region = hukou ? hukou.slice(0, 6) : r.pick(['430105', '360102', '450103', '445102']);
    // The sequence digits of an ID number are unique per region and birth date.
    const idKey = `${region}${birthDate}`;
    const idSeq = idSeqs.get(idKey) ?? 0;
    idSeqs.set(idKey, idSeq + 1);
    const idNo = idNumber(region, birthDate, idSeq, male);
    const phone = r.chance(0.7) ? `13${r.int(0, 9)}${String(r.int(0, 99999999)).padStart(8, '0')}` : null;
    const careLevel = r.chance(0.8) ? 0 : r.int(1, 5);
    const categories: ResidentFacts['categories'][number][] = [];
    if (hukou) {
      const roll = r.next();
      if (roll < 0.03) categories.push({ code: 'tekun', validFrom: '2020-01-01', validTo: null });
      else if (roll < 0.13) categories.push({ code: 'dibao', validFrom: '2022-01-01', validTo: null });
      else if (roll < 0.18) categories.push({ code: 'dibao_edge', validFrom: '2023-01-01', validTo: r.chance(0.2) ? '2026-11-15' : null });
      if (r.chance(0.15)) categories.push({ code: 'lives_alone', validFrom: '2022-01-01', validTo: null });
    }
    const id = `rs-${String(i + 1).padStart(6, '0')}`;
    const address = `${r.pick(ROAD_WORDS)}${r.int(1, 400)}号${r.int(1, 30)}0${r.int(1, 6)}房`;
    const diabetic = r.chance(0.18);
    res.run(
      id,
      `${r.pick(SURNAMES)}${male ? r.pick(MALE_GIVEN) : r.pick(FEMALE_GIVEN)}`,
      male ? 'male' : 'female',
      birthDate,
      crypto.encrypt(idNo),
      crypto.lookupHash('id', idNo),
      idNo.slice(-4),
      phone ? crypto.encrypt(phone) : null,
      phone ? crypto.lookupHash('phone', phone) : null,
      phone?.slice(-4) ?? null,
      hukou,
      `${c.street}${String(r.int(1, 5)).padStart(3, '0')}`,
      address,
      careLevel,
      careLevel >= 4 && r.chance(0.4) ? r.int(1, 2) : null,
      categories.some((x) => x.code === 'lives_alone') ? 1 : 0,
      'active',
      null,
      JSON.stringify(diabetic ? ['diabetes'] : []),
      '[]',
      c.id,
      nowIso,
      nowIso,
    );
    categories.forEach((k, n) =>
      cat.run(`${id}-cat-${n}`, id, k.code, k.validFrom, k.validTo, '证明材料', 'user-city', nowIso, 'approved', 'user-city', '市民政局 周科长', nowIso),
    );
    const card = `44${String(10_000_000 + i)}`;
    tok.run(`${id}-card`, id, hukou ? 'ss_card' : 'senior_card', crypto.lookupHash('card', card), card.slice(-4), nowIso);
    const resident: Resident = {
      id,
      facts: {
        id,
        birthDate,
        hukouAreaCode: hukou,
        residenceAreaCode: c.street,
        categories,
        careLevel,
        disabilityGrade: null,
        status: 'active',
        statusSince: null,
      },
      home,
      careLevel,
      address,
      diabetic,
      wallet: r.chance(0.6),
      balance: 0,
    };
    if (resident.wallet) {
      const amount = r.pick([20000, 30000, 50000]);
      wallet.run(`tu-${id}-0`, id, 'topup', amount, null, c.id, 'cash', null, 'user-city', '2026-10-31T02:00:00.000Z');
      resident.balance = amount;
      bump('wallet_entries');
    }
    residents.push(resident);
    c.residents.push(i);
  }
  bump('residents', residents.length);

  const tResidents = performance.now();
  // ── the month's orders: how many each canteen-day-period gets, then who and when ──
  const order = bulk('orders', [
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
    'resident_category',
  ]);
  const line = bulk('order_lines', ['order_id', 'dish_id', 'dish_name', 'unit_price_fen', 'quantity', 'line_total_fen', 'elder_subsidy_fen']);
  const sub = bulk('order_subsidies', [
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
  const pay = bulk('payments', ['id', 'order_id', 'method', 'direction', 'amount_fen', 'reference', 'confirmed_by', 'created_at']);
  const deliv = bulk('deliveries', [
    'id',
    'order_id',
    'canteen_id',
    'resident_id',
    'address',
    'state',
    'care_level_at_order',
    'dispatched_at',
    'delivered_at',
    'service_date',
    'meal_period',
    'pickup_number',
    'items',
  ]);
  const menu = ins('menus', ['id', 'canteen_id', 'service_date', 'meal_period', 'created_at', 'updated_at']);
  // Kiosk ratings of some meals and the food-sample log, each from its own generator (the orders stay as they were).
  const rating = bulk('meal_ratings', ['order_id', 'canteen_id', 'service_date', 'rating', 'device_id', 'created_at']);
  const sample = bulk('food_samples', [
    'id',
    'canteen_id',
    'service_date',
    'meal_period',
    'dish_name',
    'weight_grams',
    'stored_at',
    'discard_after',
    'stored_by',
  ]);
  const rr = rng(4242);
  const sampledDays = new Set<string>();
  const item = bulk('menu_items', ['menu_id', 'dish_id', 'portions', 'sold', 'sold_out', 'sort_order']);
  const policyIds = JSON.stringify(policies.map((p) => p.versionId));
  const periodShare: Record<MealPeriod, number> = { lunch: 1, dinner: 0.35, breakfast: 0.25 };
  const holidays = new Set(CHINA_CALENDAR_2026.holidays);

  // Slots: (canteen, day, period) with a weight; orders are spread over them in proportion.
  const slots: { c: number; day: number; period: Canteen['periods'][number]; weight: number }[] = [];
  for (let day = 1; day <= DAYS; day++) {
    const date = `${CITY_MONTH}-${String(day).padStart(2, '0')}`;
    const wd = isoWeekday(date);
    for (let ci = 0; ci < canteens.length; ci++) {
      const c = canteens[ci]!;
      for (const p of c.periods) {
        if (!p.days.includes(wd)) continue;
        const dayFactor = holidays.has(date) ? 0.5 : wd >= 6 ? 0.6 : 1;
        slots.push({ c: ci, day, period: p, weight: c.weight * periodShare[p.period] * dayFactor * (0.85 + r.next() * 0.3) });
      }
    }
  }
  const slotTotal = slots.reduce((a, s) => a + s.weight, 0);
  const spikeSlot = slots.findIndex((s) => s.day === 17 && s.period.period === 'lunch' && s.c === 7);
  const deceased = residents[canteens[3]!.residents[0]!]!;
  const staffHeavy = 11; // canteen index with most orders keyed by staff
  const lateCanteen = 23; // canteen index where a few meals are "served" long after closing
  let seq = 0;
  let made = 0;
  const subsidised = new Set<string>();
  for (let si = 0; si < slots.length && made < opts.orders; si++) {
    const s = slots[si]!;
    const c = canteens[s.c]!;
    const date = `${CITY_MONTH}-${String(s.day).padStart(2, '0')}`;
    const dayNo = Math.round((Date.parse(date) - Date.parse('2024-01-01')) / 86_400_000);
    const keys =
      s.period.period === 'lunch'
        ? LUNCH_ROTATION[dayNo % LUNCH_ROTATION.length]!
        : s.period.period === 'dinner'
          ? DINNER_ROTATION[dayNo % DINNER_ROTATION.length]!
          : BREAKFAST_MENU;
    const menuId = `mn-${c.id}-${date}-${s.period.period}`;
    menu.run(menuId, c.id, date, s.period.period, nowIso, nowIso);
    const onMenu = keys.map((k) => c.dishes.get(k)!).filter(Boolean);
    const soldHere = new Map<string, number>();
    bump('menus');
    let n = si === slots.length - 1 ? opts.orders - made : Math.round((opts.orders * s.weight) / slotTotal);
    if (si === spikeSlot) {
      n *= 4;
      planted.push(`volume spike: ${c.id} lunch on ${date} has ${n} orders (about four times its usual)`);
    }
    n = Math.min(n, opts.orders - made);
    const sets = onMenu.filter((d) => d.set);
    const singles = onMenu.filter((d) => !d.set);
    const [oh, om] = s.period.opens.split(':').map(Number) as [number, number];
    const [ch, cm] = s.period.closes.split(':').map(Number) as [number, number];
    const span = ch * 60 + cm - (oh * 60 + om);
    // Lunch peaks around 11:45; other periods spread over their window.
    const times: number[] = [];
    for (let k = 0; k < n; k++) {
      const peak = s.period.period === 'lunch' ? 75 : span / 2;
      const minute = Math.max(0, Math.min(span - 1, peak + r.normal() * (s.period.period === 'lunch' ? 28 : span / 4)));
      times.push(oh * 60 + om + minute);
    }
    times.sort((a, b) => a - b);
    let pickup = 0;
    for (let k = 0; k < n; k++) {
      let who: Resident | null = null;
      if (!r.chance(0.08)) {
        const pool = c.residents.length && r.chance(0.9) ? c.residents : null;
        who = pool ? residents[pool[Math.floor(r.next() * pool.length)]!]! : residents[Math.floor(r.next() * residents.length)]!;
      }
      let minute = times[k]!;
      if (s.c === lateCanteen && s.day >= 25 && k < 3 && who) {
        minute = 21 * 60 + 40 + k;
        if (s.day === 25 && k === 0 && !planted.some((x) => x.startsWith('served outside')))
          planted.push(`served outside opening hours: ${c.id} records meals at 21:40 on ${CITY_MONTH}-25…30`);
      }
      const createdAt = new Date(Date.parse(`${date}T00:00:00+08:00`) + minute * 60_000 + r.int(0, 59_999)).toISOString();
      let chosen = sets.length && r.chance(0.7) ? [r.pick(sets)] : [...new Set([r.pick(singles), r.pick(singles)])];
      if (who?.diabetic && c.dishes.get('set-diabetic') && onMenu.includes(c.dishes.get('set-diabetic')!)) chosen = [c.dishes.get('set-diabetic')!];
      const delivery = !!who && c.supplyMode !== 'neighbour_help' && who.careLevel >= 1 && s.period.period !== 'breakfast' && r.chance(0.5);
      const slotKey = who ? `${who.id}|${date}|${s.period.period}` : '';
      const facts = who ? who.facts : null;
      const ev = evaluate({
        policies,
        resident: facts,
        canteen: { id: c.id, areaCode: c.street, supplyMode: c.supplyMode },
        serviceDate: date,
        mealPeriod: s.period.period,
        fulfilment: delivery ? 'delivery' : 'dine_in',
        lines: chosen.map((d) => ({ dishId: d.id, unitPriceFen: d.priceFen, quantity: 1, tags: d.tags as never })),
        history: who && subsidised.has(slotKey) ? slotAlreadySubsidised(policies, date, s.period.period) : [],
        calendar: CHINA_CALENDAR_2026,
      });
      const id = `00000000-0000-7000-9000-${String(++seq).padStart(12, '0')}`;
      const staffKeyed = s.c === staffHeavy ? r.chance(0.65) : r.chance(0.06);
      const method = !who ? 'guest' : staffKeyed ? 'staff' : r.chance(0.08) ? 'phone_pin' : 'card';
      const payMethod: 'wallet' | 'cash' | 'external' = who?.wallet && r.chance(0.8) ? 'wallet' : r.chance(0.25) ? 'external' : 'cash';
      if (payMethod === 'wallet' && who!.balance < ev.elderPaysFen) {
        wallet.run(`tu-${id}`, who!.id, 'topup', 30000, null, c.id, 'cash', null, 'user-city', new Date(Date.parse(createdAt) - 120_000).toISOString());
        who!.balance += 30000;
        bump('wallet_entries');
      }
      pickup += 1;
      order.run(
        id,
        c.id,
        who?.id ?? null,
        date,
        s.period.period,
        delivery ? 'delivery' : 'dine_in',
        'completed',
        method,
        pickup,
        ev.mealPriceFen,
        ev.elderSubsidyFen,
        ev.elderPaysFen,
        ev.operatorSubsidyFen,
        payMethod,
        policyIds,
        null,
        method === 'staff' ? 'user-city' : null,
        delivery ? who!.address : null,
        createdAt,
        createdAt,
        createdAt,
        new Date(Date.parse(createdAt) + 12 * 60_000).toISOString(),
        sha256(id),
        facts ? orderCategoryOn(facts.categories, date) : null,
      );
      chosen.forEach((d, i) => line.run(id, d.id, d.name, d.priceFen, 1, d.priceFen, ev.lineShares[i]!.elderSubsidyFen));
      for (const l of ev.layers) sub.run(id, l.layerKey, l.versionId, l.layerId, l.layerName, l.level, l.payer, l.kind, l.amountFen, l.reason);
      for (const d of chosen) soldHere.set(d.id, (soldHere.get(d.id) ?? 0) + 1);
      if (ev.elderPaysFen > 0) {
        pay.run(
          `pay-${id}`,
          id,
          payMethod,
          'in',
          ev.elderPaysFen,
          payMethod === 'external' ? `WX${String(seq).padStart(10, '0')}` : null,
          'user-city',
          createdAt,
        );
        if (payMethod === 'wallet') {
          wallet.run(`wp-${id}`, who!.id, 'payment', 0 - ev.elderPaysFen, id, c.id, 'wallet', null, null, createdAt);
          who!.balance -= ev.elderPaysFen;
          bump('wallet_entries');
        }
      }
      if (delivery) {
        deliv.run(
          `dl-${id}`,
          id,
          c.id,
          who!.id,
          who!.address,
          'delivered',
          who!.careLevel,
          createdAt,
          new Date(Date.parse(createdAt) + 40 * 60_000).toISOString(),
          date,
          s.period.period,
          pickup,
          chosen.map((d) => `${d.name}×1`).join('，'),
        );
        bump('deliveries');
      }
      if ((method === 'card' || method === 'phone_pin') && rr.chance(0.3)) {
        const roll = rr.next();
        rating.run(
          id,
          c.id,
          date,
          roll < 0.8 ? 'satisfied' : roll < 0.95 ? 'neutral' : 'unsatisfied',
          null,
          new Date(Date.parse(createdAt) + 30 * 60_000).toISOString(),
        );
        bump('meal_ratings');
      }
      if (who && ev.elderSubsidyFen > 0) subsidised.add(slotKey);
      if (ev.elderSubsidyFen > 0) bump('subsidised orders');
      bump('order_subsidies', ev.layers.length);
      bump('order_lines', chosen.length);
      made += 1;
    }
    // Most canteens keep a sample of the day's main dish (some days are missed).
    if (n > 0 && !sampledDays.has(`${c.id}|${date}`) && rr.chance(0.9)) {
      sampledDays.add(`${c.id}|${date}`);
      const at = new Date(Date.parse(`${date}T00:00:00+08:00`) + (oh * 60 + om) * 60_000);
      const dish = (sets[0] ?? onMenu[0])!;
      sample.run(
        `fs-${c.id}-${date}`,
        c.id,
        date,
        s.period.period,
        dish.name,
        150,
        at.toISOString(),
        new Date(at.getTime() + 48 * 3_600_000).toISOString(),
        'user-city',
      );
      bump('food_samples');
    }
    onMenu.forEach((d, i) => {
      const count = soldHere.get(d.id) ?? 0;
      item.run(menuId, d.id, d.set ? Math.max(400, count) : null, count, 0, i);
    });
  }
  for (const flush of flushers) flush();
  // Planted: a death recorded late, so the subsidised meals after it stand in the month.
  w.prepare("UPDATE residents SET status = 'deceased', status_since = ? WHERE id = ?").run(`${CITY_MONTH}-12`, deceased.id);
  planted.push(`deceased ${CITY_MONTH}-12, recorded late: ${deceased.id} has subsidised meals after that date`);
  planted.push(`staff-keyed share: ${canteens[staffHeavy]!.id} keys about 65 % of its orders by staff (elsewhere about 6 %)`);
  w.prepare(
    "INSERT INTO audit_log (at, actor_type, actor_id, action, entity_type, entity_id, details, prev_hash, hash) VALUES (?, 'system', NULL, 'bench.city_month', 'system', NULL, ?, 'genesis', ?)",
  ).run(
    nowIso,
    JSON.stringify({ orders: made }),
    sha256(`genesis${JSON.stringify([nowIso, 'system', null, 'bench.city_month', 'system', null, { orders: made }])}`),
  );
  const tOrders = performance.now();
  for (const ix of indexes) w.exec(ix.sql);
  w.exec('COMMIT');
  bump('orders', made);
  w.pragma('journal_mode = WAL');
  w.exec('ANALYZE');
  w.close();
  const phases = {
    'areas, canteens, residents': (tResidents - t0) / 1000,
    orders: (tOrders - tResidents) / 1000,
    'indexes, commit, analyze': (performance.now() - tOrders) / 1000,
  };
  return { file, seconds: (performance.now() - t0) / 1000, phases, bytes: fs.statSync(file).size, counts, planted };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const [file, orders] = process.argv.slice(2);
  if (!file) throw new Error('usage: city-gen.ts <file.db> [orders]');
  const out = await generateCity(file, { orders: Number(orders ?? 900_000), secret: Buffer.from(process.env.YISHI_SECRET ?? '7f'.repeat(32), 'hex') });
  const cpu = process.cpuUsage();
  // The last line is the result, for the bench: with this process's CPU time and peak memory.
  console.log(JSON.stringify({ ...out, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
}
