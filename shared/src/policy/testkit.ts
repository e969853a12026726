/** Builders for tests (not exported from the package index). */
import { CHINA_CALENDAR_2026 } from '../domain/time';
import type { MealPeriod, SupplyMode } from '../domain/enums';
import type { CanteenFacts, EvaluateInput, HistoryEntry, PricedLine, PolicyVersion, ResidentFacts } from './evaluate';
import type { PolicyDocument } from './schema';

/** A Tuesday (working day) in 2026. */
export const TUESDAY = '2026-03-10';
export const SATURDAY = '2026-03-14';

export function resident(over: Partial<ResidentFacts> = {}): ResidentFacts {
  return {
    id: 'r1',
    birthDate: '1950-06-01', // 75 on TUESDAY
    hukouAreaCode: '440106001',
    residenceAreaCode: '440106001',
    categories: [],
    careLevel: 0,
    disabilityGrade: null,
    status: 'active',
    statusSince: null,
    ...over,
  };
}

export function canteen(areaCode = '440106001', supplyMode: SupplyMode = 'own_kitchen'): CanteenFacts {
  return { id: `c-${areaCode}`, areaCode, supplyMode };
}

export function meal(priceFen: number, dishId = 'set-meal'): PricedLine[] {
  return [{ dishId, unitPriceFen: priceFen, quantity: 1 }];
}

export function versions(...docs: PolicyDocument[]): PolicyVersion[] {
  return docs.map((document, i) => ({ versionId: `v${i + 1}`, document }));
}

export function input(policies: PolicyVersion[], over: Partial<EvaluateInput> = {}): EvaluateInput {
  return {
    policies,
    resident: resident(),
    canteen: canteen(),
    serviceDate: TUESDAY,
    mealPeriod: 'lunch' as MealPeriod,
    fulfilment: 'dine_in',
    lines: meal(1200),
    history: [] as HistoryEntry[],
    calendar: CHINA_CALENDAR_2026,
    ...over,
  };
}
