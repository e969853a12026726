import { InfoCircleOutlined } from '@ant-design/icons';
import { Breadcrumb, Card, Col, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { reportsApi, useIndicators, type IndicatorFigures, type IndicatorNode, type Indicators } from '../../api/reports';
import { ChartCard } from '../../components/ChartCard';
import { ExportButtons } from '../../components/ExportButtons';
import { ErrorResult } from '../../components/PageState';
import { nowIn } from '../../lib/format';
import { PeriodPicker, ScopePicker, useSelection, type Selection } from './period';

/** 0.8333 → '83.3%'; no figure to divide by → '—'. */
export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

const KPIS = ['meals', 'subsidisedMeals', 'coverage', 'selfPaying', 'deliveries', 'satisfaction', 'foodSamples', 'menuUpdates', 'compliance'] as const;
type Kpi = (typeof KPIS)[number];

const COLOURS = { meals: '#b4531d', subsidised: '#2f6f62', satisfied: '#2f6f62', neutral: '#b58a00', unsatisfied: '#a8071a', rate: '#1d5f9a' };

function ratingCount(f: IndicatorFigures) {
  return f.satisfaction.satisfied + f.satisfaction.neutral + f.satisfaction.unsatisfied;
}

function KpiCard({ k, f }: { k: Kpi; f: IndicatorFigures }) {
  const { t } = useTranslation();
  const main: Record<Kpi, string | number> = {
    meals: f.meals,
    subsidisedMeals: f.subsidisedMeals,
    coverage: pct(f.rates.coverage),
    selfPaying: f.selfPayingMeals,
    deliveries: f.deliveries,
    satisfaction: pct(f.rates.satisfaction),
    foodSamples: pct(f.rates.foodSamples),
    menuUpdates: pct(f.rates.menuUpdates),
    compliance: pct(f.rates.compliance),
  };
  const sub: Record<Kpi, string> = {
    meals: t('indicators.canteenCount', { n: f.canteens }),
    subsidisedMeals: t('indicators.values.share', { pct: pct(f.rates.subsidised) }),
    coverage: t('indicators.values.people', { served: f.needy.served, registered: f.needy.registered }),
    selfPaying: t('indicators.values.share', { pct: pct(f.rates.selfPaying) }),
    deliveries: '',
    satisfaction: t('indicators.values.ratings', { n: ratingCount(f) }),
    foodSamples: t('indicators.values.days', { n: f.foodSamples.sampledDays, total: f.foodSamples.servedDays }),
    menuUpdates: t('indicators.values.weeks', { n: f.menus.updatedWeeks, total: f.menus.weeks }),
    compliance:
      t('indicators.values.days', { n: f.serving.servedDays, total: f.serving.workingDays }) +
      (f.serving.suspendedDays ? ` · ${t('indicators.values.suspended', { n: f.serving.suspendedDays })}` : ''),
  };
  const def = t(`indicators.def.${k}`);
  return (
    <Card size="small" data-testid={`kpi-${k}`}>
      <Statistic
        title={
          <Space size={4}>
            {t(`indicators.kpi.${k}`)}
            <Tooltip title={def}>
              <InfoCircleOutlined tabIndex={0} role="img" aria-label={def} data-testid={`kpi-${k}-help`} />
            </Tooltip>
          </Space>
        }
        value={main[k]}
      />
      <div className="muted small">{sub[k] || '\u00a0'}</div>
    </Card>
  );
}

/** The nodes the per-area charts show: one level down, or the scope itself when there is nothing below it. */
function chartNodes(x: Indicators): { code: string; name: string; figures: IndicatorFigures }[] {
  if (x.children.length) return x.children;
  return [{ code: x.scope.code ?? 'scope', name: x.scope.name, figures: x.figures }];
}

export function IndicatorsPage() {
  const { t } = useTranslation();
  const [sel, update] = useSelection();
  const q = useIndicators(sel);
  const x = q.data;

  const drill = (n: Pick<IndicatorNode, 'kind' | 'code'>) =>
    update(n.kind === 'canteen' ? { canteenId: n.code, areaCode: undefined } : { areaCode: n.code, canteenId: undefined });
  const nodeColumns = useNodeColumns(drill);

  if (q.isError && !x) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;

  return (
    <div className="page">
      <Typography.Title level={4}>{t('indicators.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 8 }}>
        <PeriodPicker from={sel.from} to={sel.to} onChange={(from, to) => update({ from, to })} />
        <ScopePicker value={sel} onChange={(next) => update(next)} />
        <ExportButtons
          run={(format, onProgress, signal) => reportsApi.exportIndicators({ ...sel, format }, onProgress, signal)}
          disabled={!x}
          testId="indicators-export"
        />
      </Space>
      {x && <Crumbs x={x} update={update} />}
      {x && (
        <>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }} data-testid="kpis">
            {KPIS.map((k) => (
              <Col key={k} xs={12} md={8}>
                <KpiCard k={k} f={x.figures} />
              </Col>
            ))}
          </Row>
          <Charts x={x} />
          {x.children.length > 0 && (
            <Card
              size="small"
              title={t('indicators.rollup')}
              extra={<span className="muted small">{t('indicators.drillHint')}</span>}
              style={{ marginTop: 12 }}
            >
              <Table<IndicatorNode>
                data-testid="rollup-table"
                rowKey="code"
                size="small"
                columns={nodeColumns.filter((c) => !['district', 'street', 'status'].includes(String(c.key)))}
                dataSource={x.children}
                pagination={false}
                scroll={{ x: 1200 }}
              />
            </Card>
          )}
          {x.scope.kind !== 'canteen' && (
            <Card size="small" title={t('indicators.comparison')} style={{ marginTop: 12 }}>
              <Table<IndicatorNode>
                data-testid="comparison-table"
                rowKey="code"
                size="small"
                columns={nodeColumns.filter((c) => c.key !== 'canteens')}
                dataSource={x.canteens}
                pagination={x.canteens.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                scroll={{ x: 1400 }}
              />
            </Card>
          )}
        </>
      )}
      {!x && <Card loading />}
    </div>
  );
}

function Crumbs({ x, update }: { x: Indicators; update: (next: Partial<Selection>) => void }) {
  const { t } = useTranslation();
  const items: { key: string; title: ReactNode }[] = x.path.map((p, i) => {
    const last = i === x.path.length - 1 && x.scope.kind === 'area';
    return {
      key: p.code,
      title: last ? (
        <span data-testid={`crumb-${p.code}`}>{p.name}</span>
      ) : (
        <Typography.Link data-testid={`crumb-${p.code}`} onClick={() => update({ areaCode: p.code, canteenId: undefined })}>
          {p.name}
        </Typography.Link>
      ),
    };
  });
  if (x.scope.kind === 'canteen') items.push({ key: 'canteen', title: <span data-testid="crumb-canteen">{x.scope.name}</span> });
  if (x.scope.kind === 'canteens') items.push({ key: 'mine', title: <span>{t('reports.myCanteens')}</span> });
  if (x.scope.kind === 'area' && x.scope.code === null) items.push({ key: 'all', title: <span>{t('reports.everything')}</span> });
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'baseline', marginBottom: 12 }}>
      <Breadcrumb items={items} data-testid="indicators-path" />
      <span className="muted small">
        {x.from} — {x.to} · {t('indicators.servedUpTo', { date: x.servedUpTo })}
      </span>
    </div>
  );
}

