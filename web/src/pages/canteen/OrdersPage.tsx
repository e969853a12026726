import { ReloadOutlined } from '@ant-design/icons';
import { DatePicker, Button, Input, InputNumber, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { FULFILMENTS, MEAL_PERIODS, ORDER_STATES, orderRef, PAYMENT_METHODS } from '@yishi/shared/domain';
import type { Fulfilment, MealPeriod, OrderState, PaymentMethod } from '@yishi/shared/domain';
import dayjs from 'dayjs';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { onLiveEvent } from '../../api/live';
import { OrderExportQuery, OrderRefText } from '@yishi/shared/schemas';
import { useOrderPage, type Order, type OrderListParams } from '../../api/orders';
import { ListExportButtons } from '../../components/ListExportButtons';
import { OrderActions } from '../../components/OrderActions';
import { ErrorResult } from '../../components/PageState';
import { useCanteenCtx } from '../../layout/canteenContext';
import { ORDERS_LINK_FILTERS } from '../../routing/links';
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
type Sort = { field: 'createdAt' | 'pickupNumber' | 'elderPaysFen'; order: 'asc' | 'desc' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined => ((list as readonly string[]).includes(v ?? '') ? (v as T) : undefined);

/** A canteen's orders, paged, filtered and sorted on the server (a canteen may hold hundreds of thousands). */
export function OrdersPage() {
  const [search] = useSearchParams();
  // Another link (the side menu's, a claim line's) starts the filters afresh from its address.
  return <OrdersList key={search.toString()} search={search} />;
}

function OrdersList({ search }: { search: URLSearchParams }) {
  const { t } = useTranslation();
  const { canteen, today, period, canOperate } = useCanteenCtx();
  const linked = ORDERS_LINK_FILTERS.some((k) => search.has(k));
  const linkedFrom = search.get('from') ?? '';
  const linkedTo = search.get('to') ?? '';
  const [range, setRange] = useState<[string, string] | null>(
    DAY.test(linkedFrom) && DAY.test(linkedTo) && linkedFrom <= linkedTo ? [linkedFrom, linkedTo] : null,
  );
  const [date, setDate] = useState<string | null>(() => {
    const d = search.get('date') ?? '';
    return DAY.test(d) ? d : linked ? null : today;
  });
  const [meal, setMeal] = useState<MealPeriod | 'all'>(oneOf(MEAL_PERIODS, search.get('mealPeriod')) ?? (linked ? 'all' : (period ?? 'all')));
  const [stateFilter, setStateFilter] = useState<StateFilter>('all');
  const [fulfilment, setFulfilment] = useState<Fulfilment | 'all'>(oneOf(FULFILMENTS, search.get('fulfilment')) ?? 'all');
  const [method, setMethod] = useState<PaymentMethod | 'all'>('all');
  const [pickup, setPickup] = useState<number | null>(null);
  // 订单尾号: what a kiosk that saved an order with the network down told the elder to quote at the counter.
  const [ref, setRef] = useState<string | null>(null);
  const [refText, setRefText] = useState('');
  const [sort, setSort] = useState<Sort>({ field: 'createdAt', order: 'desc' });
  const [page, setPage] = useState({ current: 1, size: 50 });
  const [fresh, setFresh] = useState<Set<string>>(new Set());

  const params: OrderListParams = {
    canteenId: canteen.id,
    ...(range ? { from: range[0], to: range[1] } : date ? { date } : {}),
    ...(meal !== 'all' ? { mealPeriod: meal } : {}),
    ...(stateFilter === 'all' ? {} : { state: stateFilter === 'active' ? 'awaiting_payment,paid,ready' : stateFilter }),
    ...(fulfilment !== 'all' ? { fulfilment } : {}),
    ...(method !== 'all' ? { paymentMethod: method } : {}),
    ...(pickup ? { pickupNumber: pickup } : {}),
    ...(ref ? { ref } : {}),
    sort: sort.field,
    order: sort.order,
    limit: page.size,
    offset: (page.current - 1) * page.size,
  };
  const orders = useOrderPage(params);
  // A filter change starts again at the first page.
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage((p) => ({ ...p, current: 1 }));
    };

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

  const rows = orders.data?.items ?? [];
  const sortOrder = (f: Sort['field']) => (sort.field === f ? (sort.order === 'asc' ? 'ascend' : 'descend') : null);

  const columns: ColumnsType<Order> = [
    {
      title: t('orders.pickup'),
      key: 'pickupNumber',
      dataIndex: 'pickupNumber',
      width: 120,
      sorter: true,
      sortOrder: sortOrder('pickupNumber'),
      render: (n: number, o) => (
        <div>
          <span className="pickup">{n}</span>
          {o.offline && (
            // Taken by a kiosk with the network down: the elder was given this 尾号 to quote.
            <div className="small" data-testid={`order-offline-${o.id}`}>
              <Tag color="purple" style={{ marginInlineEnd: 4 }}>
                {t('orders.offline')}
              </Tag>
              <Typography.Text type="secondary">{t('orders.refShort', { ref: orderRef(o.id) })}</Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    {
      title: t('orders.createdAt'),
      key: 'createdAt',
      dataIndex: 'createdAt',
      width: 110,
      sorter: true,
      sortOrder: sortOrder('createdAt'),
      render: (v: string, o) => (date && !range ? fmtTime(v) : `${o.serviceDate.slice(5)} ${fmtTime(v)}`),
    },
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
      render: (_v, o) => (o.elderSubsidyFen ? <span className="subsidy">{yuan(-o.elderSubsidyFen)}</span> : '—'),
    },
    {
      title: t('orders.pays'),
      key: 'elderPaysFen',
      align: 'right',
      width: 90,
      sorter: true,
      sortOrder: sortOrder('elderPaysFen'),
      render: (_v, o) => <b>{yuan(o.elderPaysFen)}</b>,
    },
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
          {o.fulfilment === 'delivery' && o.state === 'ready' ? t('orders.deliveryReady') : t(`orderStates.${o.state}`)}
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
          <Typography.Title level={5} style={{ margin: 0 }} data-testid="orders-title">
            {!range && date === today ? t('orders.title') : t('orders.titleOther')}
          </Typography.Title>
          {range ? (
            // Opened for a period (a claim's): the range stays until cleared, then every date.
            <DatePicker.RangePicker
              aria-label={t('orders.dateRange')}
              value={[dayjs(range[0]), dayjs(range[1])]}
              onChange={filter((r: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null) =>
                setRange(r?.[0] && r[1] ? [r[0].format('YYYY-MM-DD'), r[1].format('YYYY-MM-DD')] : null),
              )}
            />
          ) : (
            <DatePicker
              aria-label={t('common.date')}
              value={date ? dayjs(date) : null}
              placeholder={t('orders.allDates')}
              onChange={filter((d: dayjs.Dayjs | null) => setDate(d ? d.format('YYYY-MM-DD') : null))}
              data-testid="orders-date"
            />
          )}
          <Segmented<MealPeriod | 'all'>
            value={meal}
            onChange={filter(setMeal)}
            options={[{ value: 'all', label: t('orders.allPeriods') }, ...MEAL_PERIODS.map((p) => ({ value: p, label: t(`mealPeriods.${p}`) }))]}
            data-testid="orders-period"
          />
          <Select<StateFilter>
            aria-label={t('orders.stateFilter')}
            style={{ width: 150 }}
            value={stateFilter}
            onChange={filter(setStateFilter)}
            data-testid="orders-state-filter"
            options={[
              { value: 'all', label: t('common.all') },
              { value: 'active', label: `${t('orderStates.awaiting_payment')}/${t('orderStates.paid')}/${t('orderStates.ready')}` },
              ...ORDER_STATES.map((s) => ({ value: s, label: t(`orderStates.${s}`) })),
            ]}
          />
          <Select<Fulfilment | 'all'>
            aria-label={t('orders.fulfilment')}
            style={{ width: 100 }}
            value={fulfilment}
            onChange={filter(setFulfilment)}
            options={[{ value: 'all', label: t('orders.allFulfilments') }, ...FULFILMENTS.map((f) => ({ value: f, label: t(`fulfilments.${f}`) }))]}
          />
          <Select<PaymentMethod | 'all'>
            aria-label={t('orders.payment')}
            style={{ width: 130 }}
            value={method}
            onChange={filter(setMethod)}
            options={[{ value: 'all', label: t('orders.allMethods') }, ...PAYMENT_METHODS.map((m) => ({ value: m, label: t(`paymentMethods.${m}`) }))]}
          />
          <InputNumber<number>
            aria-label={t('orders.pickup')}
            placeholder={t('orders.pickup')}
            min={1}
            max={100000}
            precision={0}
            style={{ width: 100 }}
            value={pickup}
            onChange={filter(setPickup)}
          />
          <Input.Search
            aria-label={t('orders.ref')}
            placeholder={t('orders.ref')}
            allowClear
            style={{ width: 150 }}
            value={refText}
            status={refText && !OrderRefText.safeParse(refText).success ? 'error' : undefined}
            onChange={(e) => {
              setRefText(e.target.value);
              if (!e.target.value) filter(setRef)(null);
            }}
            onSearch={(v) => {
              const s = v.trim();
              if (!s || OrderRefText.safeParse(s).success) filter(setRef)(s ? s.toUpperCase() : null);
            }}
            data-testid="orders-ref"
          />
        </Space>
        <Space>
          <Typography.Text type="secondary" data-testid="orders-total">
            {t('common.total', { count: orders.data?.total ?? 0 })}
          </Typography.Text>
          <ListExportButtons
            name="orders"
            path="/orders/export"
            request={OrderExportQuery}
            query={{
              canteenId: canteen.id,
              from: range ? range[0] : date,
              to: range ? range[1] : date,
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
        pagination={{
          current: page.current,
          pageSize: page.size,
          total: orders.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('common.total', { count: n }),
        }}
        onChange={(p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const field = (s?.columnKey as Sort['field'] | undefined) ?? 'createdAt';
          const next: Sort = s?.order ? { field, order: s.order === 'ascend' ? 'asc' : 'desc' } : { field: 'createdAt', order: 'desc' };
          const sortChanged = next.field !== sort.field || next.order !== sort.order;
          setSort(next);
          setPage({ current: sortChanged ? 1 : (p.current ?? 1), size: p.pageSize ?? page.size });
        }}
        locale={{ emptyText: t('orders.empty') }}
        rowClassName={(o) => (fresh.has(o.id) ? 'row-new' : o.state === 'awaiting_payment' ? 'row-attention' : '')}
        onRow={(o) => ({ 'data-testid': `order-row-${o.id}` }) as HTMLAttributes<HTMLTableRowElement>}
      />
    </div>
  );
}
