import { Tag } from 'antd';
import type { AnomalyStatus, ClaimState, OrderCategory } from '@yishi/shared/domain';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
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

/** A month from the address bar (?month=2026-11), or the last ended one. */
export function monthParam(v: string | null): string {
  return v && /^\d{4}-(0[1-9]|1[0-2])$/.test(v) ? v : lastEndedMonth().format('YYYY-MM');
}
