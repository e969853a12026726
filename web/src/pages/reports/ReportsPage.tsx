import { Alert, Card, Col, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { REPORT_GROUPINGS, type ReportGrouping } from '@yishi/shared/domain';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { reportsApi, useReport, type ReportFigures, type ReportRow, type SubsidyByPayer } from '../../api/reports';
import { ExportButtons } from '../../components/ExportButtons';
import { ErrorResult } from '../../components/PageState';
import { yuan } from '../../lib/format';
import { PeriodPicker, ScopePicker, useSelection } from './period';
import { usePolicyWords } from '../../lib/policyNames';

type Num = keyof ReportFigures;
const COLUMNS: { key: Num; label: string; money?: boolean }[] = [
  { key: 'meals', label: 'meals' },
  { key: 'subsidisedMeals', label: 'subsidisedMeals' },
  { key: 'deliveries', label: 'deliveries' },
  { key: 'guestMeals', label: 'guestMeals' },
  { key: 'mealValueFen', label: 'mealValue', money: true },
  { key: 'elderSubsidyFen', label: 'elderSubsidy', money: true },
  { key: 'operatorSubsidyFen', label: 'operatorSubsidy', money: true },
  { key: 'elderPaysFen', label: 'elderPays', money: true },
  { key: 'awaitingPaymentOrders', label: 'awaiting' },
  { key: 'refundedOrders', label: 'refunded' },
  { key: 'refundedFen', label: 'refundedFen', money: true },
  { key: 'cancelledOrders', label: 'cancelled' },
];

/** A group's key in words: codes are translated here, canteens and areas come named by the server. */
export function useGroupLabel() {
  const { t } = useTranslation();
  return (g: ReportGrouping, row: Pick<ReportRow, 'key' | 'label'>): string => {
    if (row.label) return row.label;
    switch (g) {
      case 'category':
        return row.key === 'ordinary' || row.key === 'guest' ? t(`reports.extraCategories.${row.key}`) : t(`categories.${row.key}`, { defaultValue: row.key });
      case 'mealPeriod':
        return t(`mealPeriods.${row.key}`, { defaultValue: row.key });
      case 'fulfilment':
        return t(`fulfilments.${row.key}`, { defaultValue: row.key });
      case 'paymentMethod':
        return t(`paymentMethods.${row.key}`, { defaultValue: row.key });
      default:
        return row.key;
    }
  };
}

export function ReportsPage() {
  const { t } = useTranslation();
  const words = usePolicyWords();
  const [sel, update, params] = useSelection();
  const groupBy = (REPORT_GROUPINGS as readonly string[]).includes(params.get('groupBy') ?? '') ? (params.get('groupBy') as ReportGrouping) : 'day';
  const query = { ...sel, groupBy };
  const report = useReport(query);
  const label = useGroupLabel();
  const data = report.data;

  const columns = useMemo<ColumnsType<ReportRow>>(
    () => [
      {
        title: t(`reports.groupHeader.${groupBy}`),
        key: 'group',
        fixed: 'left',
        width: 150,
        render: (_v, r) => label(groupBy, r),
      },
      ...COLUMNS.map((c) => ({
        title: t(`reports.columns.${c.label}`),
        key: c.key,
        align: 'right' as const,
        width: c.money ? 120 : 90,
        sorter: (a: ReportRow, b: ReportRow) => a.figures[c.key] - b.figures[c.key],
        render: (_v: unknown, r: ReportRow) => (c.money ? yuan(r.figures[c.key]) : r.figures[c.key]),
      })),
    ],
    [t, groupBy, label],
  );

  const payerColumns: ColumnsType<SubsidyByPayer> = [
    { title: t('reports.payer'), render: (_v, s) => words.payer(s.payer) },
    { title: t('reports.kind'), dataIndex: 'kind', render: (k: string) => t(`reports.kinds.${k}`) },
    { title: t('reports.amount'), dataIndex: 'amountFen', align: 'right', render: (f: number) => yuan(f) },
    { title: t('reports.orders'), dataIndex: 'orders', align: 'right' },
  ];

  if (report.isError && !data) return <ErrorResult error={report.error} onRetry={() => void report.refetch()} />;
  const totals = data?.totals.figures;

  return (
    <div className="page">
      <Typography.Title level={4}>{t('reports.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <PeriodPicker from={sel.from} to={sel.to} onChange={(from, to) => update({ from, to })} />
        <ScopePicker value={sel} onChange={(next) => update(next)} />
        <Select<ReportGrouping>
          aria-label={t('reports.groupBy')}
          data-testid="group-by"
          style={{ width: 150 }}
          value={groupBy}
          onChange={(g) => update({}, { groupBy: g })}
          options={REPORT_GROUPINGS.map((g) => ({ value: g, label: t(`reports.groupings.${g}`) }))}
        />
        <ExportButtons
          run={(format, onProgress, signal) => reportsApi.exportReport({ ...query, format }, onProgress, signal)}
          disabled={!data}
          testId="report-export"
        />
      </Space>
      {report.isError && <Alert type="error" showIcon message={t('common.loadFailed')} style={{ marginBottom: 12 }} />}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {(
          [
            ['meals', totals?.meals],
            ['subsidisedMeals', totals?.subsidisedMeals],
            ['elderSubsidy', totals ? yuan(totals.elderSubsidyFen) : undefined],
            ['operatorSubsidy', totals ? yuan(totals.operatorSubsidyFen) : undefined],
            ['elderPays', totals ? yuan(totals.elderPaysFen) : undefined],
          ] as const
        ).map(([k, v]) => (
          <Col key={k} xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic title={t(`reports.columns.${k}`)} value={v ?? '—'} loading={report.isPending} data-testid={`report-total-${k}`} />
            </Card>
          </Col>
        ))}
      </Row>
      <Table<ReportRow>
        data-testid="report-table"
        rowKey="key"
        size="small"
        loading={report.isFetching}
        columns={columns}
        dataSource={data?.rows ?? []}
        scroll={{ x: 1400 }}
        pagination={(data?.rows.length ?? 0) > 40 ? { pageSize: 40, showSizeChanger: false } : false}
        locale={{ emptyText: t('reports.empty') }}
        summary={() =>
          totals ? (
            <Table.Summary fixed>
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <strong>{t('reports.total')}</strong>
                </Table.Summary.Cell>
                {COLUMNS.map((c, i) => (
                  <Table.Summary.Cell key={c.key} index={i + 1} align="right">
                    <strong data-testid={`report-sum-${c.key}`}>{c.money ? yuan(totals[c.key]) : totals[c.key]}</strong>
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
      <Typography.Paragraph className="muted small" style={{ marginTop: 8 }}>
        {t('reports.note')}
      </Typography.Paragraph>
      <Card size="small" title={t('reports.subsidyTitle')} style={{ marginTop: 12 }}>
        <Table<SubsidyByPayer>
          data-testid="report-payers"
          rowKey={(s) => `${s.payer}|${s.kind}`}
          size="small"
          columns={payerColumns}
          dataSource={data?.totals.subsidies ?? []}
          pagination={false}
        />
      </Card>
    </div>
  );
}
