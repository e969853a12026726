import { ScanOutlined } from '@ant-design/icons';
import { App, Button, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ANOMALY_KINDS, ANOMALY_STATUSES, type AnomalyKind, type AnomalyStatus } from '@yishi/shared/domain';
import { type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { settlementFiles, useAnomalies, useScanAnomalies, type Anomaly } from '../../api/settlement';
import { ExportButtons } from '../../components/ExportButtons';
import { ErrorResult } from '../../components/PageState';
import { errorText } from '../../lib/errors';
import { yuan } from '../../lib/format';
import { AnomalyStatusTag, CanteenFilter, MonthFilter, useListParams } from './common';
import { anomalyText } from './anomalyText';

const PAGE = 50;
const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined => ((list as readonly string[]).includes(v ?? '') ? (v as T) : undefined);

/** The month's anomalies for reviewers: filter, scan again, open one to explain or confirm it. */
export function AnomaliesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { params, month, canteenId, page, set } = useListParams();
  const kind = oneOf<AnomalyKind>(ANOMALY_KINDS, params.get('kind'));
  const status = oneOf<AnomalyStatus>(ANOMALY_STATUSES, params.get('status'));
  const filters = { month, ...(kind ? { kind } : {}), ...(status ? { status } : {}), ...(canteenId ? { canteenId } : {}) };
  const list = useAnomalies({ ...filters, limit: PAGE, offset: (page - 1) * PAGE });
  const scan = useScanAnomalies();

  const columns: ColumnsType<Anomaly> = [
    {
      title: t('anomalies.kind'),
      width: 190,
      render: (_v, a) => (
        <Link to={`/anomalies/${a.id}`} data-testid={`anomaly-link-${a.id}`}>
          {t(`anomalies.kinds.${a.kind}`)}
        </Link>
      ),
    },
    { title: t('anomalies.status'), width: 110, render: (_v, a) => <AnomalyStatusTag status={a.status} /> },
    { title: t('anomalies.canteen'), width: 120, dataIndex: 'canteenName' },
    { title: t('anomalies.resident'), width: 90, render: (_v, a) => a.residentName ?? '—' },
    {
      title: t('anomalies.dates'),
      width: 120,
      render: (_v, a) => (a.firstDate === a.lastDate ? a.firstDate : `${a.firstDate.slice(5)} — ${a.lastDate.slice(5)}`),
    },
    { title: t('anomalies.orders'), dataIndex: 'orderCount', width: 70, align: 'right' },
    { title: t('anomalies.amount'), width: 100, align: 'right', render: (_v, a) => yuan(a.amountFen) },
    { title: t('anomalies.explanation'), render: (_v, a) => anomalyText(t, i18n.language, a) },
  ];

  const by = list.data?.byStatus;
  return (
    <div className="page" data-testid="anomalies-page">
      <Typography.Title level={4}>{t('anomalies.title')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 900 }}>
        {t('anomalies.intro')}
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <MonthFilter month={month} onChange={(m) => set('month', m)} label={t('anomalies.month')} testId="anomalies-month" />
        <Select<string>
          style={{ width: 210 }}
          value={kind ?? ''}
          onChange={(v) => set('kind', v || undefined)}
          aria-label={t('anomalies.kind')}
          options={[{ value: '', label: t('anomalies.allKinds') }, ...ANOMALY_KINDS.map((k) => ({ value: k, label: t(`anomalies.kinds.${k}`) }))]}
          data-testid="anomalies-kind"
        />
        <Select<string>
          style={{ width: 140 }}
          value={status ?? ''}
          onChange={(v) => set('status', v || undefined)}
          aria-label={t('anomalies.status')}
          options={[{ value: '', label: t('anomalies.allStatuses') }, ...ANOMALY_STATUSES.map((s) => ({ value: s, label: t(`anomalies.statuses.${s}`) }))]}
          data-testid="anomalies-status"
        />
        <CanteenFilter
          value={canteenId}
          onChange={(v) => set('canteen', v)}
          label={t('anomalies.canteen')}
          allLabel={t('claims.allCanteens')}
          testId="anomalies-canteen"
        />
        <Button
          icon={<ScanOutlined />}
          loading={scan.isPending}
          onClick={() =>
            scan.mutate(
              { month, ...(canteenId ? { canteenId } : {}) },
              {
                onSuccess: (r) => message.success(t('anomalies.scanned', { found: r.found, created: r.created, withdrawn: r.withdrawn, ms: r.ms })),
                onError: (e) => message.error(errorText(t, e)),
              },
            )
          }
          data-testid="anomalies-scan"
        >
          {/* The month chosen above (last month by default), not always the current one. */}
          {t('anomalies.scan', { month })}
        </Button>
        <ExportButtons run={(format, onProgress, signal) => settlementFiles.anomalies(filters, format, onProgress, signal)} testId="anomalies-export" />
      </Space>
      {by && (
        <Typography.Paragraph data-testid="anomalies-counts">
          {t('anomalies.counts', { open: by.open ?? 0, explained: by.explained ?? 0, confirmed: by.confirmed ?? 0 })}
        </Typography.Paragraph>
      )}
      {list.isError && <ErrorResult error={list.error} onRetry={() => void list.refetch()} />}
      <Table<Anomaly>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('anomalies.empty') }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t('common.total', { count: n }),
          onChange: (p) => set('page', String(p)),
        }}
        onRow={(a) => ({ 'data-testid': `anomaly-row-${a.id}`, 'data-kind': a.kind, 'data-status': a.status }) as HTMLAttributes<HTMLTableRowElement>}
      />
    </div>
  );
}
