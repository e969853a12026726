import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PolicyLevel, PolicyStatus, PolicyVersionSummary } from '../../api/policy';

const STATUS_COLOR: Record<PolicyStatus, string> = { draft: 'gold', published: 'green', retired: 'default' };
const LEVEL_COLOR: Record<PolicyLevel, string> = { city: 'geekblue', district: 'blue', street: 'cyan', charity: 'magenta' };
export const LEVEL_ORDER: Record<PolicyLevel, number> = { city: 0, district: 1, street: 2, charity: 3 };

/** Status as words in a tag (the colour only repeats them). */
export function StatusTag({ status, testId }: { status: PolicyStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid={testId} data-status={status}>
      {t(`policy.statuses.${status}`)}
    </Tag>
  );
}

export function LevelTag({ level }: { level: PolicyLevel }) {
  const { t } = useTranslation();
  return <Tag color={LEVEL_COLOR[level]}>{t(`policy.levels.${level}`)}</Tag>;
}

export function FrozenTag() {
  const { t } = useTranslation();
  return (
    <Tag color="purple" title={t('policy.frozenHint')}>
      {t('policy.frozen')}
    </Tag>
  );
}

export function useDates() {
  const { t } = useTranslation();
  return (v: Pick<PolicyVersionSummary, 'effectiveFrom' | 'effectiveTo'>) =>
    t('policy.dates', { from: v.effectiveFrom, to: v.effectiveTo ?? t('policy.openEnded') });
}
