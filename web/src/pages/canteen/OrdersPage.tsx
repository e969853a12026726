import { ReloadOutlined } from '@ant-design/icons';
import { DatePicker, Button, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { MEAL_PERIODS, ORDER_STATES } from '@yishi/shared/domain';
import type { MealPeriod, OrderState } from '@yishi/shared/domain';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { onLiveEvent } from '../../api/live';
import { OrderExportQuery } from '@yishi/shared/schemas';
import { useOrders, type Order } from '../../api/orders';
import { ListExportButtons } from '../../components/ListExportButtons';
import { OrderActions } from '../../components/OrderActions';
import { ErrorResult } from '../../components/PageState';
import { useCanteenCtx } from '../../layout/canteenContext';
import { fmtTime, yuan } from '../../lib/format';

export const STATE_COLORS: Record<OrderState, string> = {
  awaiting_payment: 'gold',
  paid: 'blue',
  ready: 'green',
  completed: 'default',
  cancelled: 'default',
  refunded: 'red',
};

type StateFilter = 'active' | 'all' | OrderState;

export function OrdersPage() {
  const { t } = useTranslation();
  const { canteen, today, period, canOperate } = useCanteenCtx();
  const [date, setDate] = useState(today);
  const [meal, setMeal] = useState<MealPeriod | 'all'>(period ?? 'all');
  const [stateFilter, setStateFilter] = useState<StateFilter>('all');
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const orders = useOrders(canteen.id, date);

  // Briefly highlight orders that just arrived over the live socket.
  useEffect(
    () =>
      onLiveEvent((ev) => {
        if (ev.type !== 'order.created' || ev.canteenId !== canteen.id) return;
        const id = ev.order.id;
        setFresh((s) => new Set(s).add(id));
        setTimeout(
          () =>
            setFresh((s) => {
              const n = new Set(s);
              n.delete(id);
              return n;
            }),
          6000,
        );
      }),
    [canteen.id],
  );

  const all = useMemo(() => orders.data?.items ?? [], [orders.data]);
  const inMeal = useMemo(() => all.filter((o) => meal === 'all' || o.mealPeriod === meal), [all, meal]);
  const rows = useMemo(() => {
    const list = inMeal.filter((o) =>
      stateFilter === 'all' ? true : stateFilter === 'active' ? ['awaiting_payment', 'paid', 'ready'].includes(o.state) : o.state === stateFilter,
    );
    return list.slice().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }, [inMeal, stateFilter]);
  const count = (s: OrderState) => inMeal.filter((o) => o.state === s).length;

  const columns: ColumnsType<Order> = [
    { title: t('orders.pickup'), dataIndex: 'pickupNumber', width: 72, render: (n: number) => <span className="pickup">{n}</span> },
    { title: t('orders.createdAt'), dataIndex: 'createdAt', width: 86, render: (v: string) => fmtTime(v) },
    {
      title: t('orders.resident'),
      width: 150,
      render: (_v, o) => (
        <div>
          {o.residentName ?? <Typography.Text type="secondary">{t('orders.guest')}</Typography.Text>}
          {o.identifyMethod !== 'guest' && <div className="muted small">{t(`identifyMethods.${o.identifyMethod}`)}</div>}
          {o.staffReason && (
            <div className="muted small" data-testid={`order-staff-reason-${o.id}`}>
              {t('orders.staffReason', { reason: t(`staffReasons.${o.staffReason.code}`) })}
              {o.staffReason.note ? `：${o.staffReason.note}` : ''}
            </div>
          )}
        </div>
      ),
    },
    {
      title: t('orders.lines'),
      render: (_v, o) => (
        <div>
          {o.lines.map((l) => `${l.name}×${l.quantity}`).join('，')}
          {o.fulfilment === 'delivery' && (
            <Tooltip title={o.deliveryAddress}>
              <Tag color="purple" style={{ marginInlineStart: 6 }}>
                {t('fulfilments.delivery')}
              </Tag>
            </Tooltip>
          )}
          {meal === 'all' && <Tag style={{ marginInlineStart: 6 }}>{t(`mealPeriods.${o.mealPeriod}`)}</Tag>}
        </div>
      ),
    },
    { title: t('orders.price'), align: 'right', width: 80, render: (_v, o) => yuan(o.mealPriceFen) },
    {
      title: t('orders.subsidy'),
      align: 'right',
      width: 80,
      render: (_v, o) => (o.elderSubsidyFen ? <span className="subsidy">-{yuan(o.elderSubsidyFen)}</span> : '—'),
    },
    { title: t('orders.pays'), align: 'right', width: 80, render: (_v, o) => <b>{yuan(o.elderPaysFen)}</b> },
    {
      title: t('orders.payment'),
      width: 110,
      render: (_v, o) => (
        <div>
          {t(`paymentMethods.${o.paymentMethod}`)}
          {o.paymentReference && (
            <div className="muted small" data-testid={`order-reference-${o.id}`}>
              {o.state === 'awaiting_payment' ? t('orders.referenceClaimed', { reference: o.paymentReference }) : o.paymentReference}
            </div>
          )}
        </div>
      ),
    },
    {
      title: t('orders.state'),
      width: 90,
      render: (_v, o) => (
        <Tag color={STATE_COLORS[o.state]} data-testid={`order-state-${o.id}`} data-state={o.state}>
          {t(`orderStates.${o.state}`)}
        </Tag>
      ),
    },
  ];
  if (canOperate) columns.push({ title: t('common.actions'), width: 210, render: (_v, o) => <OrderActions order={o} compact /> });

  if (orders.isError && !orders.data) return <ErrorResult error={orders.error} onRetry={() => void orders.refetch()} />;

  return (
    <div className="page">
      <div className="toolbar">
        <Space wrap>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('orders.title')}
          </Typography.Title>
          <DatePicker allowClear={false} aria-label={t('common.date')} value={dayjs(date)} onChange={(d) => d && setDate(d.format('YYYY-MM-DD'))} />
          <Segmented<MealPeriod | 'all'>
            value={meal}
            onChange={setMeal}
            options={[{ value: 'all', label: t('orders.allPeriods') }, ...MEAL_PERIODS.map((p) => ({ value: p, label: t(`mealPeriods.${p}`) }))]}
            data-testid="orders-period"
          />
          <Select<StateFilter>
            aria-label={t('orders.stateFilter')}
            style={{ width: 140 }}
            value={stateFilter}
            onChange={setStateFilter}
            options={[
              { value: 'all', label: t('common.all') },
              { value: 'active', label: `${t('orderStates.awaiting_payment')}/${t('orderStates.paid')}/${t('orderStates.ready')}` },
              ...ORDER_STATES.map((s) => ({ value: s, label: t(`orderStates.${s}`) })),
            ]}
          />
        </Space>
        <Space>
          <Typography.Text type="secondary" data-testid="orders-counts">
            {t('orders.counts', { awaiting: count('awaiting_payment'), paid: count('paid'), ready: count('ready'), completed: count('completed') })}
          </Typography.Text>
          <ListExportButtons
            name="orders"
            path="/orders/export"
            request={OrderExportQuery}
            query={{
              canteenId: canteen.id,
              from: date,
              to: date,
              mealPeriod: meal === 'all' ? undefined : meal,
              state: stateFilter === 'all' ? undefined : stateFilter,
            }}
          />
          <Button icon={<ReloadOutlined />} onClick={() => void orders.refetch()} loading={orders.isFetching} aria-label={t('common.refresh')} />
        </Space>
      </div>
      <Table<Order>
        data-testid="orders-table"
        rowKey="id"
        size="small"
        loading={orders.isPending}
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
        locale={{ emptyText: t('orders.empty') }}
        rowClassName={(o) => (fresh.has(o.id) ? 'row-new' : o.state === 'awaiting_payment' ? 'row-attention' : '')}
        onRow={(o) => ({ 'data-testid': `order-row-${o.id}` }) as HTMLAttributes<HTMLTableRowElement>}
      />
    </div>
  );
}
