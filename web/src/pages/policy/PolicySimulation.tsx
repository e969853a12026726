import { DownloadOutlined, ExperimentOutlined } from '@ant-design/icons';

import { formatYuan } from '@yishi/shared/money';
import { reasonText } from '@yishi/shared/policy';
import { Alert, Button, Card, Col, DatePicker, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { policyApi, simulationWorkbookUrl, type PolicyVersionSummary, type SimulationResult } from '../../api/policy';
import { errorText } from '../../lib/errors';
import { serverNow } from '../../lib/serverClock';
import { useAction } from '../../api/action';
import { usePolicyWords } from '../../lib/policyNames';

const DayChart = lazy(() => import('./DayChart').then((m) => ({ default: m.DayChart })));

type Draft = SimulationResult['drafts'][number];
type Person = Draft['payingMore'][number];
type FactsRow = SimulationResult['factsChanged']['list'][number];

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

const COLORS = ['#b4531d', '#2f6f4f'];

/** Who pays more (or less) under a draft, and why: the layers that changed, with the reason in the elder's words. */
function PeopleTable({ people, total, testId }: { people: Person[]; total: number; testId: string }) {
  const { t, i18n } = useTranslation();
  const words = usePolicyWords();
  const lang = i18n.language.startsWith('en') ? 'en' : 'zh';
  const columns: ColumnsType<Person> = [
    {
      title: t('policy.simulation.person'),
      render: (_v, p) => (
        <span>
          <b>{p.name}</b> {p.idMasked && <span className="muted small mono">{p.idMasked.slice(-8)}</span>}
        </span>
      ),
    },
    {
      title: t('policy.simulation.category'),
      width: 110,
      render: (_v, p) =>
        p.category ? t(`policy.simulation.categories.${p.category}`, { defaultValue: t(`categories.${p.category}`, { defaultValue: p.category }) }) : '—',
    },
    { title: t('policy.simulation.ordersAffected'), dataIndex: 'orders', width: 90, align: 'right' },
    { title: t('policy.simulation.monthChange'), width: 120, align: 'right', render: (_v, p) => <Change fen={p.changeFen} invert /> },
    {
      title: t('policy.simulation.why'),
      render: (_v, p) =>
        p.layers.map((l) => (
          <div key={l.layerName} className="small">
            {t('policy.simulation.layerChange', {
              layer: words.layer(l.layerName),
              from: formatYuan(l.publishedFen),
              to: formatYuan(l.simulatedFen),
              reason: reasonText(l.simulatedReason, lang),
            })}
          </div>
        )),
    },
  ];
  return (
    <>
      <Table<Person>
        rowKey="residentId"
        size="small"
        columns={columns}
        dataSource={people}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        data-testid={testId}
      />
      {total > people.length && <div className="small muted">{t('policy.simulation.listCut', { shown: people.length, total })}</div>}
    </>
  );
}

/** Orders whose stored figures differ from pricing them again now: facts recorded later, or a version published since. */
function FactsTable({ r }: { r: SimulationResult }) {
  const { t, i18n } = useTranslation();
  const words = usePolicyWords();
  const lang = i18n.language.startsWith('en') ? 'en' : 'zh';
  const f = r.factsChanged;
  const columns: ColumnsType<FactsRow> = [
    {
      title: t('policy.simulation.date'),
      width: 120,
      render: (_v, x) => `${x.serviceDate} ${t(`mealPeriods.${x.mealPeriod}`, { defaultValue: x.mealPeriod })}`,
    },
    { title: t('policy.simulation.canteen'), dataIndex: 'canteenName' },
    { title: t('policy.simulation.person'), render: (_v, x) => x.name ?? t('policy.simulation.guest') },
    {
      title: t('policy.simulation.cause'),
      render: (_v, x) => (
        <div className="small">
          <div>
            {x.cause === 'version'
              ? t('policy.simulation.causeVersion')
              : x.status && x.status !== 'active'
                ? t('policy.simulation.causeStatus', { status: t(`residentStatus.${x.status}`, { defaultValue: x.status }), since: x.statusSince ?? '' })
                : t('policy.simulation.causeFacts')}
          </div>
          {[...new Set(x.layers.map((l) => l.reason))].map((reason) => (
            <div key={reason} className="muted">
              {x.layers
                .filter((l) => l.reason === reason)
                .map((l) => words.layer(l.layerName))
                .join(t('common.listSep'))}
              {lang === 'en' ? ': ' : '：'}
              {reasonText(reason, lang)}
            </div>
          ))}
        </div>
      ),
    },
    { title: t('policy.simulation.storedSubsidy'), width: 140, align: 'right', render: (_v, x) => formatYuan(x.storedSubsidyFen) },
    { title: t('policy.simulation.nowSubsidy'), width: 140, align: 'right', render: (_v, x) => formatYuan(x.publishedSubsidyFen) },
  ];
  return (
    <Card size="small" className="section" title={t('policy.simulation.factsTitle')} data-testid="policy-simulation-facts" data-orders={f.orders}>
      {f.orders === 0 ? (
        <Typography.Text type="secondary">{t('policy.simulation.factsNone')}</Typography.Text>
      ) : (
        <>
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 8 }}
            title={t('policy.simulation.factsSummary', { orders: f.orders, residents: f.residents, subsidy: formatYuan(-f.subsidyChangeFen) })}
          />
          <Table<FactsRow> rowKey="orderId" size="small" columns={columns} dataSource={f.list} pagination={{ pageSize: 10, hideOnSinglePage: true }} />
        </>
      )}
    </Card>
  );
}

