import type { Menu, Quote, SubsidyLine } from '@yishi/shared/schemas';
import type { CartLine } from './store';

/**
 * What the basket and the confirm screen show: each line, what that line costs this person, and the totals.
 * The per-line figures are the server's own split of the charge (quote.lines[].elderSubsidyFen, which sum
 * exactly to the meal subsidy), so the lines always add up to what is charged. A figure for a dish on its own
 * is never shown: with a capped or "pays at most" subsidy it would not add up.
 */
export interface BillLine {
  dishId: string;
  name: string;
  quantity: number;
  lineTotalFen: number;
  /** This line's share of the meal subsidy; null when not known (no figure is shown then). */
  subsidyFen: number | null;
  /** What this line costs the person; the lines sum to elderPaysFen. Null when not known. */
  paysFen: number | null;
}

export interface Bill {
  /**
   * 'quote': the server's price; 'offline': the kiosk's own price from its offline cache and the shared engine;
   * 'list': list prices (a guest while the server cannot be reached and there is no cache).
   */
  source: 'quote' | 'offline' | 'list';
  lines: BillLine[];
  mealPriceFen: number;
  elderSubsidyFen: number;
  elderPaysFen: number;
  subsidies: SubsidyLine[];
  balanceFen: number | null;
  balanceAfterFen: number | null;
}

export function billFromQuote(q: Quote & { offline?: true }): Bill {
  const lines: BillLine[] = q.lines.map((l) => ({
    dishId: l.dishId,
    name: l.name,
    quantity: l.quantity,
    lineTotalFen: l.lineTotalFen,
    subsidyFen: l.elderSubsidyFen,
    paysFen: l.lineTotalFen - l.elderSubsidyFen,
  }));
  // Show per-line figures only if they add up, exactly, to what is charged.
  const adds =
    lines.every((l) => l.paysFen !== null && l.paysFen >= 0) &&
    lines.reduce((n, l) => n + (l.paysFen ?? 0), 0) === q.elderPaysFen &&
    lines.reduce((n, l) => n + (l.subsidyFen ?? 0), 0) === q.elderSubsidyFen &&
    lines.reduce((n, l) => n + l.lineTotalFen, 0) === q.mealPriceFen;
  return {
    source: q.offline ? 'offline' : 'quote',
    lines: adds ? lines : lines.map((l) => ({ ...l, subsidyFen: null, paysFen: null })),
    mealPriceFen: q.mealPriceFen,
    elderSubsidyFen: q.elderSubsidyFen,
    elderPaysFen: q.elderPaysFen,
    subsidies: q.subsidies.filter((s) => s.kind === 'meal' && s.amountFen > 0),
    balanceFen: q.balanceFen,
    balanceAfterFen: q.balanceAfterFen,
  };
}

/**
 * A guest's bill at list prices, for when the server cannot be reached: a guest gets no meal subsidy, so the
 * list price is the price (the server prices the order again when it arrives, and its figure is the one kept).
 */
export function listBill(cart: readonly CartLine[], menu: Menu | null | undefined): Bill | null {
  if (!menu || cart.length === 0) return null;
  const lines: BillLine[] = [];
  for (const c of cart) {
    const item = menu.items.find((i) => i.dish.id === c.dishId);
    if (!item) return null;
    const total = item.dish.priceFen * c.quantity;
    lines.push({ dishId: c.dishId, name: item.dish.name, quantity: c.quantity, lineTotalFen: total, subsidyFen: 0, paysFen: total });
  }
  const sum = lines.reduce((n, l) => n + l.lineTotalFen, 0);
  return { source: 'list', lines, mealPriceFen: sum, elderSubsidyFen: 0, elderPaysFen: sum, subsidies: [], balanceFen: null, balanceAfterFen: null };
}
