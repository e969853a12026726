import { ExperimentOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { formatYuan } from '@yishi/shared/money';
import { Alert, Button, Card, Col, DatePicker, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { policyApi, type SimulationResult } from '../../api/policy';
import { errorText } from '../../lib/errors';
import { serverNow } from '../../lib/serverClock';

const DayChart = lazy(() => import('./DayChart').then((m) => ({ default: m.DayChart })));

type PayerRow = SimulationResult['byPayer'][number];
type CategoryRow = SimulationResult['byCategory'][number];

/** The server clock's month in China, and the one before it (the last full month, the default). */
function months(): { current: Dayjs; previous: Dayjs } {
  const now = new Date(serverNow());
  const ym = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(now).slice(0, 7);
  const current = dayjs(`${ym}-01`);
  return { current, previous: current.subtract(1, 'month') };
}

function Change({ fen, invert = false }: { fen: number; invert?: boolean }) {
  // For subsidies more is shown plainly; for what elders pay, more is the warning colour.
  const cls = fen === 0 ? 'muted' : fen > 0 !== invert ? 'positive' : 'negative';
  return <span className={cls}>{fen > 0 ? `+${formatYuan(fen)}` : formatYuan(fen)}</span>;
}

export function PolicySimulation({ versionId, disabledReason }: { versionId: string; disabledReason?: string }) {
  const { t } = useTranslation();
  const { current, previous } = useMemo(months, []);
  const [month, setMonth] = useState<Dayjs>(previous);
  const sim = useMutation({ mutationFn: (m: string) => policyApi.simulate(versionId, m) });
  const r = sim.data;

  const categoryLabel = (c: string) =>
    c === 'none' ? t('policy.simulation.noneCategory') : c === 'guest' ? t('policy.simulation.guest') : t(`categories.${c}`, { defaultValue: c });

  const payerColumns: ColumnsType<PayerRow> = [
    { title: t('policy.simulation.payer'), dataIndex: 'payer' },
    { title: t('policy.simulation.kind'), dataIndex: 'kind', width: 110, render: (k: string) => <Tag>{t(`policy.kinds.${k}`, { defaultValue: k })}</Tag> },
    { title: t('policy.simulation.baseline'), align: 'right', width: 130, render: (_v, p) => formatYuan(p.baselineFen) },
    { title: t('policy.simulation.simulated'), align: 'right', width: 130, render: (_v, p) => formatYuan(p.simulatedFen) },
    { title: t('policy.simulation.change'), align: 'right', width: 130, render: (_v, p) => <Change fen={p.simulatedFen - p.baselineFen} /> },
  ];
  const categoryColumns: ColumnsType<CategoryRow> = [
    { title: t('policy.simulation.category'), dataIndex: 'category', render: (c: string) => categoryLabel(c) },
    { title: t('policy.simulation.categoryOrders'), dataIndex: 'orders', align: 'right', width: 90 },
    { title: t('policy.simulation.baseline'), align: 'right', width: 120, render: (_v, c) => formatYuan(c.baselineSubsidyFen) },
    { title: t('policy.simulation.simulated'), align: 'right', width: 120, render: (_v, c) => formatYuan(c.simulatedSubsidyFen) },
    { title: t('policy.simulation.change'), align: 'right', width: 120, render: (_v, c) => <Change fen={c.simulatedSubsidyFen - c.baselineSubsidyFen} /> },
    { title: t('policy.simulation.elderPaysChange'), align: 'right', width: 130, render: (_v, c) => <Change fen={c.elderPaysChangeFen} invert /> },
  ];

  const chart = useMemo(() => {
    if (!r) return null;
    return {
      days: r.byDay.map((d) => d.date),
      series: [
        { name: t('policy.simulation.baseline'), data: r.byDay.map((d) => d.baselineSubsidyFen), color: '#8c8c8c', dashed: true },
        { name: t('policy.simulation.simulated'), data: r.byDay.map((d) => d.simulatedSubsidyFen), color: '#b4531d' },
      ],
    };
  }, [r, t]);

  const elderChange = r ? r.simulated.elderPaysFen - r.baseline.elderPaysFen : 0;
  const subsidyBase = r ? r.baseline.elderSubsidyFen + r.baseline.operatorSubsidyFen : 0;
  const subsidySim = r ? r.simulated.elderSubsidyFen + r.simulated.operatorSubsidyFen : 0;

  return (
    <Card
      size="small"
      title={
        <Space>
          <ExperimentOutlined />
          {t('policy.simulation.title')}
          <Tag color="blue">{t('policy.simulation.notice')}</Tag>
        </Space>
      }
    >
      <Alert type="info" showIcon title={t('policy.simulation.notice')} description={t('policy.simulation.intro')} style={{ marginBottom: 12 }} />
      <Space wrap>
        <span>{t('policy.simulation.month')}</span>
        <DatePicker
          picker="month"
          allowClear={false}
          value={month}
          format="YYYY-MM"
          onChange={(d) => d && setMonth(d)}
          disabledDate={(d) => d.isAfter(current, 'month')}
          data-testid="policy-simulate-month"
        />
        <Button
          type="primary"
          icon={<ExperimentOutlined />}
          loading={sim.isPending}
          disabled={!!disabledReason}
          onClick={() => sim.mutate(month.format('YYYY-MM'))}
          data-testid="policy-simulate"
        >
          {t('policy.simulation.run')}
        </Button>
        {disabledReason && <span className="muted small">{disabledReason}</span>}
      </Space>
      {sim.isError && <Alert type="error" showIcon title={errorText(t, sim.error)} style={{ marginTop: 12 }} />}
      {r && (
        <div data-testid="policy-simulation" data-month={r.month} className="section">
          <Typography.Title level={5} style={{ marginTop: 8 }}>
            {t('policy.simulation.resultTitle', { month: r.month })}
          </Typography.Title>
          {r.orders === 0 ? (
            <Alert type="warning" showIcon title={t('policy.simulation.noOrders')} />
          ) : (
            <>
              <Row gutter={[12, 12]}>
                <Col xs={12} md={8} xl={4}>
                  <Card size="small">
                    <Statistic title={t('policy.simulation.orders')} value={r.orders} />
                  </Card>
                </Col>
                <Col xs={12} md={8} xl={4}>
                  <Card size="small">
                    <Statistic title={t('policy.simulation.residents')} value={r.residents} />
                  </Card>
                </Col>
                <Col xs={24} md={8} xl={6}>
                  <Card size="small">
                    <Statistic
                      title={t('policy.simulation.subsidyTotal')}
                      value={formatYuan(subsidySim)}
                      suffix={
                        <span className="small">
                          {' '}
                          (<Change fen={subsidySim - subsidyBase} />)
                        </span>
                      }
                    />
                  </Card>
                </Col>
                <Col xs={24} md={12} xl={6}>
                  <Card size="small" data-testid="policy-simulation-elder">
                    <Statistic
                      title={t('policy.simulation.elderChange')}
                      value={elderChange > 0 ? `+${formatYuan(elderChange)}` : formatYuan(elderChange)}
                      styles={{ content: { color: elderChange > 0 ? 'var(--danger)' : elderChange < 0 ? 'var(--ok)' : undefined } }}
                    />
                    <div className="small muted">
                      {elderChange > 0
                        ? t('policy.simulation.elderMore', { amount: formatYuan(elderChange) })
                        : elderChange < 0
                          ? t('policy.simulation.elderLess', { amount: formatYuan(-elderChange) })
                          : t('policy.simulation.elderSame')}
                    </div>
                  </Card>
                </Col>
                <Col xs={24} md={12} xl={4}>
                  <Card size="small">
                    <div className="small muted">{t('policy.simulation.more')}</div>
                    <div className="big-amount negative" data-testid="policy-simulation-more">
                      {t('policy.simulation.people', { count: r.eldersPayingMore })}
                    </div>
                    <div className="small muted">{t('policy.simulation.less')}</div>
                    <div className="big-amount positive" data-testid="policy-simulation-less">
                      {t('policy.simulation.people', { count: r.eldersPayingLess })}
                    </div>
                  </Card>
                </Col>
              </Row>
              <Card size="small" title={t('policy.simulation.byDay')} className="section" styles={{ body: { padding: 8 } }}>
                <Suspense fallback={<div style={{ height: 260 }} />}>{chart && <DayChart days={chart.days} series={chart.series} />}</Suspense>
              </Card>
              <Row gutter={[12, 12]} className="section">
                <Col span={24}>
                  <Card size="small" title={t('policy.simulation.byPayer')}>
                    <Table<PayerRow>
                      rowKey={(p) => `${p.payer}|${p.kind}`}
                      size="small"
                      pagination={false}
                      columns={payerColumns}
                      dataSource={r.byPayer}
                      data-testid="policy-simulation-payers"
                    />
                  </Card>
                </Col>
                <Col span={24}>
                  <Card size="small" title={t('policy.simulation.byCategory')}>
                    <Table<CategoryRow>
                      rowKey="category"
                      size="small"
                      pagination={false}
                      columns={categoryColumns}
                      dataSource={r.byCategory}
                      data-testid="policy-simulation-categories"
                    />
                  </Card>
                </Col>
              </Row>
            </>
          )}
        </div>
      )}
    </Card>
  );
}
