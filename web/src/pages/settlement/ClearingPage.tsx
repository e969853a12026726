import { Alert, Card, Col, DatePicker, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { settlementFiles, useClearing, type Clearing, type ClearingDistrict } from '../../api/settlement';
import { ExportButtons } from '../../components/ExportButtons';
import { ErrorResult } from '../../components/PageState';
import { nowIn, yuan } from '../../lib/format';
import { usePolicyWords } from '../../lib/policyNames';

type Figures = Clearing['total'];
type PayerRow = ClearingDistrict['byPayer'][number];

/** Days from `today` to `date` (both YYYY-MM-DD). */
const daysUntil = (today: string, date: string) => dayjs(date).diff(dayjs(today), 'day');

/** Until the city has cleared a year (31 May of the next), that year is the one people are working on. */
function defaultYear(): number {
  const today = nowIn('Asia/Shanghai').date;
  const y = Number(today.slice(0, 4));
  return today.slice(5) <= '05-31' ? y - 1 : y;
}

function Deadline({ label, date, today, testId }: { label: string; date: string; today: string; testId: string }) {
  const { t } = useTranslation();
  const left = daysUntil(today, date);
  return (
    <Space data-testid={testId}>
      <span>{t(label, { date })}</span>
      {left < 0 ? <Tag color="red">{t('clearing.overdue')}</Tag> : <Tag color={left <= 30 ? 'orange' : 'blue'}>{t('clearing.daysLeft', { n: left })}</Tag>}
    </Space>
  );
}

/**
 * The annual clearing (年度清算): a year's approved claims summed per district, what the payers have paid and still
 * owe, the claims that hold the clearing up, and the deadlines; exported for signing. The server scopes it: city staff
 * see every district, district and street staff their own.
 */
export function ClearingPage() {
  const { t } = useTranslation();
  const words = usePolicyWords();
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('year'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : defaultYear();
  const q = useClearing(year);
  const c = q.data;

  const money = (title: string, key: keyof Figures, opts: { strong?: boolean; negative?: boolean } = {}) => ({
    title,
    key,
    align: 'right' as const,
    render: (_v: unknown, r: Figures | PayerRow) => {
      const fen = r[key as keyof typeof r] as number;
      if (opts.negative) return fen ? <span className="negative">{yuan(-fen)}</span> : '—';
      return opts.strong ? <b>{yuan(fen)}</b> : yuan(fen);
    },
  });
  const moneyColumns = [
    money(t('clearing.claimed'), 'claimedFen'),
    money(t('clearing.disallowed'), 'disallowedFen', { negative: true }),
    money(t('clearing.adjustment'), 'adjustmentFen'),
    money(t('clearing.approved'), 'totalFen', { strong: true }),
    money(t('clearing.paid'), 'paidFen'),
    money(t('clearing.outstanding'), 'outstandingFen'),
  ];
  const figureColumns = [
    { title: t('clearing.claims'), dataIndex: 'claims', align: 'right' as const, width: 100 },
    { title: t('clearing.orders'), dataIndex: 'orders', align: 'right' as const, width: 100 },
    ...moneyColumns,
  ];
  const columns: ColumnsType<ClearingDistrict> = [
    { title: t('clearing.district'), dataIndex: 'name' },
    ...(figureColumns as ColumnsType<ClearingDistrict>),
    {
      title: t('clearing.open'),
      dataIndex: 'openClaims',
      align: 'right',
      width: 110,
      render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : '0'),
    },
  ];
  const payerColumns: ColumnsType<PayerRow> = [
    { title: t('clearing.payer'), render: (_v, p) => words.payer(p.payer) },
    ...(figureColumns as ColumnsType<PayerRow>),
  ];

  return (
    <div className="page" data-testid="clearing-page">
      <Typography.Title level={4}>{t('clearing.title')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 900 }}>
        {t('clearing.intro')}
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t('clearing.year')}</span>
        <DatePicker
          picker="year"
          allowClear={false}
          value={dayjs(`${year}-01-01`)}
          onChange={(d) => d && setParams({ year: String(d.year()) }, { replace: true })}
          aria-label={t('clearing.year')}
          data-testid="clearing-year"
        />
        <ExportButtons
          run={(format, onProgress, signal) => settlementFiles.clearing(year, format, onProgress, signal)}
          disabled={!c}
          testId="clearing-export"
        />
      </Space>
      {q.isError && <ErrorResult error={q.error} onRetry={() => void q.refetch()} />}
      {c && (
        <>
          <Card size="small" title={t('clearing.deadlines')} style={{ marginBottom: 12 }}>
            <Space orientation="vertical">
              <Deadline label="clearing.districtDeadline" date={c.districtReportBy} today={c.today} testId="clearing-district-deadline" />
              <Deadline label="clearing.cityDeadline" date={c.cityClearingBy} today={c.today} testId="clearing-city-deadline" />
            </Space>
          </Card>
          {c.total.openClaims > 0 && (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('clearing.openHint', { n: c.total.openClaims })} data-testid="clearing-open" />
          )}
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            {(
              [
                ['claims', String(c.total.claims)],
                ['approved', yuan(c.total.totalFen)],
                ['paid', yuan(c.total.paidFen)],
                ['outstanding', yuan(c.total.outstandingFen)],
              ] as const
            ).map(([k, value]) => (
              <Col key={k} xs={12} md={6}>
                <Card size="small">
                  <Statistic title={t(`clearing.${k}`)} value={value} data-testid={`clearing-total-${k}`} />
                </Card>
              </Col>
            ))}
          </Row>
          <Table<ClearingDistrict>
            rowKey="code"
            size="middle"
            loading={q.isFetching}
            columns={columns}
            dataSource={c.districts}
            pagination={false}
            locale={{ emptyText: t('clearing.none') }}
            expandable={{
              rowExpandable: (d) => d.byPayer.length > 0,
              expandedRowRender: (d) => (
                <Table<PayerRow>
                  rowKey="payer"
                  size="small"
                  columns={payerColumns}
                  dataSource={d.byPayer}
                  pagination={false}
                  title={() => t('clearing.byPayer')}
                  onRow={(p) => ({ 'data-testid': `clearing-payer-${d.code}-${p.payer}` }) as HTMLAttributes<HTMLTableRowElement>}
                />
              ),
            }}
            onRow={(d) => ({ 'data-testid': `clearing-row-${d.code}` }) as HTMLAttributes<HTMLTableRowElement>}
            summary={() =>
              c.districts.length > 1 ? (
                <Table.Summary.Row data-testid="clearing-total">
                  <Table.Summary.Cell index={0} />
                  <Table.Summary.Cell index={1}>
                    <b>{t('clearing.total')}</b>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    {c.total.claims}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    {c.total.orders}
                  </Table.Summary.Cell>
                  {/* Each total written as its column writes the districts' figures (核减 as -¥, as taken off). */}
                  {moneyColumns.map((col, i) => (
                    <Table.Summary.Cell key={col.key} index={4 + i} align="right">
                      {col.render(undefined, c.total)}
                    </Table.Summary.Cell>
                  ))}
                  <Table.Summary.Cell index={10} align="right">
                    {c.total.openClaims}
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              ) : null
            }
          />
        </>
      )}
    </div>
  );
}
