import { ReloadOutlined } from '@ant-design/icons';
import { DatePicker, Button, Input, InputNumber, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { FULFILMENTS, MEAL_PERIODS, ORDER_STATES, orderRef, PAYMENT_METHODS } from '@yishi/shared/domain';
import type { Fulfilment, MealPeriod, OrderState, PaymentMethod } from '@yishi/shared/domain';
import dayjs from 'dayjs';
import { useEffect, useRef, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { onLiveEvent } from '../../api/live';
import { LocalDate, OrderExportQuery, OrderRefText } from '@yishi/shared/schemas';
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

/** A real calendar day (an address can say 2026-13-45; the server would refuse it and the page show an error). */
const isDay = (v: string) => LocalDate.safeParse(v).success;
const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined => ((list as readonly string[]).includes(v ?? '') ? (v as T) : undefined);

interface Filters {
  range: [string, string] | null;
  date: string | null;
  meal: MealPeriod | 'all';
  state: StateFilter;
  fulfilment: Fulfilment | 'all';
  method: PaymentMethod | 'all';
  pickup: number | null;
  // 订单尾号: what a kiosk that saved an order with the network down told the elder to quote at the counter.
  ref: string | null;
  sort: Sort;
  page: { current: number; size: number };
}

const SORT_FIELDS = ['createdAt', 'pickupNumber', 'elderPaysFen'] as const;
const PAGE_SIZES = [20, 50, 100, 200] as const;
const STATE_FILTERS: readonly StateFilter[] = ['active', 'all', ...ORDER_STATES];

/**
 * The filters as the address gives them. A link from elsewhere (the side menu's, a claim line's) names a few of
 * ORDERS_LINK_FILTERS; the page itself writes every filter it changes, `date=all` and `mealPeriod=all` included, so
 * that Back (from a resident, a claim) finds the list as it was left.
 */
function readFilters(search: URLSearchParams, today: string, period: MealPeriod | null): Filters {
  const linked = ORDERS_LINK_FILTERS.some((k) => search.has(k));
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  const d = search.get('date') ?? '';
  const pickup = Number(search.get('pickupNumber'));
  const ref = search.get('ref')?.toUpperCase() ?? '';
  const size = Number(search.get('size'));
  return {
    range: isDay(from) && isDay(to) && from <= to ? [from, to] : null,
    date: isDay(d) ? d : d === 'all' || linked ? null : today,
    meal: oneOf([...MEAL_PERIODS, 'all'] as const, search.get('mealPeriod')) ?? (linked ? 'all' : (period ?? 'all')),
    state: oneOf(STATE_FILTERS, search.get('state')) ?? 'all',
    fulfilment: oneOf(FULFILMENTS, search.get('fulfilment')) ?? 'all',
    method: oneOf(PAYMENT_METHODS, search.get('paymentMethod')) ?? 'all',
    pickup: Number.isInteger(pickup) && pickup >= 1 && pickup <= 100000 ? pickup : null,
    ref: ref && OrderRefText.safeParse(ref).success ? ref : null,
    sort: { field: oneOf(SORT_FIELDS, search.get('sort')) ?? 'createdAt', order: search.get('order') === 'asc' ? 'asc' : 'desc' },
    page: {
      current: Math.max(1, Math.min(20000, Math.trunc(Number(search.get('page'))) || 1)),
      size: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
    },
  };
}

function writeFilters(f: Filters): URLSearchParams {
  const s = new URLSearchParams();
  if (f.range) {
    s.set('from', f.range[0]);
    s.set('to', f.range[1]);
  } else s.set('date', f.date ?? 'all');
  s.set('mealPeriod', f.meal);
  if (f.state !== 'all') s.set('state', f.state);
  if (f.fulfilment !== 'all') s.set('fulfilment', f.fulfilment);
  if (f.method !== 'all') s.set('paymentMethod', f.method);
  if (f.pickup) s.set('pickupNumber', String(f.pickup));
  if (f.ref) s.set('ref', f.ref);
  if (f.sort.field !== 'createdAt' || f.sort.order !== 'desc') {
    s.set('sort', f.sort.field);
    s.set('order', f.sort.order);
  }
  if (f.page.current > 1) s.set('page', String(f.page.current));
  if (f.page.size !== 50) s.set('size', String(f.page.size));
  return s;
}

/** A canteen's orders, paged, filtered and sorted on the server (a canteen may hold hundreds of thousands). */
export function OrdersPage() {
  const { t } = useTranslation();
  const { canteen, today, period, canOperate } = useCanteenCtx();
  const [search, setSearch] = useSearchParams();
  const f = readFilters(search, today, period);
  const { range, date, meal, state: stateFilter, fulfilment, method, pickup, ref, sort, page } = f;
  // Changes build on the last one written, not on this render's: a click and then typing at once (before the
  // address is rendered again) keep both. The address is replaced, not pushed: Back leaves the list rather than
  // stepping through each filter.
  const latest = useRef(f);
  useEffect(() => {
    latest.current = f;
  });
  const set = (next: Partial<Filters>, firstPage = false) => {
    const merged = { ...latest.current, ...next };
    // A filter change starts again at the first page.
    if (firstPage) merged.page = { ...merged.page, current: 1 };
    latest.current = merged;
    setSearch(writeFilters(merged), { replace: true });
  };
  const filter =
    <K extends keyof Filters>(key: K) =>
    (v: Filters[K]) =>
      set({ [key]: v }, true);
  const [refText, setRefText] = useState(ref ?? '');
  useEffect(() => setRefText(ref ?? ''), [ref]);
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
          {o.lines.map((l) => `${l.name}×${l.quantity}`).join(t('common.listSep'))}
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
              onChange={(r: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null) =>
                filter('range')(r?.[0] && r[1] ? [r[0].format('YYYY-MM-DD'), r[1].format('YYYY-MM-DD')] : null)
              }
            />
          ) : (
            <DatePicker
              aria-label={t('common.date')}
              value={date ? dayjs(date) : null}
              placeholder={t('orders.allDates')}
              onChange={(d: dayjs.Dayjs | null) => filter('date')(d ? d.format('YYYY-MM-DD') : null)}
              data-testid="orders-date"
            />
          )}
          <Segmented<MealPeriod | 'all'>
            value={meal}
            onChange={filter('meal')}
            options={[{ value: 'all', label: t('orders.allPeriods') }, ...MEAL_PERIODS.map((p) => ({ value: p, label: t(`mealPeriods.${p}`) }))]}
            data-testid="orders-period"
          />
          <Select<StateFilter>
            aria-label={t('orders.stateFilter')}
            style={{ width: 150 }}
            value={stateFilter}
            onChange={filter('state')}
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
            onChange={filter('fulfilment')}
            options={[{ value: 'all', label: t('orders.allFulfilments') }, ...FULFILMENTS.map((f) => ({ value: f, label: t(`fulfilments.${f}`) }))]}
          />
          <Select<PaymentMethod | 'all'>
            aria-label={t('orders.payment')}
            style={{ width: 130 }}
            value={method}
            onChange={filter('method')}
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
            onChange={filter('pickup')}
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
              if (!e.target.value) filter('ref')(null);
            }}
            onSearch={(v) => {
              const s = v.trim();
              if (!s || OrderRefText.safeParse(s).success) filter('ref')(s ? s.toUpperCase() : null);
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
              fulfilment: fulfilment === 'all' ? undefined : fulfilment,
              paymentMethod: method === 'all' ? undefined : method,
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
          set({ sort: next, page: { current: sortChanged ? 1 : (p.current ?? 1), size: p.pageSize ?? page.size } });
        }}
        locale={{ emptyText: t('orders.empty') }}
        rowClassName={(o) => (fresh.has(o.id) ? 'row-new' : o.state === 'awaiting_payment' ? 'row-attention' : '')}
        onRow={(o) => ({ 'data-testid': `order-row-${o.id}` }) as HTMLAttributes<HTMLTableRowElement>}
      />
    </div>
  );
}
