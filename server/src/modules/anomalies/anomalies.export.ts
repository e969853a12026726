/** The anomalies' words for documents (zh-CN), the masking of residents' names in exports, and the anomaly list export. */
import type { Writable } from 'node:stream';
import type { AnomalyKind, AnomalyStatus } from '@yishi/shared';
import type { Anomaly } from '@yishi/shared/schemas';
import { table, writePdf, writeXlsx, type ExportMeta, type Table } from '../../lib/exports';

export const ANOMALY_KIND_ZH: Record<AnomalyKind, string> = {
  double_subsidy: '同一餐次重复补贴',
  after_death: '去世后仍有补贴',
  after_move_out: '迁出后仍有补贴',
  under_age: '未满60周岁',
  category_expired: '类别已失效',
  outside_hours: '非营业时间下单',
  closed_day: '停业或不供餐日下单',
  delivery_level: '送餐补贴与照护等级不符',
  volume_spike: '订单量异常激增',
  price_clustering: '餐价集中于补贴上限',
  staff_keyed: '工作人员代录比例过高',
  refund_after_claim: '申报后退款',
  no_elderly_diners: '连续三个月无长者就餐',
};

export const ANOMALY_STATUS_ZH: Record<AnomalyStatus, string> = { open: '待处理', explained: '已说明', confirmed: '已确认' };

/** 王银好 → 王*好, 李华 → 李*: enough to check a list against the register, not to expose a person. */
export function maskName(name: string | null): string {
  if (!name) return '散客';
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** An explanation as an export carries it: the resident's name in it masked as in the 长者 column ("王银好登记于…" → "王*好登记于…"). */
export function maskedExplanation(explanation: string, residentName: string | null): string {
  return residentName ? explanation.split(residentName).join(maskName(residentName)) : explanation;
}

export function anomalyTable(rows: AsyncIterable<Anomaly>, title: string): Table {
  return table<Anomaly>({
    title,
    sheetName: '异常',
    columns: [
      { header: '类型', value: (a) => ANOMALY_KIND_ZH[a.kind] },
      { header: '状态', value: (a) => ANOMALY_STATUS_ZH[a.status] },
      { header: '饭堂', value: 'canteenName' },
      { header: '长者', value: (a) => (a.residentName ? maskName(a.residentName) : '') },
      { header: '月份', value: (a) => a.periodFrom.slice(0, 7) },
      { header: '起', value: 'firstDate', kind: 'date' },
      { header: '止', value: 'lastDate', kind: 'date' },
      { header: '订单数', value: 'orderCount', kind: 'int', total: true },
      { header: '涉及补贴（元）', value: 'amountFen', kind: 'money', total: true },
      { header: '说明', value: (a) => maskedExplanation(a.explanation, a.residentName), width: 60 },
      { header: '处理意见', value: (a) => a.note ?? '', width: 30 },
      { header: '处理人', value: (a) => a.resolvedByName ?? '' },
    ],
    rows,
    totals: true,
  });
}

export function anomalyDocument(rows: AsyncIterable<Anomaly>, format: 'xlsx' | 'pdf', title: string, scope: string, meta: ExportMeta) {
  return async (out: Writable) => {
    const t = anomalyTable(rows, title);
    if (format === 'xlsx') return writeXlsx(out, [t], meta);
    return writePdf(out, { title, subtitle: scope, content: [t], signatures: ['经办人', '审核人'], meta, orientation: 'landscape' });
  };
}
