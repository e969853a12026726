import { Card, Col, Input, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { SUPPLY_MODES } from '@yishi/shared/domain';
import { lazy, Suspense, useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCanteens, type CanteenSummary } from '../api/sites';
import { ErrorResult } from '../components/PageState';
import { yuan } from '../lib/format';

const BarChart = lazy(() => import('../components/BarChart').then((m) => ({ default: m.BarChart })));

export function OverviewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const canteens = useCanteens();
  const [q, setQ] = useState('');
  const [district, setDistrict] = useState<string | undefined>();
  const [mode, setMode] = useState<string | undefined>();

  const all = useMemo(() => canteens.data ?? [], [canteens.data]);
  const rows = useMemo(
    () =>
      all.filter(
        (c) =>
          (!q || c.name.includes(q) || c.shortName.includes(q) || c.code.toLowerCase().includes(q.toLowerCase())) &&
          (!district || c.districtCode === district) &&
          (!mode || c.supplyMode === mode),
      ),
    [all, q, district, mode],
  );
  const districts = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of all) m.set(c.districtCode, c.districtName);
    return [...m.entries()].map(([value, label]) => ({ value, label }));
  }, [all]);

  const totals = useMemo(
    () =>
      rows.reduce(
        (s, c) => ({
          orders: s.orders + c.today.orders,
          subsidised: s.subsidised + c.today.subsidisedMeals,
          paid: s.paid + c.today.paidFen,
          awaiting: s.awaiting + c.today.awaitingFen,
          awaitingCount: s.awaitingCount + c.today.awaitingCount,
          refunded: s.refunded + c.today.refundedFen,
          cash: s.cash + c.today.byMethod.cash,
          wallet: s.wallet + c.today.byMethod.wallet,
          external: s.external + c.today.byMethod.external,
        }),
        { orders: 0, subsidised: 0, paid: 0, awaiting: 0, awaitingCount: 0, refunded: 0, cash: 0, wallet: 0, external: 0 },
      ),
    [rows],
  );

  const chart = useMemo(() => {
    const by = new Map<string, { orders: number; subsidised: number }>();
    for (const c of rows) {
      const v = by.get(c.districtName) ?? { orders: 0, subsidised: 0 };
      v.orders += c.today.orders;
      v.subsidised += c.today.subsidisedMeals;
      by.set(c.districtName, v);
    }
    const cats = [...by.keys()];
    return {
      categories: cats,
      series: [
        { name: t('overview.todayOrders'), data: cats.map((k) => by.get(k)!.orders), color: '#b4531d' },
        { name: t('overview.subsidisedMeals'), data: cats.map((k) => by.get(k)!.subsidised), color: '#2f6f62' },
      ],
    };
  }, [rows, t]);

  const columns: ColumnsType<CanteenSummary> = [
    {
      title: t('common.name'),
      dataIndex: 'name',
      render: (_v, c) => (
        <div>
          <Typography.Link strong onClick={() => navigate(`/canteens/${c.id}/orders`)}>
            {c.shortName}
          </Typography.Link>
          <div className="muted small">{c.code}</div>
        </div>
      ),
      sorter: (a, b) => a.shortName.localeCompare(b.shortName, 'zh-CN'),
    },
    { title: t('overview.district'), dataIndex: 'districtName', width: 100 },
    { title: t('overview.street'), dataIndex: 'streetName', width: 120 },
    { title: t('overview.supplyMode'), dataIndex: 'supplyMode', width: 130, render: (m: string) => <Tag>{t(`supplyModes.${m}`)}</Tag> },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: CanteenSummary['status'], c) => (
        <Tag color={s === 'open' ? 'green' : s === 'suspended' ? 'orange' : 'default'} title={c.statusReason ?? undefined}>
          {t(`canteenStatus.${s}`)}
        </Tag>
      ),
    },
    {
      title: t('overview.service'),
      width: 110,
      render: (_v, c) => (
        <Space size={4}>
          {c.dineIn && <Tag color="blue">{t('fulfilments.dine_in')}</Tag>}
          {c.delivery && <Tag color="purple">{t('fulfilments.delivery')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('overview.todayOrders'),
      align: 'right',
      width: 100,
      render: (_v, c) => c.today.orders,
      sorter: (a, b) => a.today.orders - b.today.orders,
      defaultSortOrder: 'descend',
    },
    {
      title: t('overview.subsidisedMeals'),
      align: 'right',
      width: 110,
      render: (_v, c) => c.today.subsidisedMeals,
      sorter: (a, b) => a.today.subsidisedMeals - b.today.subsidisedMeals,
    },
    {
      title: t('overview.revenue'),
      align: 'right',
      width: 110,
      render: (_v, c) => (
        <div>
          <b data-testid={`today-paid-${c.id}`} data-fen={c.today.paidFen}>
            {yuan(c.today.paidFen)}
          </b>
          {c.today.awaitingCount > 0 && (
            <div className="muted small" data-testid={`today-awaiting-${c.id}`}>
              {t('today.awaiting', { count: c.today.awaitingCount })} {yuan(c.today.awaitingFen)}
            </div>
          )}
          {c.today.refundedFen > 0 && (
            <div className="muted small">
              {t('today.refunded')} {yuan(c.today.refundedFen)}
            </div>
          )}
        </div>
      ),
      sorter: (a, b) => a.today.paidFen - b.today.paidFen,
    },
  ];

  if (canteens.isError) return <ErrorResult error={canteens.error} onRetry={() => void canteens.refetch()} />;

  return (
    <div className="page">
      <Typography.Title level={4}>{t('overview.title')}</Typography.Title>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={10}>
          <Row gutter={[12, 12]}>
            <Col span={12}>
              <Card size="small">
                <Statistic title={t('overview.canteens')} value={rows.length} />
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small">
                <Statistic title={t('overview.todayOrders')} value={totals.orders} />
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small">
                <Statistic title={t('overview.subsidisedMeals')} value={totals.subsidised} />
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small">
                <Statistic title={t('overview.revenue')} value={yuan(totals.paid)} />
                <div className="muted small" data-testid="today-breakdown">
                  {t('today.methods', { cash: yuan(totals.cash), wallet: yuan(totals.wallet), external: yuan(totals.external) })}
                  {totals.awaitingCount > 0 && ` · ${t('today.awaiting', { count: totals.awaitingCount })} ${yuan(totals.awaiting)}`}
                  {totals.refunded > 0 && ` · ${t('today.refunded')} ${yuan(totals.refunded)}`}
                </div>
              </Card>
            </Col>
          </Row>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('overview.chartTitle')} styles={{ body: { padding: 8 } }}>
            <Suspense fallback={<div style={{ height: 150 }} />}>
              <BarChart categories={chart.categories} series={chart.series} height={150} />
            </Suspense>
          </Card>
        </Col>
      </Row>
      <Space wrap style={{ margin: '16px 0 12px' }}>
        <Input.Search
          allowClear
          aria-label={t('overview.searchPlaceholder')}
          placeholder={t('overview.searchPlaceholder')}
          style={{ width: 260 }}
          onChange={(e) => setQ(e.target.value.trim())}
        />
        <Select
          allowClear
          aria-label={t('overview.filterDistrict')}
          placeholder={t('overview.filterDistrict')}
          style={{ width: 160 }}
          options={districts}
          value={district}
          onChange={setDistrict}
        />
        <Select
          allowClear
          placeholder={t('overview.filterMode')}
          aria-label={t('overview.filterMode')}
          style={{ width: 180 }}
          value={mode}
          onChange={setMode}
          options={SUPPLY_MODES.map((m) => ({ value: m, label: t(`supplyModes.${m}`) }))}
        />
      </Space>
      <Table<CanteenSummary>
        data-testid="canteen-table"
        rowKey="id"
        size="middle"
        loading={canteens.isPending}
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        onRow={(c) =>
          ({
            'data-testid': `canteen-row-${c.id}`,
            onClick: () => navigate(`/canteens/${c.id}/orders`),
            style: { cursor: 'pointer' },
          }) as HTMLAttributes<HTMLTableRowElement>
        }
      />
    </div>
  );
}
