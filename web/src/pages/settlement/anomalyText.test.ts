import { ANOMALY_KINDS, type AnomalyKind } from '@yishi/shared/domain';
import i18n from 'i18next';
import { describe, expect, it } from 'vitest';
import { anomalyText, type ExplainableAnomaly } from './anomalyText';

/** Each kind's figures as the scan stores them (anomalies.service.ts), around data that stays as entered. */
const FIGURES: Record<AnomalyKind, Record<string, unknown>> = {
  after_death: { status: 'deceased', since: '2026-11-10', orders: 16, subsidyFen: 8000 },
  after_move_out: { status: 'moved', since: '2026-11-05', orders: 3, subsidyFen: 1500 },
  under_age: { birthDate: '1968-06-01', ageOnFirst: 58, minAge: 60, orders: 4, subsidyFen: 2000 },
  category_expired: {
    category: 'dibao',
    layer: '低保对象加补',
    layerEn: 'Minimum-income top-up',
    held: [{ category: 'dibao', from: '2025-01-01', to: '2026-10-31' }],
    orders: 5,
    layerFen: 1500,
  },
  delivery_level: { careLevel: 2, disabilityGrade: 3, paidFen: 500, expectedFen: 300, orders: 4, overFen: 800 },
  outside_hours: {
    orders: 21,
    subsidyFen: 10388,
    examples: [
      { date: '2026-11-17', period: 'dinner', localDate: '2026-11-17', time: '21:42' },
      { date: '2026-11-17', period: 'lunch', localDate: '2026-11-18', time: '00:10' },
    ],
    hours: [
      { period: 'dinner', opens: '17:00', closes: '19:00' },
      { period: 'lunch', opens: '10:30', closes: '13:30' },
    ],
    graceMinutes: 10,
  },
  volume_spike: { mealPeriod: 'lunch', orders: 90, subsidised: 80, median: 30, mad: 2, z: 9.71, ratio: 3, baselineDays: 8, baseline: [30] },
  closed_day: {
    slots: [
      { date: '2026-11-03', period: 'lunch', why: 'suspended' },
      { date: '2026-11-08', period: 'lunch', why: 'not_served' },
    ],
    orders: 12,
    subsidyFen: 3600,
  },
  staff_keyed: { staffKeyed: 40, residentOrders: 100, share: 0.4, cityShare: 0.05, minShare: 0.2, cityRatio: 3 },
  price_clustering: { atCap: 90, subsidised: 100, share: 0.9, cityShare: 0.2, capPrices: [1200], minShare: 0.6 },
  no_elderly_diners: { months: ['2026-09', '2026-10', '2026-11'] },
  double_subsidy: {
    mealPeriods: 4,
    orders: 8,
    subsidyFen: 4000,
    examples: [{ date: '2026-11-02', period: 'lunch', orders: 2, canteens: ['石牌', '龙口'] }],
  },
  refund_after_claim: {
    orders: 1,
    subsidyFen: 500,
    claims: [{ period: '2026-10', payer: '天河区民政局', payerEn: 'Tianhe District Civil Affairs Bureau' }],
    example: { serviceDate: '2026-10-12', refundedOn: '2026-11-03' },
  },
};

const anomaly = (kind: AnomalyKind, figures = FIGURES[kind]): ExplainableAnomaly => ({
  kind,
  explanation: '（扫描时写下的中文说明）',
  canteenName: '石牌长者饭堂',
  residentName: '王银好',
  periodFrom: '2026-11-01',
  firstDate: '2026-11-17',
  lastDate: '2026-11-30',
  figures,
});

/** What is data (names as entered) taken out: what is left must be the reader's language. */
const words = (s: string) => s.replace(/石牌长者饭堂|王银好|石牌|龙口/g, '');
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

describe('an anomaly explained in the reader’s language', () => {
  it('in English every kind is said in English, with its figures, the policy’s English names and no Chinese but the data', () => {
    const t = i18n.getFixedT('en');
    for (const kind of ANOMALY_KINDS) {
      const text = anomalyText(t, 'en', anomaly(kind));
      expect(text, kind).not.toBe('（扫描时写下的中文说明）');
      expect(words(text), `${kind}: ${text}`).not.toMatch(CJK);
      expect(text, kind).not.toMatch(/{{|undefined|NaN|anomalies\./);
    }
    expect(anomalyText(t, 'en', anomaly('outside_hours'))).toBe(
      '21 subsidised orders at 石牌长者饭堂 were placed outside serving hours (Dinner 17:00–19:00, Lunch 10:30–13:30), e.g. Dinner of 2026-11-17 ordered at 21:42, Lunch of 2026-11-17 ordered at 2026-11-18 00:10; subsidy ¥103.88 in all.',
    );
    expect(anomalyText(t, 'en', anomaly('category_expired'))).toContain('Minimum-income top-up');
    expect(anomalyText(t, 'en', anomaly('refund_after_claim'))).toContain('2026-10 Tianhe District Civil Affairs Bureau');
  });

  it('in Chinese it says what the scan wrote, with the Chinese names', () => {
    const t = i18n.getFixedT('zh-CN');
    expect(anomalyText(t, 'zh-CN', anomaly('outside_hours'))).toBe(
      '石牌长者饭堂有21笔补贴订单下单于供餐时间（晚餐17:00–19:00，午餐10:30–13:30）之外，如2026-11-17晚餐于21:42下单、2026-11-17午餐于2026-11-18 00:10下单，补贴合计¥103.88。',
    );
    expect(anomalyText(t, 'zh-CN', anomaly('staff_keyed'))).toBe(
      '石牌长者饭堂2026年11月长者订单中有40.0%由工作人员代为录入（40/100笔），而非刷卡或凭密码；全市为5.0%。',
    );
    expect(anomalyText(t, 'zh-CN', anomaly('category_expired'))).toContain('低保对象加补');
    for (const kind of ANOMALY_KINDS) expect(anomalyText(t, 'zh-CN', anomaly(kind)), kind).not.toMatch(/{{|undefined|NaN|anomalies\./);
  });

  it('an anomaly scanned before its figures carried every part keeps the sentence the scan stored', () => {
    const t = i18n.getFixedT('en');
    const before = { orders: 21, subsidyFen: 10388, examples: ['2026-11-17晚餐于21:42下单'], hours: ['晚餐17:00–19:00'], graceMinutes: 10 };
    expect(anomalyText(t, 'en', anomaly('outside_hours', before))).toBe('（扫描时写下的中文说明）');
    expect(anomalyText(t, 'en', anomaly('closed_day', { slots: ['2026-11-03午餐（暂停服务）'], orders: 1, subsidyFen: 1 }))).toBe('（扫描时写下的中文说明）');
  });
});
