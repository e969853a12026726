import { DatePicker, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { addDays } from '@yishi/shared/domain';
import { useMe } from '../../api/auth';
import { useAreas, useCanteens } from '../../api/sites';
import { nowIn } from '../../lib/format';

/** The first and last day of the month a date is in. */
export function monthOf(date: string): { from: string; to: string } {
  const d = dayjs(date);
  return { from: d.startOf('month').format('YYYY-MM-DD'), to: d.endOf('month').format('YYYY-MM-DD') };
}

export interface Selection {
  from: string;
  to: string;
  canteenId?: string;
  areaCode?: string;
}

/**
 * The period and the scope of a reports page, kept in the address (so a drill-down is a link, and back goes back):
 * ?from=…&to=…&areaCode=… or &canteenId=…; by default this month (the server's today) and the caller's own scope.
 */
export function useSelection(): [Selection, (next: Partial<Selection>, extra?: Record<string, string | undefined>) => void, URLSearchParams] {
  const [params, setParams] = useSearchParams();
  const today = nowIn('Asia/Shanghai').date;
  const month = monthOf(today);
  const sel: Selection = {
    from: params.get('from') ?? month.from,
    to: params.get('to') ?? month.to,
    ...(params.get('canteenId') ? { canteenId: params.get('canteenId')! } : {}),
    ...(params.get('areaCode') ? { areaCode: params.get('areaCode')! } : {}),
  };
  const update = (next: Partial<Selection>, extra: Record<string, string | undefined> = {}) => {
    const merged: Record<string, string | undefined> = { ...Object.fromEntries(params.entries()), ...next, ...extra };
    if ('canteenId' in next || 'areaCode' in next) {
      if (!next.canteenId) delete merged.canteenId;
      if (!next.areaCode) delete merged.areaCode;
    }
    const clean = Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    setParams(clean);
  };
  return [sel, update, params];
}

/** A date range with the usual presets (this month, last month, the last 7 / 30 days, this year). */
export function PeriodPicker({
  from,
  to,
  onChange,
  testId = 'period',
}: {
  from: string;
  to: string;
  onChange: (from: string, to: string) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const today = dayjs(nowIn('Asia/Shanghai').date);
  const presets: { label: string; value: [Dayjs, Dayjs] }[] = [
    { label: t('reports.presets.thisMonth'), value: [today.startOf('month'), today.endOf('month')] },
    { label: t('reports.presets.lastMonth'), value: [today.subtract(1, 'month').startOf('month'), today.subtract(1, 'month').endOf('month')] },
    { label: t('reports.presets.last7'), value: [dayjs(addDays(today.format('YYYY-MM-DD'), -7)), today.subtract(1, 'day')] },
    { label: t('reports.presets.last30'), value: [dayjs(addDays(today.format('YYYY-MM-DD'), -30)), today.subtract(1, 'day')] },
    { label: t('reports.presets.thisYear'), value: [today.startOf('year'), today.endOf('year')] },
  ];
  return (
    <DatePicker.RangePicker
      aria-label={t('reports.period')}
      data-testid={testId}
      allowClear={false}
      value={[dayjs(from), dayjs(to)]}
      presets={presets}
      onChange={(v) => {
        if (v?.[0] && v[1]) onChange(v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD'));
      }}
    />
  );
}

interface TreeNode {
  value: string;
  title: string;
  children?: TreeNode[];
}

/**
 * Pick what the figures cover: the caller's whole scope, an area inside it (district, street) or one canteen.
 * Values: '' (my scope), 'area:<code>', 'canteen:<id>'.
 */
export function ScopePicker({ value, onChange }: { value: Selection; onChange: (next: Pick<Selection, 'areaCode' | 'canteenId'>) => void }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const areas = useAreas().data ?? [];
  const canteens = useCanteens().data ?? [];
  const tree = useMemo<TreeNode[]>(() => {
    const canteenNode = (c: (typeof canteens)[number]): TreeNode => ({ value: `canteen:${c.id}`, title: c.shortName });
    if (!me) return [];
    if (me.role === 'operator') return [{ value: '', title: t('reports.myCanteens'), children: canteens.map(canteenNode) }];
    const has = (code: string) => canteens.some((c) => c.streetCode.startsWith(code) || c.districtCode.startsWith(code));
    const build = (code: string, level: string): TreeNode => {
      const a = areas.find((x) => x.code === code);
      const kids =
        level === 'street'
          ? canteens.filter((c) => c.streetCode === code).map(canteenNode)
          : areas.filter((x) => x.parentCode === code && (x.level === 'district' || x.level === 'street') && has(x.code)).map((x) => build(x.code, x.level));
      return { value: `area:${code}`, title: a?.name ?? code, children: kids };
    };
    const roots = me.scopeAreaCode ? [me.scopeAreaCode] : areas.filter((a) => a.level === 'city').map((a) => a.code);
    return roots.map((code) => build(code, areas.find((a) => a.code === code)?.level ?? 'city'));
  }, [me, areas, canteens, t]);

  const current = value.canteenId ? `canteen:${value.canteenId}` : value.areaCode ? `area:${value.areaCode}` : (tree[0]?.value ?? '');
  return (
    <TreeSelect
      aria-label={t('reports.scope')}
      data-testid="scope-picker"
      style={{ minWidth: 220 }}
      treeDefaultExpandedKeys={tree.map((n) => n.value)}
      treeData={tree}
      value={current}
      showSearch
      treeNodeFilterProp="title"
      popupMatchSelectWidth={false}
      onChange={(v: string) => {
        if (v.startsWith('canteen:')) onChange({ canteenId: v.slice(8), areaCode: undefined });
        else if (v.startsWith('area:')) onChange({ areaCode: v.slice(5), canteenId: undefined });
        else onChange({ areaCode: undefined, canteenId: undefined });
      }}
    />
  );
}
