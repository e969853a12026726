import { DatePicker, Select, Space, Tag } from 'antd';
import type { AnomalyStatus, ClaimState, OrderCategory } from '@yishi/shared/domain';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCanteens } from '../../api/sites';
import { nowIn } from '../../lib/format';

const CLAIM_STATE_COLOR: Record<ClaimState, string> = {
  draft: 'default',
  submitted: 'processing',
  checked: 'blue',
  returned: 'warning',
  rejected: 'error',
  approved: 'success',
  paid: 'green',
};

export function ClaimStateTag({ state }: { state: ClaimState }) {
  const { t } = useTranslation();
  return (
    <Tag color={CLAIM_STATE_COLOR[state]} data-testid="claim-state" data-state={state}>
      {t(`claims.states.${state}`)}
    </Tag>
  );
}

const ANOMALY_STATUS_COLOR: Record<AnomalyStatus, string> = { open: 'error', explained: 'default', confirmed: 'volcano' };

export function AnomalyStatusTag({ status }: { status: AnomalyStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={ANOMALY_STATUS_COLOR[status]} data-testid="anomaly-status" data-status={status}>
      {t(`anomalies.statuses.${status}`)}
    </Tag>
  );
}

/** An order's category as the claim counts it: a resident category, an ordinary elder, or a guest (null). */
export function useCategoryLabel() {
  const { t } = useTranslation();
  return (c: OrderCategory | null): string => (c === null ? t('claims.guest') : c === 'ordinary' ? t('claims.ordinary') : t(`categories.${c}`));
}

/** The month whose claims are due now: the last month that has ended, in China's time. */
export function lastEndedMonth(): Dayjs {
  return dayjs(nowIn('Asia/Shanghai').date).startOf('month').subtract(1, 'month');
}

/**
 * A settlement list's filters in the address bar (a link and the back button keep them): the month, the canteen, the
 * page, and `set` for any of them (a changed filter goes back to page 1).
 */
export function useListParams(defaultMonth: () => string = () => lastEndedMonth().format('YYYY-MM')) {
  const [params, setParams] = useSearchParams();
  const asked = params.get('month');
  const month = asked && /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) ? asked : defaultMonth();
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k !== 'page') next.delete('page');
    setParams(next, { replace: true });
  };
  return {
    params,
    month,
    canteenId: params.get('canteen') ?? undefined,
    page: Math.max(1, Number(params.get('page')) || 1),
    set,
  };
}

/** The month filter of a settlement list (months after the next one cannot be chosen). */
export function MonthFilter({ month, onChange, label, testId }: { month: string; onChange: (m: string) => void; label: string; testId: string }) {
  return (
    <Space>
      <span>{label}</span>
      <DatePicker
        picker="month"
        allowClear={false}
        value={dayjs(`${month}-01`)}
        format="YYYY-MM"
        onChange={(d) => d && onChange(d.format('YYYY-MM'))}
        disabledDate={(d) => d.isAfter(lastEndedMonth().add(1, 'month'), 'month')}
        aria-label={label}
        data-testid={testId}
      />
    </Space>
  );
}

/** The canteen filter of a settlement list: every canteen the caller may see, or all of them. */
export function CanteenFilter({
  value,
  onChange,
  label,
  allLabel,
  testId,
}: {
  value: string | undefined;
  onChange: (id: string | undefined) => void;
  label: string;
  allLabel: string;
  testId: string;
}) {
  const canteens = useCanteens();
  return (
    <Select<string>
      style={{ width: 200 }}
      value={value ?? ''}
      showSearch={{ optionFilterProp: 'label' }}
      onChange={(v) => onChange(v || undefined)}
      aria-label={label}
      options={[{ value: '', label: allLabel }, ...(canteens.data ?? []).map((c) => ({ value: c.id, label: c.shortName }))]}
      data-testid={testId}
    />
  );
}
