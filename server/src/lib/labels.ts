/**
 * Chinese labels of the shared vocabulary, for the documents the server writes itself (Excel and CSV exports,
 * PDFs). The console and the kiosk keep their own labels in their i18n; these follow the console's wording.
 */
import type {
  CardKind,
  DeliveryState,
  Fulfilment,
  Gender,
  IdentifyMethod,
  MealPeriod,
  OrderState,
  PaymentMethod,
  PayoutMethod,
  PriceChangeState,
  ResidentStatus,
  WalletEntryKind,
} from '@yishi/shared';
import { CATEGORY_LABELS } from '@yishi/shared';

export const ZH = {
  mealPeriods: { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' } satisfies Record<MealPeriod, string>,
  orderStates: {
    awaiting_payment: '待付款',
    paid: '已付款',
    ready: '待取餐',
    completed: '已完成',
    cancelled: '已取消',
    refunded: '已退款',
  } satisfies Record<OrderState, string>,
  paymentMethods: { wallet: '钱包', cash: '现金', external: '外部支付' } satisfies Record<PaymentMethod, string>,
  payoutMethods: { cash: '现金', transfer: '转账' } satisfies Record<PayoutMethod, string>,
  identifyMethods: { card: '刷卡', qr: '二维码', phone_pin: '手机+密码', staff: '工作人员代录', guest: '散客' } satisfies Record<IdentifyMethod, string>,
  fulfilments: { dine_in: '堂食', delivery: '送餐' } satisfies Record<Fulfilment, string>,
  categories: CATEGORY_LABELS.zh,
  residentStatuses: { active: '在册', deceased: '已故', moved: '已迁出', institutionalised: '入住机构' } satisfies Record<ResidentStatus, string>,
  genders: { female: '女', male: '男' } satisfies Record<Gender, string>,
  walletKinds: { topup: '充值', payment: '消费', refund: '退款', adjustment: '调整', payout: '余额退付' } satisfies Record<WalletEntryKind, string>,
  priceStates: { proposed: '待审批', approved: '已批准', rejected: '已驳回', withdrawn: '已撤回' } satisfies Record<PriceChangeState, string>,
  deliveryStates: { pending: '待出发', out: '配送中', delivered: '已送达', failed: '未送达', cancelled: '已取消' } satisfies Record<DeliveryState, string>,
  cardKinds: { ss_card: '社保卡', senior_card: '老年优待卡', qr: '二维码' } satisfies Record<CardKind, string>,
};

/** A label of a code, or the code itself when the vocabulary has grown past these labels. */
export function zh<K extends keyof typeof ZH>(kind: K, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return (ZH[kind] as Record<string, string>)[code] ?? code;
}
