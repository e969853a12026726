/**
 * The demo city, seeded when the database is empty: areas, 12 canteens across the six supply modes,
 * about 400 residents, a dish catalogue, menus for this week, 60 days of priced order history with a few
 * planted irregularities, and one login per role. Deterministic: the same clock gives the same city.
 *
 * Reference data goes in through each module's repo; the order history is priced by the pricing module
 * (a Replay, exactly as the what-if re-prices a month) and written by orders.recordOrder, the same path a
 * kiosk order takes, with stock taken through menus and wallet payments through the wallet.
 */
import {
  addDays,
  CHINA_CALENDAR_2026,
  guangzhou2024,
  isoWeekday,
  localParts,
  tianheTopUp,
  weekStart,
  type MealPeriod,
  type PolicyDocument,
} from '@yishi/shared';
import type { Ctx } from '../lib/context';
import { hashSecret, sha256 } from '../lib/crypto';
import * as audit from '../modules/audit/audit.service';
import * as authRepo from '../modules/auth/auth.repo';
import * as menus from '../modules/menus/menus.service';
import * as menusRepo from '../modules/menus/menus.repo';
import * as orders from '../modules/orders/orders.service';
import * as policy from '../modules/policy/policy.service';
import * as policyRepo from '../modules/policy/policy.repo';
import * as pricing from '../modules/pricing/pricing.service';
import * as reports from '../modules/reports/reports.service';
import * as residentsService from '../modules/residents/residents.service';
import * as residentsRepo from '../modules/residents/residents.repo';
import * as sites from '../modules/sites/sites.service';
import * as sitesRepo from '../modules/sites/sites.repo';
import * as wallet from '../modules/wallet/wallet.service';
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
import { rng } from '../lib/rng';

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

/** The first demo canteen: the one the start-up pairing code is for. */
export const DEMO_KIOSK = {
  canteenId: CANTEENS[0]!.id,
  canteenName: CANTEENS[0]!.shortName,
  name: `${CANTEENS[0]!.shortName.replace('长者饭堂', '')} 1号自助机`,
};

/** Shares of 满意 and 一般 among a canteen's kiosk ratings (the rest is 不满意): most are liked, two less so. */
const RATING_SHARES: Record<string, [number, number]> = {
  default: [0.82, 0.14],
  'ct-shipai-longkou': [0.58, 0.27],
  'ct-hongde': [0.64, 0.24],
};

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
  const fixed: (Partial<ResidentSeed> & { idRegion?: string })[] = [
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
    },
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
    const f = fixed[i];
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

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function areaOfStreet(code: string) {
  return STREETS.find((s) => s.code === code)!;
}

/** The demo operator login that runs a canteen (takes its payments and keys its staff orders), if any. */
function staffOf(canteenId: string): string | null {
  const u = DEMO_USERS.find((x) => (x.canteens as readonly string[]).includes(canteenId));
  return u ? `user-${u.username}` : null;
}

/** The demo policies' layers and payers in English (the English console and kiosk show these; words only). */
const LAYER_EN: Record<string, string> = {
  就餐补贴: 'Meal subsidy',
  送餐补贴: 'Delivery subsidy',
  运营补贴: 'Operating subsidy',
  天河区助餐提标补贴: 'Tianhe meal subsidy top-up',
};
const PAYER_EN: Record<string, string> = {
  广州市民政局: 'Guangzhou Civil Affairs Bureau',
  天河区民政局: 'Tianhe District Civil Affairs Bureau',
};

/** A library policy with the English names of its layers and payers filled in (the engine never reads them). */
export function inEnglishToo(document: PolicyDocument): PolicyDocument {
  return {
    ...document,
    layers: document.layers.map((l) => ({ ...l, nameEn: l.nameEn ?? LAYER_EN[l.name], payerEn: l.payerEn ?? PAYER_EN[l.payer] })),
  };
}