/**
 * What-if: the month's real orders priced again with this version (and another draft, side by side) in place of
 * the one in force, each against the published policies; who would pay more and why; what changed since the orders
 * were priced, apart; a year at this month's rate; the whole simulation as an Excel workbook.
 */
export function PolicySimulation({ versionId, all, disabledReason }: { versionId: string; all: PolicyVersionSummary[]; disabledReason?: string | undefined }) {
  const { t } = useTranslation();
  const words = usePolicyWords();
  const { current, previous } = useMemo(months, []);
  const [month, setMonth] = useState<Dayjs>(previous);
  const [compareWith, setCompareWith] = useState<string | undefined>(undefined);
  const sim = useAction({ mutationFn: ({ m, other }: { m: string; other: string | undefined }) => policyApi.simulate(versionId, m, other) });
  const r = sim.data;
  const drafts = all.filter((v) => v.status === 'draft' && v.id !== versionId);
  const draftLabel = (d: Draft, i: number) =>
    `${r && r.drafts.length > 1 ? `${i === 0 ? 'A' : 'B'} · ` : ''}${d.name} ${t('policy.versionN', { n: d.version })}`;

  const chart = useMemo(() => {
    if (!r) return null;
    const days = r.drafts[0]!.byDay.map((d) => d.date);
    return {
      days,
      series: [
        { name: t('policy.simulation.published'), data: r.drafts[0]!.byDay.map((d) => d.publishedSubsidyFen), color: '#8c8c8c', dashed: true },
        ...r.drafts.map((d, i) => ({ name: draftLabel(d, i), data: d.byDay.map((x) => x.simulatedSubsidyFen), color: COLORS[i] ?? '#555' })),
      ],
    };
  }, [r, t]);

  const payerRows = useMemo(() => {
    if (!r) return [];
    const rows = new Map<
      string,
      { key: string; payer: string; kind: string; storedFen: number; publishedFen: number; yearPublishedFen: number; sims: { month: number; year: number }[] }
    >();
    r.drafts.forEach((d, i) => {
      for (const p of d.byPayer) {
        const key = `${p.payer}|${p.kind}`;
        const row = rows.get(key) ?? {
          key,
          payer: p.payer,
          kind: p.kind,
          storedFen: p.storedFen,
          publishedFen: p.publishedFen,
          yearPublishedFen: p.yearPublishedFen,
          sims: r.drafts.map(() => ({ month: 0, year: 0 })),
        };
        row.sims[i] = { month: p.simulatedFen, year: p.yearSimulatedFen };
        rows.set(key, row);
      }
    });
    return [...rows.values()];
  }, [r]);
  type PayerRow = (typeof payerRows)[number];
  const payerColumns: ColumnsType<PayerRow> = r
    ? [
        { title: t('policy.simulation.payer'), render: (_v, p) => words.payer(p.payer) },
        { title: t('policy.simulation.kind'), dataIndex: 'kind', width: 100, render: (k: string) => <Tag>{t(`policy.kinds.${k}`, { defaultValue: k })}</Tag> },
        { title: t('policy.simulation.stored'), align: 'right', width: 110, render: (_v, p) => formatYuan(p.storedFen) },
        { title: t('policy.simulation.publishedMonth'), align: 'right', width: 120, render: (_v, p) => formatYuan(p.publishedFen) },
        ...r.drafts.flatMap((d, i) => [
          {
            title: `${r.drafts.length > 1 ? `${i === 0 ? 'A' : 'B'} · ` : ''}${t('policy.simulation.draftMonth')}`,
            align: 'right' as const,
            width: 150,
            render: (_v: unknown, p: PayerRow) => (
              <span>
                {formatYuan(p.sims[i]!.month)} (<Change fen={p.sims[i]!.month - p.publishedFen} />)
              </span>
            ),
          },
          {
            title: `${r.drafts.length > 1 ? `${i === 0 ? 'A' : 'B'} · ` : ''}${t('policy.simulation.draftYear')}`,
            align: 'right' as const,
            width: 140,
            render: (_v: unknown, p: PayerRow) => <span data-testid={`year-${i}-${p.key}`}>{formatYuan(p.sims[i]!.year)}</span>,
          },
        ]),
      ]
    : [];

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
        <label htmlFor="policy-simulate-month">{t('policy.simulation.month')}</label>
        <DatePicker
          id="policy-simulate-month"
          picker="month"
          allowClear={false}
          value={month}
          format="YYYY-MM"
          onChange={(d) => d && setMonth(d)}
          disabledDate={(d) => d.isAfter(current, 'month')}
          data-testid="policy-simulate-month"
        />
        {drafts.length > 0 ? (
          <>
            <label htmlFor="policy-simulate-compare">{t('policy.simulation.compareWith')}</label>
            <Select
              id="policy-simulate-compare"
              allowClear
              style={{ width: 320 }}
              placeholder={t('policy.simulation.compareNone')}
              value={compareWith}
              onChange={(v: string | undefined) => setCompareWith(v)}
              options={drafts.map((v) => ({ value: v.id, label: `${v.name} ${t('policy.versionN', { n: v.version })}` }))}
              data-testid="policy-simulate-compare"
            />
          </>
        ) : (
          <span className="small muted" data-testid="policy-simulate-compare-none">
            {t('policy.simulation.compareNoDrafts')}
          </span>
        )}
        <Button
          type="primary"
          icon={<ExperimentOutlined />}
          loading={sim.isPending}
          disabled={!!disabledReason}
          onClick={() => sim.mutate({ m: month.format('YYYY-MM'), other: compareWith })}
          data-testid="policy-simulate"
        >
          {t('policy.simulation.run')}
        </Button>
        {r && (
          <Button icon={<DownloadOutlined />} href={simulationWorkbookUrl(versionId, r.month, r.drafts[1]?.versionId)} data-testid="policy-simulation-export">
            {t('policy.simulation.export')}
          </Button>
        )}
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
                <Col xs={12} md={6} xl={4}>
                  <Card size="small">
                    <Statistic title={t('policy.simulation.orders')} value={r.orders} />
                    <div className="small muted">{t('policy.simulation.residentsN', { n: r.residents })}</div>
                  </Card>
                </Col>
                <Col xs={12} md={6} xl={4}>
                  <Card size="small">
                    <Statistic title={t('policy.simulation.publishedTotal')} value={formatYuan(r.published.elderSubsidyFen + r.published.operatorSubsidyFen)} />
                    <div className="small muted">{t('policy.simulation.publishedHint')}</div>
                  </Card>
                </Col>
                {r.drafts.map((d, i) => {
                  const change = d.totals.elderPaysFen - r.published.elderPaysFen;
                  const subsidy = d.totals.elderSubsidyFen + d.totals.operatorSubsidyFen;
                  return (
                    <Col xs={24} md={12} xl={r.drafts.length > 1 ? 8 : 16} key={d.versionId}>
                      <Card
                        size="small"
                        title={draftLabel(d, i)}
                        className={`policy-sim-draft${r.drafts.length > 1 ? ' two' : ''}`}
                        data-testid={`policy-simulation-draft-${i}`}
                      >
                        <Row gutter={12}>
                          <Col span={8}>
                            <Statistic
                              title={t('policy.simulation.subsidyTotal')}
                              value={formatYuan(subsidy)}
                              suffix={
                                <span className="small">
                                  {' '}
                                  (<Change fen={subsidy - r.published.elderSubsidyFen - r.published.operatorSubsidyFen} />)
                                </span>
                              }
                            />
                          </Col>
                          <Col span={8}>
                            <div className="small muted">{t('policy.simulation.elderChange')}</div>
                            <div className="big-amount" data-testid={i === 0 ? 'policy-simulation-elder' : undefined}>
                              <Change fen={change} invert />
                            </div>
                          </Col>
                          <Col span={8}>
                            <div className="small muted">{t('policy.simulation.more')}</div>
                            <div className="big-amount negative" data-testid={i === 0 ? 'policy-simulation-more' : `policy-simulation-more-${i}`}>
                              {t('policy.simulation.people', { count: d.eldersPayingMore })}
                            </div>
                            <div className="small muted">{t('policy.simulation.less')}</div>
                            <div className="big-amount positive" data-testid={i === 0 ? 'policy-simulation-less' : `policy-simulation-less-${i}`}>
                              {t('policy.simulation.people', { count: d.eldersPayingLess })}
                            </div>
                          </Col>
                        </Row>
                      </Card>
                    </Col>
                  );
                })}
              </Row>
              <Card size="small" title={t('policy.simulation.byDay')} className="section" styles={{ body: { padding: 8 } }}>
                <Suspense fallback={<div style={{ height: 260 }} />}>{chart && <DayChart days={chart.days} series={chart.series} />}</Suspense>
              </Card>
              <Card
                size="small"
                className="section"
                title={t('policy.simulation.byPayer')}
                extra={<span className="small muted">{t('policy.simulation.yearHint')}</span>}
              >
                <Table<PayerRow>
                  rowKey="key"
                  size="small"
                  pagination={false}
                  columns={payerColumns}
                  dataSource={payerRows}
                  scroll={{ x: true }}
                  data-testid="policy-simulation-payers"
                />
              </Card>
              <Card size="small" className="section" title={t('policy.simulation.peopleTitle')}>
                <Tabs
                  key={`${r.month}-${r.drafts.map((d) => d.versionId).join('-')}`}
                  defaultActiveKey={r.drafts[0]!.eldersPayingMore === 0 && r.drafts[0]!.eldersPayingLess > 0 ? 'less-0' : 'more-0'}
                  items={r.drafts.flatMap((d, i) => [
                    {
                      key: `more-${i}`,
                      label: `${r.drafts.length > 1 ? `${i === 0 ? 'A' : 'B'} · ` : ''}${t('policy.simulation.payMoreTab', { n: d.eldersPayingMore })}`,
                      children: <PeopleTable people={d.payingMore} total={d.eldersPayingMore} testId={`policy-simulation-paying-more-${i}`} />,
                    },
                    {
                      key: `less-${i}`,
                      label: `${r.drafts.length > 1 ? `${i === 0 ? 'A' : 'B'} · ` : ''}${t('policy.simulation.payLessTab', { n: d.eldersPayingLess })}`,
                      children: <PeopleTable people={d.payingLess} total={d.eldersPayingLess} testId={`policy-simulation-paying-less-${i}`} />,
                    },
                  ])}
                />
              </Card>
              <FactsTable r={r} />
            </>
          )}
        </div>
      )}
    </Card>
  );
}