function Charts({ x }: { x: Indicators }) {
  const { t } = useTranslation();
  const catName = (c: string) => (c === 'ordinary' || c === 'guest' ? t(`reports.extraCategories.${c}`) : t(`categories.${c}`, { defaultValue: c }));
  const nodes = chartNodes(x);
  // Days still to come have no meals yet: the lines stop at today instead of falling to zero.
  const today = nowIn('Asia/Shanghai').date;
  const upToToday = (v: number, date: string) => (date > today ? null : v);
  const names = nodes.map((n) => n.name);
  const maxDay = x.daily.reduce((a, d) => Math.max(a, d.meals), 0);
  const topCat = [...x.figures.byCategory].sort((a, b) => b.subsidisedMeals - a.subsidisedMeals)[0];
  const rateItems = (get: (f: IndicatorFigures) => number | null) => nodes.map((n) => `${n.name} ${pct(get(n.figures))}`).join(t('common.listSep'));
  const percentAxis = { type: 'value' as const, min: 0, max: 100, axisLabel: { formatter: '{value}%' } };
  const asPct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
  const rateColumns = (
    label: string,
    get: (f: IndicatorFigures) => number | null,
    detail: (f: IndicatorFigures) => string,
  ): ColumnsType<(typeof nodes)[number]> => [
    { title: t('indicators.columns.name'), dataIndex: 'name' },
    { title: label, key: 'detail', align: 'right', render: (_v, n) => detail(n.figures) },
    { title: t('indicators.value'), key: 'rate', align: 'right', render: (_v, n) => pct(get(n.figures)) },
  ];
  const xAxis = { type: 'category' as const, data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } };

  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} xl={12}>
        <ChartCard
          testId="chart-daily"
          title={t('indicators.charts.daily')}
          summary={t('indicators.charts.dailySummary', { from: x.from, to: x.to, meals: x.figures.meals, subsidised: x.figures.subsidisedMeals, max: maxDay })}
          option={{
            grid: { left: 44, right: 16, top: 32, bottom: 28 },
            tooltip: { trigger: 'axis' },
            legend: { top: 0, right: 0 },
            xAxis: { type: 'category', data: x.daily.map((d) => d.date.slice(5)) },
            yAxis: { type: 'value', minInterval: 1 },
            series: [
              {
                type: 'line',
                name: t('indicators.kpi.meals'),
                data: x.daily.map((d) => upToToday(d.meals, d.date)),
                itemStyle: { color: COLOURS.meals },
                showSymbol: false,
              },
              {
                type: 'line',
                name: t('indicators.kpi.subsidisedMeals'),
                data: x.daily.map((d) => upToToday(d.subsidisedMeals, d.date)),
                itemStyle: { color: COLOURS.subsidised },
                showSymbol: false,
              },
            ],
          }}
          rowKey="date"
          rows={x.daily}
          columns={[
            { title: t('indicators.date'), dataIndex: 'date' },
            { title: t('indicators.kpi.meals'), dataIndex: 'meals', align: 'right' },
            { title: t('indicators.kpi.subsidisedMeals'), dataIndex: 'subsidisedMeals', align: 'right' },
          ]}
        />
      </Col>
      <Col xs={24} xl={12}>
        <ChartCard
          testId="chart-category"
          title={t('indicators.charts.byCategory')}
          summary={t('indicators.charts.byCategorySummary', {
            n: x.figures.byCategory.length,
            top: topCat ? catName(topCat.category) : '—',
            count: topCat?.subsidisedMeals ?? 0,
          })}
          option={{
            grid: { left: 44, right: 16, top: 32, bottom: 40 },
            tooltip: { trigger: 'axis' },
            legend: { top: 0, right: 0 },
            xAxis: { type: 'category', data: x.figures.byCategory.map((c) => catName(c.category)), axisLabel: { interval: 0, rotate: 30 } },
            yAxis: { type: 'value', minInterval: 1 },
            series: [
              {
                type: 'bar',
                name: t('indicators.kpi.meals'),
                data: x.figures.byCategory.map((c) => c.meals),
                itemStyle: { color: COLOURS.meals },
                barMaxWidth: 28,
              },
              {
                type: 'bar',
                name: t('indicators.kpi.subsidisedMeals'),
                data: x.figures.byCategory.map((c) => c.subsidisedMeals),
                itemStyle: { color: COLOURS.subsidised },
                barMaxWidth: 28,
              },
            ],
          }}
          rowKey="category"
          rows={x.figures.byCategory}
          columns={[
            { title: t('indicators.category'), dataIndex: 'category', render: (c: string) => catName(c) },
            { title: t('indicators.kpi.meals'), dataIndex: 'meals', align: 'right' },
            { title: t('indicators.kpi.subsidisedMeals'), dataIndex: 'subsidisedMeals', align: 'right' },
          ]}
        />
      </Col>
      <Col xs={24} xl={8}>
        <ChartCard
          testId="chart-coverage"
          title={t('indicators.charts.coverage')}
          summary={t('indicators.charts.rateSummary', { what: t('indicators.kpi.coverage'), items: rateItems((f) => f.rates.coverage) })}
          option={{
            grid: { left: 44, right: 16, top: 16, bottom: 40 },
            tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : `${String(v)}%`) },
            xAxis,
            yAxis: percentAxis,
            series: [
              {
                type: 'bar',
                name: t('indicators.kpi.coverage'),
                data: nodes.map((n) => asPct(n.figures.rates.coverage)),
                itemStyle: { color: COLOURS.rate },
                barMaxWidth: 36,
              },
            ],
          }}
          rowKey="code"
          rows={nodes}
          columns={rateColumns(
            t('indicators.columns.needy'),
            (f) => f.rates.coverage,
            (f) => `${f.needy.served} / ${f.needy.registered}`,
          )}
        />
      </Col>
      <Col xs={24} xl={8}>
        <ChartCard
          testId="chart-satisfaction"
          title={t('indicators.charts.satisfaction')}
          summary={t('indicators.charts.satisfactionSummary', x.figures.satisfaction)}
          option={{
            grid: { left: 44, right: 16, top: 32, bottom: 40 },
            tooltip: { trigger: 'axis' },
            legend: { top: 0, right: 0 },
            xAxis,
            yAxis: { type: 'value', minInterval: 1 },
            series: (['satisfied', 'neutral', 'unsatisfied'] as const).map((k) => ({
              type: 'bar' as const,
              stack: 'ratings',
              name: t(`indicators.${k}`),
              data: nodes.map((n) => n.figures.satisfaction[k]),
              itemStyle: { color: COLOURS[k] },
              barMaxWidth: 36,
            })),
          }}
          rowKey="code"
          rows={nodes}
          columns={[
            { title: t('indicators.columns.name'), dataIndex: 'name' },
            { title: t('indicators.satisfied'), key: 's', align: 'right', render: (_v, n) => n.figures.satisfaction.satisfied },
            { title: t('indicators.neutral'), key: 'n', align: 'right', render: (_v, n) => n.figures.satisfaction.neutral },
            { title: t('indicators.unsatisfied'), key: 'u', align: 'right', render: (_v, n) => n.figures.satisfaction.unsatisfied },
            { title: t('indicators.kpi.satisfaction'), key: 'r', align: 'right', render: (_v, n) => pct(n.figures.rates.satisfaction) },
          ]}
        />
      </Col>
      <Col xs={24} xl={8}>
        <ChartCard
          testId="chart-compliance"
          title={t('indicators.charts.compliance')}
          summary={t('indicators.charts.rateSummary', { what: t('indicators.kpi.compliance'), items: rateItems((f) => f.rates.compliance) })}
          option={{
            grid: { left: 44, right: 16, top: 16, bottom: 40 },
            tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : `${String(v)}%`) },
            xAxis,
            yAxis: percentAxis,
            series: [
              {
                type: 'bar',
                name: t('indicators.kpi.compliance'),
                data: nodes.map((n) => asPct(n.figures.rates.compliance)),
                itemStyle: { color: COLOURS.subsidised },
                barMaxWidth: 36,
              },
            ],
          }}
          rowKey="code"
          rows={nodes}
          columns={rateColumns(
            t('indicators.columns.servedDays'),
            (f) => f.rates.compliance,
            (f) => `${f.serving.servedDays} / ${f.serving.workingDays}`,
          )}
        />
      </Col>
    </Row>
  );
}

