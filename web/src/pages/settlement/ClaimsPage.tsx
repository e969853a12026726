import { ThunderboltOutlined } from '@ant-design/icons';
import { Alert, App, Button, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CLAIM_STATES, type ClaimState } from '@yishi/shared/domain';
import { type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../api/auth';
import { settlementFiles, useClaims, useGenerateClaims, type ClaimSummary } from '../../api/settlement';
import { ExportButtons } from '../../components/ExportButtons';
import { ErrorResult } from '../../components/PageState';
import { inGroup } from '../../lib/access';
import { errorText } from '../../lib/errors';
import { yuan } from '../../lib/format';
import { CanteenFilter, ClaimStateTag, MonthFilter, useListParams } from './common';
import { PayerSettings } from './PayerSettings';
import { usePolicyWords } from '../../lib/policyNames';

const PAGE = 50;

/** Every claim the caller may see for a month: filters in the address bar, so a link (and the back button) keeps them. */
export function ClaimsPage() {
  const { t } = useTranslation();
  const words = usePolicyWords();
  const { message } = App.useApp();
  const me = useMe().data;
  const { params, month, canteenId, page, set } = useListParams();
  const state = (CLAIM_STATES as readonly string[]).includes(params.get('state') ?? '') ? (params.get('state') as ClaimState) : undefined;
  const filters = { month, ...(state ? { state } : {}), ...(canteenId ? { canteenId } : {}) };
  const claims = useClaims({ ...filters, limit: PAGE, offset: (page - 1) * PAGE });
  const generate = useGenerateClaims();

  const columns: ColumnsType<ClaimSummary> = [
    {
      title: t('claims.canteen'),
      dataIndex: 'canteenName',
      render: (_v, c) => (
        <Link to={`/claims/${c.id}`} data-testid={`claim-link-${c.id}`}>
          {c.canteenName}
        </Link>
      ),
    },
    { title: t('claims.payer'), render: (_v, c) => words.payer(c.payer) },
    {
      title: t('claims.period'),
      width: 130,
      render: (_v, c) => (
        <Space size={4}>
          <span className="mono">{c.period}</span>
          {c.cadence === 'quarter' && <Tag>{t('claims.cadences.quarter')}</Tag>}
        </Space>
      ),
    },
    { title: t('claims.state'), width: 120, render: (_v, c) => <ClaimStateTag state={c.state} /> },
    { title: t('claims.orders'), dataIndex: 'orderCount', width: 80, align: 'right' },
    { title: t('claims.claimed'), width: 110, align: 'right', render: (_v, c) => yuan(c.claimedFen) },
    {
      title: t('claims.disallowed'),
      width: 110,
      align: 'right',
      render: (_v, c) => (c.disallowedFen ? <span className="negative">{yuan(-c.disallowedFen)}</span> : '—'),
    },
    { title: t('claims.adjustment'), width: 100, align: 'right', render: (_v, c) => (c.adjustmentFen ? yuan(c.adjustmentFen) : '—') },
    { title: t('claims.total'), width: 120, align: 'right', render: (_v, c) => <b>{yuan(c.totalFen)}</b> },
  ];

  const sums = claims.data?.sums;
  return (
    <div className="page" data-testid="claims-page">
      <Typography.Title level={4}>{t('claims.title')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 900 }}>
        {t('claims.intro')}
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <MonthFilter month={month} onChange={(m) => set('month', m)} label={t('claims.month')} testId="claims-month" />
        <Select<ClaimState | ''>
          style={{ width: 150 }}
          value={state ?? ''}
          onChange={(v) => set('state', v || undefined)}
          aria-label={t('claims.state')}
          options={[{ value: '', label: t('claims.allStates') }, ...CLAIM_STATES.map((s) => ({ value: s, label: t(`claims.states.${s}`) }))]}
          data-testid="claims-state"
        />
        <CanteenFilter
          value={canteenId}
          onChange={(v) => set('canteen', v)}
          label={t('claims.canteen')}
          allLabel={t('claims.allCanteens')}
          testId="claims-canteen"
        />
        <ExportButtons<'xlsx' | 'csv'>
          formats={['xlsx', 'csv']}
          run={(format, onProgress, signal) => settlementFiles.claims(filters, format, onProgress, signal)}
          testId="claims-export"
        />
        {inGroup(me?.role, 'claimSettings') && <PayerSettings month={month} />}
        {inGroup(me?.role, 'claimants') && (
          <Button
            type="primary"
            icon={<ThunderboltOutlined />}
            title={t('claims.generateHint')}
            loading={generate.isPending}
            onClick={() =>
              generate.mutate(
                { month, ...(canteenId ? { canteenId } : {}) },
                {
                  onSuccess: (r) => message.success(t('claims.generated', { month, generated: r.generated, skipped: r.skipped, anomalies: r.anomalies })),
                  onError: (e) => message.error(errorText(t, e)),
                },
              )
            }
            data-testid="claims-generate"
          >
            {/* The month it generates is the one chosen above (last month by default), not always the current one. */}
            {t('claims.generate', { month })}
          </Button>
        )}
      </Space>
      {claims.isError && <ErrorResult error={claims.error} onRetry={() => void claims.refetch()} />}
      {sums && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          title={t('claims.sums', {
            claimed: yuan(sums.claimedFen),
            disallowed: yuan(sums.disallowedFen),
            adjustment: yuan(sums.adjustmentFen),
            total: yuan(sums.totalFen),
          })}
          data-testid="claims-sums"
        />
      )}
      <Table<ClaimSummary>
        rowKey="id"
        size="middle"
        loading={claims.isFetching}
        columns={columns}
        dataSource={claims.data?.items ?? []}
        locale={{ emptyText: t('claims.empty') }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: claims.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t('common.total', { count: n }),
          onChange: (p) => set('page', String(p)),
        }}
        onRow={(c) => ({ 'data-testid': `claim-row-${c.id}`, 'data-state': c.state }) as HTMLAttributes<HTMLTableRowElement>}
      />
    </div>
  );
}
