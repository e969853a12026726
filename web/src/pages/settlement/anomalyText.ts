import { isoWeekday } from '@yishi/shared/domain';
import { AnomalyFigures, type Anomaly } from '@yishi/shared/schemas';
import type { TFunction } from 'i18next';
import { yuan } from '../../lib/format';

/** What an explanation is said from: the anomaly's kind and figures, with its canteen, elder and dates. */
export type ExplainableAnomaly = Pick<Anomaly, 'kind' | 'explanation' | 'canteenName' | 'residentName' | 'periodFrom' | 'firstDate' | 'lastDate' | 'figures'>;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A policy's name in the reader's language: the English one in English where the policy gives it, else the Chinese. */
export function localName(lang: string, zh: string, en: string | null | undefined): string {
  return en && lang.startsWith('en') ? en : zh;
}

/**
 * An anomaly's explanation in the reader's language, said from its figures (AnomalyFigures[kind]: codes, dates, counts
 * and fen). An anomaly scanned before its figures carried all that keeps the Chinese sentence the scan stored.
 */
export function anomalyText(t: TFunction, lang: string, a: ExplainableAnomaly): string {
  const parsed = AnomalyFigures[a.kind].safeParse(a.figures);
  if (!parsed.success) return a.explanation;
  const k = 'anomalies.sentences';
  const sep = t(`${k}.sep`);
  const period = (p: string) => t(`mealPeriods.${p}`);
  const category = (c: string) => (c === 'ordinary' ? t('claims.ordinary') : t(`categories.${c}`, { defaultValue: c }));
  const resident = a.residentName ?? t(`${k}.guest`);
  const common = { canteen: a.canteenName, resident, from: a.firstDate, to: a.lastDate };
  const [year, mm] = a.periodFrom.slice(0, 7).split('-') as [string, string];
  const month = t(`${k}.monthOfYear`, { year, month: mm });
  const more = (n: number, shown: number) => (n > shown ? t(`${k}.moreMeals`, { n }) : '');
  const f = parsed.data;
  switch (a.kind) {
    case 'after_death':
    case 'after_move_out': {
      const x = f as AnomalyFigures['after_death'];
      const status = t(`${k}.statusWords.${x.status}`, { defaultValue: t(`residentStatus.${x.status}`, { defaultValue: x.status }) });
      return t(`${k}.after_status`, { ...common, status, since: x.since, orders: x.orders, amount: yuan(x.subsidyFen) });
    }
    case 'under_age': {
      const x = f as AnomalyFigures['under_age'];
      return t(`${k}.under_age`, { ...common, birthDate: x.birthDate, minAge: x.minAge, age: x.ageOnFirst, orders: x.orders, amount: yuan(x.subsidyFen) });
    }
    case 'category_expired': {
      const x = f as AnomalyFigures['category_expired'];
      const list = x.held
        .map((h) => t(`${k}.heldRecord`, { category: category(h.category), from: h.from, to: h.to ?? t(`${k}.stillHeld`) }))
        .join(t(`${k}.sepSemi`));
      return t(`${k}.category_expired`, {
        ...common,
        orders: x.orders,
        category: category(x.category),
        layer: localName(lang, x.layer, x.layerEn),
        amount: yuan(x.layerFen),
        records: list ? t(`${k}.heldRecords`, { list }) : '',
      });
    }
    case 'delivery_level': {
      const x = f as AnomalyFigures['delivery_level'];
      return t(`${k}.delivery_level`, {
        ...common,
        careLevel: x.careLevel,
        grade: x.disabilityGrade ? t(`${k}.disabilityGrade`, { grade: x.disabilityGrade }) : '',
        expected: yuan(x.expectedFen),
        paid: yuan(x.paidFen),
        orders: x.orders,
        over: yuan(x.overFen),
      });
    }
    case 'outside_hours': {
      const x = f as AnomalyFigures['outside_hours'];
      const hours = x.hours.map((h) => t(`${k}.servingHours`, { period: period(h.period), opens: h.opens, closes: h.closes })).join(t(`${k}.sepWide`));
      const examples = x.examples
        .map((e) => t(`${k}.orderedAt`, { date: e.date, period: period(e.period), at: e.localDate === e.date ? e.time : `${e.localDate} ${e.time}` }))
        .join(sep);
      return t(`${k}.outside_hours`, { ...common, orders: x.orders, hours, examples, amount: yuan(x.subsidyFen) });
    }
    case 'volume_spike': {
      const x = f as AnomalyFigures['volume_spike'];
      return t(`${k}.volume_spike`, {
        ...common,
        date: a.firstDate,
        weekday: t(`${k}.weekdays.${isoWeekday(a.firstDate)}`),
        period: period(x.mealPeriod),
        orders: x.orders,
        subsidised: x.subsidised,
        baselineDays: x.baselineDays,
        median: x.median,
        ratio: x.ratio.toFixed(1),
        z: x.z.toFixed(1),
      });
    }
    case 'closed_day': {
      const x = f as AnomalyFigures['closed_day'];
      const slots = x.slots
        .slice(0, 5)
        .map((s) => t(`${k}.closedSlot`, { date: s.date, period: period(s.period), why: t(`${k}.closedWhy.${s.why}`) }))
        .join(sep);
      return t(`${k}.closed_day`, { ...common, orders: x.orders, slots, more: more(x.slots.length, 5), amount: yuan(x.subsidyFen) });
    }
    case 'staff_keyed': {
      const x = f as AnomalyFigures['staff_keyed'];
      return t(`${k}.staff_keyed`, {
        ...common,
        month,
        share: pct(x.share),
        staffKeyed: x.staffKeyed,
        residentOrders: x.residentOrders,
        cityShare: pct(x.cityShare),
      });
    }
    case 'price_clustering': {
      const x = f as AnomalyFigures['price_clustering'];
      return t(`${k}.price_clustering`, {
        ...common,
        month,
        share: pct(x.share),
        prices: x.capPrices.map((p) => yuan(p)).join(sep),
        atCap: x.atCap,
        subsidised: x.subsidised,
        cityShare: pct(x.cityShare),
      });
    }
    case 'no_elderly_diners': {
      const x = f as AnomalyFigures['no_elderly_diners'];
      const months = x.months.map((m) => t(`${k}.monthName`, { month: Number(m.slice(5)), ym: m })).join(sep);
      return t(`${k}.no_elderly_diners`, { ...common, n: x.months.length, months });
    }
    case 'double_subsidy': {
      const x = f as AnomalyFigures['double_subsidy'];
      const slots = x.examples
        .map((e) => t(`${k}.doubleSlot`, { date: e.date, period: period(e.period), orders: e.orders, canteens: e.canteens.join(sep) }))
        .join(t(`${k}.sepSemi`));
      return t(`${k}.double_subsidy`, { ...common, slots, more: more(x.mealPeriods, x.examples.length), amount: yuan(x.subsidyFen) });
    }
    case 'refund_after_claim': {
      const x = f as AnomalyFigures['refund_after_claim'];
      const claims = x.claims.map((c) => t(`${k}.claimOf`, { period: c.period, payer: localName(lang, c.payer, c.payerEn) })).join(sep);
      return t(`${k}.refund_after_claim`, {
        ...common,
        orders: x.orders,
        claims,
        serviceDate: x.example.serviceDate,
        refundedOn: x.example.refundedOn,
        amount: yuan(x.subsidyFen),
      });
    }
  }
}