/** The columns of the roll-up and the comparison: every indicator, sortable. */
function useNodeColumns(drill: (n: IndicatorNode) => void): ColumnsType<IndicatorNode> {
  const { t } = useTranslation();
  {
    const rate = (key: string, title: string, get: (f: IndicatorFigures) => number | null, detail?: (f: IndicatorFigures) => string) => ({
      key,
      title,
      align: 'right' as const,
      width: 110,
      sorter: (a: IndicatorNode, b: IndicatorNode) => (get(a.figures) ?? -1) - (get(b.figures) ?? -1),
      render: (_v: unknown, n: IndicatorNode) => (
        <span title={detail?.(n.figures)}>
          {pct(get(n.figures))}
          {detail && <div className="muted small">{detail(n.figures)}</div>}
        </span>
      ),
    });
    const count = (key: string, title: string, get: (f: IndicatorFigures) => number) => ({
      key,
      title,
      align: 'right' as const,
      width: 90,
      sorter: (a: IndicatorNode, b: IndicatorNode) => get(a.figures) - get(b.figures),
      render: (_v: unknown, n: IndicatorNode) => get(n.figures),
    });
    return [
      {
        key: 'name',
        title: t('indicators.columns.name'),
        fixed: 'left' as const,
        width: 180,
        sorter: (a: IndicatorNode, b: IndicatorNode) => a.name.localeCompare(b.name, 'zh-CN'),
        render: (_v: unknown, n: IndicatorNode) => (
          <Typography.Link data-testid={`drill-${n.code}`} onClick={() => drill(n)}>
            {n.name}
          </Typography.Link>
        ),
      },
      { key: 'district', title: t('indicators.columns.district'), width: 90, render: (_v: unknown, n: IndicatorNode) => n.districtName },
      { key: 'street', title: t('indicators.columns.street'), width: 100, render: (_v: unknown, n: IndicatorNode) => n.streetName },
      {
        key: 'status',
        title: t('indicators.columns.status'),
        width: 80,
        render: (_v: unknown, n: IndicatorNode) =>
          n.status ? <Tag color={n.status === 'open' ? 'green' : n.status === 'suspended' ? 'orange' : 'default'}>{t(`canteenStatus.${n.status}`)}</Tag> : null,
      },
      count('canteens', t('indicators.columns.canteens'), (f) => f.canteens),
      { ...count('meals', t('indicators.kpi.meals'), (f) => f.meals), defaultSortOrder: 'descend' as const },
      count('subsidisedMeals', t('indicators.kpi.subsidisedMeals'), (f) => f.subsidisedMeals),
      rate(
        'coverage',
        t('indicators.kpi.coverage'),
        (f) => f.rates.coverage,
        (f) => `${f.needy.served} / ${f.needy.registered}`,
      ),
      rate(
        'selfPaying',
        t('indicators.kpi.selfPaying'),
        (f) => f.rates.selfPaying,
        (f) => String(f.selfPayingMeals),
      ),
      count('deliveries', t('indicators.kpi.deliveries'), (f) => f.deliveries),
      rate(
        'satisfaction',
        t('indicators.kpi.satisfaction'),
        (f) => f.rates.satisfaction,
        (f) => t('indicators.values.ratings', { n: ratingCount(f) }),
      ),
      rate(
        'foodSamples',
        t('indicators.kpi.foodSamples'),
        (f) => f.rates.foodSamples,
        (f) => `${f.foodSamples.sampledDays} / ${f.foodSamples.servedDays}`,
      ),
      rate(
        'menuUpdates',
        t('indicators.kpi.menuUpdates'),
        (f) => f.rates.menuUpdates,
        (f) => `${f.menus.updatedWeeks} / ${f.menus.weeks}`,
      ),
      rate(
        'compliance',
        t('indicators.kpi.compliance'),
        (f) => f.rates.compliance,
        (f) => `${f.serving.servedDays} / ${f.serving.workingDays}`,
      ),
    ];
  }
}