/** Seed the demo city when the database has no canteens. Returns true when it seeded. */
export async function seedIfEmpty(ctx: Ctx, opts: { historyDays?: number } = {}): Promise<boolean> {
  if (sites.hasCanteens(ctx.db.read)) return false;
  const historyDays = opts.historyDays ?? 60;
  const now = ctx.clock.now();
  const today = localParts(now, 'Asia/Shanghai').date;
  const residents = makeResidents(today);
  const passwordHash = await hashSecret(DEMO_PASSWORD, ctx.config.scryptN);
  const pinHashes = new Map<string, string>();
  for (const r of residents) if (r.pin) pinHashes.set(r.id, await hashSecret(r.pin, ctx.config.scryptN));

  await ctx.db.write((tx) => {
    const nowIso = now.toISOString();

    // Areas and the official calendar
    sitesRepo.insertAreas(tx, [
      { code: CITY.code, name: CITY.name, level: 'city', parentCode: null },
      ...[...DISTRICTS, ...OTHER_DISTRICTS].map((d) => ({ code: d.code, name: d.name, level: 'district' as const, parentCode: CITY.code })),
      ...STREETS.flatMap((s) => [
        { code: s.code, name: s.name, level: 'street' as const, parentCode: s.district },
        ...s.communities.map((c, i) => ({ code: communityCode(s.code, i), name: c, level: 'community' as const, parentCode: s.code })),
      ]),
    ]);
    sitesRepo.insertCalendarDays(tx, [
      ...CHINA_CALENDAR_2026.holidays.map((date) => ({ date, kind: 'holiday' as const, note: '法定节假日' })),
      ...CHINA_CALENDAR_2026.adjustedWorkingDays.map((date) => ({ date, kind: 'working' as const, note: '调休上班' })),
    ]);

    // Operators and canteens
    sitesRepo.insertOrganisations(
      tx,
      OPERATORS.map((o) => ({ id: o.id, name: o.name, kind: 'operator' as const, createdAt: nowIso })),
    );
    sitesRepo.insertCanteens(
      tx,
      CANTEENS.map((c) => {
        const s = areaOfStreet(c.street);
        const dName = DISTRICTS.find((d) => d.code === s.district)!.name;
        const community = s.communities[c.community]!;
        return {
          id: c.id,
          code: c.code,
          name: `${dName}${s.name}${community}${c.supplyMode === 'neighbour_help' ? '长者邻里互助餐点' : '长者饭堂'}`,
          shortName: c.shortName,
          areaCode: communityCode(c.street, c.community),
          streetCode: c.street,
          districtCode: s.district,
          supplyMode: c.supplyMode,
          address: c.address,
          phone: c.phone,
          seats: c.seats,
          timeZone: 'Asia/Shanghai',
          dineIn: true,
          delivery: c.supplyMode !== 'neighbour_help',
          status: 'open' as const,
          operatorOrgId: c.operator,
          openedOn: `20${c.code.slice(3, 5)}-03-01`,
          createdAt: nowIso,
        };
      }),
    );
    sitesRepo.insertMealPeriods(
      tx,
      CANTEENS.flatMap((c) => c.hours.map((h) => ({ canteenId: c.id, period: h.period, opens: h.opens, closes: h.closes, days: h.days }))),
    );

    // Users
    authRepo.insertUsers(
      tx,
      DEMO_USERS.map((u) => ({
        id: `user-${u.username}`,
        username: u.username,
        displayName: u.displayName,
        passwordHash,
        role: u.role,
        scopeAreaCode: u.scope,
        canSeeIdNumbers: u.canSeeIdNumbers,
        mustChangePassword: false,
        createdAt: nowIso,
      })),
    );
    authRepo.insertUserCanteens(
      tx,
      DEMO_USERS.flatMap((u) => u.canteens.map((canteenId) => ({ userId: `user-${u.username}`, canteenId }))),
    );

    // Dishes: each canteen keeps its own catalogue (prices agreed per canteen; neighbour-help is cheaper).
    const dishRows: Parameters<typeof menusRepo.insertDishes>[1] = [];
    for (const c of CANTEENS) {
      const factor = c.supplyMode === 'neighbour_help' ? 0.8 : c.supplyMode === 'restaurant' ? 1.1 : 1;
      for (const d of DISHES) {
        dishRows.push({
          id: `${c.id}__${d.key}`,
          canteenId: c.id,
          name: d.name,
          nameEn: d.nameEn,
          category: d.category,
          priceFen: Math.round((d.priceFen * factor) / 50) * 50,
          isSetMeal: !!d.set,
          kcal: d.kcal,
          proteinG: d.proteinG,
          fatG: d.fatG,
          carbG: d.carbG,
          sodiumMg: d.sodiumMg,
          sugarG: d.sugarG,
          tags: d.tags,
          allergens: d.allergens,
          active: true,
          createdAt: nowIso,
        });
      }
    }
    menusRepo.insertDishes(tx, dishRows);
    menusRepo.insertSetMealItems(
      tx,
      CANTEENS.flatMap((c) =>
        DISHES.flatMap((d) => (d.set ?? []).map((part) => ({ setMealId: `${c.id}__${d.key}`, dishId: `${c.id}__${part}`, quantity: 1 }))),
      ),
    );
    menusRepo.insertPriceChanges(
      tx,
      dishRows.map((d) => {
        const canteen = CANTEENS.find((c) => c.id === d.canteenId)!;
        return {
          id: sha256(`pc:${d.id}`).slice(0, 32),
          dishId: d.id,
          canteenId: d.canteenId,
          oldPriceFen: null,
          newPriceFen: d.priceFen,
          reason: '开办时核定价格',
          approvalRef: `${canteen.code}-价格备案`,
          changedBy: 'user-admin',
          changedAt: nowIso,
          // Agreed when the canteen opened: in force for all of its history.
          state: 'approved' as const,
          effectiveOn: `20${canteen.code.slice(3, 5)}-03-01`,
          decidedBy: 'user-admin',
          decidedAt: nowIso,
          noticeFrom: nowIso,
          proposedByName: '平台管理员',
          decidedByName: '平台管理员',
        };
      }),
    );

    // Policies: the Guangzhou 2024 city rules and the Tianhe district top-up, published, with their English names.
    for (const [key, versionId, document] of [
      ['guangzhou-city', 'pv-guangzhou-2024-v1', inEnglishToo(guangzhou2024)],
      ['tianhe-district', 'pv-tianhe-top-up-v1', inEnglishToo(tianheTopUp)],
    ] as [string, string, PolicyDocument][]) {
      policyRepo.insertVersion(tx, {
        id: versionId,
        policyKey: key,
        version: 1,
        level: document.level,
        areaCode: document.areaCode,
        name: document.name,
        status: 'published',
        document,
        effectiveFrom: document.effectiveFrom,
        effectiveTo: document.effectiveTo,
        createdBy: 'user-city',
        createdAt: '2024-03-20T02:00:00.000Z',
        publishedBy: 'user-city',
        publishedAt: '2024-03-25T02:00:00.000Z',
      });
    }

    // Residents, their categories and cards
    residentsRepo.insertResidents(
      tx,
      residents.map((r) => ({
        id: r.id,
        name: r.name,
        gender: r.gender,
        birthDate: r.birthDate,
        idNumberEnc: ctx.crypto.encrypt(r.idNumber),
        idNumberHash: ctx.crypto.lookupHash('id', r.idNumber),
        idNumberLast4: r.idNumber.slice(-4),
        phoneEnc: r.phone ? ctx.crypto.encrypt(r.phone) : null,
        phoneHash: r.phone ? ctx.crypto.lookupHash('phone', r.phone) : null,
        phoneLast4: r.phone?.slice(-4) ?? null,
        hukouAreaCode: r.hukouAreaCode,
        residenceAreaCode: r.residenceAreaCode,
        address: r.address,
        careLevel: r.careLevel,
        disabilityGrade: r.disabilityGrade,
        livesAlone: r.livesAlone,
        status: 'active' as const,
        dietNeeds: r.dietNeeds,
        allergies: r.allergies,
        pinHash: pinHashes.get(r.id) ?? null,
        pinEnc: r.pin ? ctx.crypto.encrypt(r.pin) : null,
        homeCanteenId: r.homeCanteenId,
        createdAt: nowIso,
        updatedAt: nowIso,
      })),
    );
    residentsRepo.insertCategories(
      tx,
      residents.flatMap((r) =>
        r.categories.map((c, i) => ({
          id: `${r.id}-cat-${i}`,
          residentId: r.id,
          code: c.code,
          validFrom: c.validFrom,
          validTo: c.validTo,
          evidence: c.evidence,
          createdBy: 'user-shipai',
          createdByName: '石牌街道 何干事',
          createdAt: nowIso,
          // Demo history: proposed by the street office and approved by the district with the evidence seen.
          state: 'approved' as const,
          decidedBy: 'user-tianhe',
          decidedByName: '天河区民政局 林主任',
          decidedAt: nowIso,
          decisionNote: '已核对证件原件',
        })),
      ),
    );
    residentsRepo.insertTokens(
      tx,
      residents.map((r) => ({
        id: `${r.id}-card`,
        residentId: r.id,
        kind: r.cardKind,
        tokenHash: ctx.crypto.lookupHash('card', r.card),
        tokenEnc: ctx.crypto.encrypt(r.card),
        last4: r.card.slice(-4),
        issuedAt: nowIso,
      })),
    );

    // Menus: history days + this week (Mon–Sun) + next week.
    const firstDay = addDays(today, -historyDays);
    const lastDay = addDays(weekStart(today), 13);
    const menuRows: Parameters<typeof menusRepo.insertMenus>[1] = [];
    const itemRows: Parameters<typeof menusRepo.insertMenuItems>[1] = [];
    const menuDishes = new Map<string, string[]>();
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
          menuRows.push({ id, canteenId: c.id, serviceDate: d, mealPeriod: h.period, createdAt: nowIso, updatedAt: nowIso });
          const dishes = keys.map((k) => `${c.id}__${k}`);
          dishes.forEach((dishId, n) =>
            itemRows.push({
              menuId: id,
              dishId,
              portions: dishId.includes('__set-') ? Math.round(c.lunchDiners * 0.7) + 10 : null,
              sold: 0,
              soldOut: false,
              sortOrder: n,
            }),
          );
          menuDishes.set(`${c.id}|${d}|${h.period}`, dishes);
        }
      }
    }
    menusRepo.insertMenus(tx, menuRows);
    menusRepo.insertMenuItems(tx, itemRows);

    // Order history, priced in the order it happened with each resident's own history, and written the way
    // every order is written.
    const r = rng(7);
    const facts = residentsService.allFacts(tx);
    const canteenRows = new Map(sites.allCanteens(tx).map((c) => [c.id, c]));
    const replay = new pricing.Replay({ policiesOn: (date) => policy.versionsInForce(tx, date), calendar: sites.calendar(tx) });
    const snapshots = new Map<string, menus.MenuSnapshot>();
    const snapshot = (canteenId: string, slot: { serviceDate: string; mealPeriod: MealPeriod }) => {
      const key = `${canteenId}|${slot.serviceDate}|${slot.mealPeriod}`;
      let s = snapshots.get(key);
      if (!s) snapshots.set(key, (s = menus.menuForSlot(tx, canteenId, slot)));
      return s;
    };
    const topup = (resId: string, canteenId: string, at: string, amount: number) =>
      wallet.recordTopup(tx, {
        id: sha256(`tu:${resId}:${at}`).slice(0, 32),
        residentId: resId,
        canteenId,
        amountFen: amount,
        method: r.chance(0.7) ? 'cash' : 'external',
        at,
        by: staffOf(canteenId),
      });
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
    // Planted: a lunch about three times 龙口西's usual, on the last day it served lunch at least eight days ago.
    const longkou = CANTEENS.find((c) => c.id === 'ct-shipai-longkou')!;
    let spikeDay = addDays(today, -8);
    while (!longkou.hours.some((h) => h.period === 'lunch' && h.days.includes(isoWeekday(spikeDay)))) spikeDay = addDays(spikeDay, -1);
    const deceasedOn = addDays(today, -20);
    let seq = 0;
    // Some elders who ordered at the kiosk tapped a rating after the meal (its own generator: the rest of the city stays the same).
    const rate = rng(4242);
    const ratings: Parameters<typeof reports.loadDemoRatings>[1] = [];

    interface Draft {
      c: (typeof CANTEENS)[number];
      period: MealPeriod;
      dishes: string[];
      who: ResidentSeed | null;
      chosen: string[];
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
          const dishes = menuDishes.get(`${c.id}|${d}|${h.period}`);
          if (!dishes) continue;
          let diners = h.period === 'lunch' ? c.lunchDiners : h.period === 'dinner' ? Math.round(c.lunchDiners * 0.4) : Math.round(c.lunchDiners * 0.3);
          diners = Math.round(diners * (0.8 + r.next() * 0.4));
          // Planted volume spike: three times the usual lunch, half of it from elsewhere in the district.
          const spike = c.id === 'ct-shipai-longkou' && d === spikeDay && h.period === 'lunch';
          if (spike) diners *= 3;
          const served = new Set<string>();
          for (let n = 0; n < diners; n++) {
            const guest = r.chance(0.08);
            let who: ResidentSeed | null = null;
            if (!guest) {
              const pool = r.chance(spike ? 0.5 : 0.9) || others.length === 0 ? local : others;
              if (pool.length === 0) continue;
              who = r.pick(pool);
              if (served.has(who.id)) continue;
              served.add(who.id);
            }
            const setMeals = dishes.filter((x) => x.includes('__set-'));
            const singles = dishes.filter((x) => !x.includes('__set-'));
            let chosen: string[];
            if (who && who.dietNeeds.includes('diabetes') && dishes.some((x) => x.endsWith('set-diabetic')))
              chosen = [dishes.find((x) => x.endsWith('set-diabetic'))!];
            else if (setMeals.length && r.chance(0.7)) chosen = [r.pick(setMeals)];
            else chosen = [...new Set([r.pick(singles), r.pick(singles)])];
            // Planted: a few local 户籍 elders "served" at 21:40 at 员村, long after closing.
            const outsideHours = c.id === 'ct-yuancun' && !!who?.hukouAreaCode && d >= addDays(today, -6) && n < 3;
            const [hh, mm] = (outsideHours ? '21:40' : h.opens).split(':').map(Number) as [number, number];
            // Spread over the meal period's own hours (the server takes no order outside them).
            const span = Math.min(150, minutesOf(h.closes) - minutesOf(h.opens) - 12);
            const minutes = hh * 60 + mm + (outsideHours ? n : Math.floor((n / Math.max(1, diners)) * span)) + r.int(0, 10);
            const staffKeyed = c.id === 'ct-hongde' ? r.chance(0.65) : r.chance(0.06); // planted: high staff-keyed share at 洪德
            drafts.push({
              c,
              period: h.period,
              dishes,
              who,
              chosen,
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
      for (const { c, period, dishes, who, chosen, delivery, createdAt, method, wantsWallet, external } of drafts) {
        const slot = { serviceDate: d, mealPeriod: period };
        const menu = snapshot(c.id, slot);
        // The portions are taken as at the counter; when the set meal is gone the elder takes two dishes instead.
        let lines = chosen;
        if (!lines.every((dishId) => menus.takePortions(tx, menu.menu.id, dishId, 1))) {
          const singles = dishes.filter((x) => !x.includes('__set-'));
          lines = [...new Set([r.pick(singles), r.pick(singles)])];
          for (const dishId of lines) menus.takePortions(tx, menu.menu.id, dishId, 1);
        }
        const pc = pricing.pricingContext(replay, { canteen: canteenRows.get(c.id)!, slot, resident: who ? facts.get(who.id)! : null });
        const priced = pricing.linesOnMenu(
          menu,
          lines.map((dishId) => ({ dishId, quantity: 1 })),
          { allowSoldOut: true },
        );
        const ev = pricing.evaluateLines(pc, priced, delivery ? 'delivery' : 'dine_in');
        const id = `00000000-0000-7000-8000-${String(++seq).padStart(12, '0')}`;
        const payMethod: 'wallet' | 'cash' | 'external' = wantsWallet ? 'wallet' : external ? 'external' : 'cash';
        if (payMethod === 'wallet' && wallet.balanceOf(tx, who!.id) < ev.elderPaysFen) {
          topup(who!.id, c.id, new Date(Date.parse(createdAt) - 60_000).toISOString(), 20000);
        }
        orders.recordOrder(tx, {
          id,
          canteenId: c.id,
          residentId: who?.id ?? null,
          resident: who ? facts.get(who.id)! : null,
          slot,
          fulfilment: delivery ? 'delivery' : 'dine_in',
          identifyMethod: method,
          paymentMethod: payMethod,
          lines: priced,
          evaluation: ev,
          policyVersionIds: pricing.policyVersionIds(pc),
          state: 'completed',
          createdAt,
          paidAt: createdAt,
          readyAt: createdAt,
          completedAt: new Date(Date.parse(createdAt) + 12 * 60_000).toISOString(),
          deviceId: null,
          staffUserId: method === 'staff' ? staffOf(c.id) : null,
          requestHash: sha256(id),
          payment: {
            id: sha256(`pay:${id}`).slice(0, 32),
            reference: payMethod === 'external' ? `WX${String(seq).padStart(10, '0')}` : null,
            confirmedBy: staffOf(c.id),
          },
          takenBy: null,
          walletEntryId: sha256(`wp:${id}`).slice(0, 32),
          delivery: delivery
            ? {
                id: sha256(`dl:${id}`).slice(0, 32),
                address: who!.address,
                careLevelAtOrder: who!.careLevel,
                state: 'delivered',
                dispatchedAt: createdAt,
                deliveredAt: new Date(Date.parse(createdAt) + 40 * 60_000).toISOString(),
              }
            : null,
        });
        replay.record(pc, ev);
        if ((method === 'card' || method === 'phone_pin') && rate.chance(0.4)) {
          const [good, fair] = RATING_SHARES[c.id] ?? RATING_SHARES.default!;
          const roll = rate.next();
          ratings.push({
            orderId: id,
            canteenId: c.id,
            serviceDate: d,
            rating: roll < good ? 'satisfied' : roll < good + fair ? 'neutral' : 'unsatisfied',
            deviceId: null,
            createdAt: new Date(Date.parse(createdAt) + 12 * 60_000).toISOString(),
          });
        }
      }
    }
    reports.loadDemoRatings(tx, ratings);
    // Planted: the death is recorded late, so subsidised meals after it stand in the history.
    residentsRepo.updateResident(tx, deceased.id, { status: 'deceased', statusSince: deceasedOn });

    audit.record(tx, null, now, {
      action: 'seed.demo_city',
      entityType: 'system',
      details: { residents: residents.length, canteens: CANTEENS.length, historyDays, orders: seq },
    });
  });
  return true;
}
