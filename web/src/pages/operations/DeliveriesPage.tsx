import { CarOutlined, CheckOutlined, CloseOutlined, PrinterOutlined, UserAddOutlined } from '@ant-design/icons';
import { App, AutoComplete, Button, Card, DatePicker, Empty, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../../api/client';
import { useDeliveryChanges, useDeliveryRoutes, type Delivery } from '../../api/operations';
import { DeliveryExportQuery } from '@yishi/shared/schemas';
import { ListExportButtons } from '../../components/ListExportButtons';
import { ErrorResult } from '../../components/PageState';
import { useCanteenCtx } from '../../layout/canteenContext';
import { errorText } from '../../lib/errors';
import { fmtTime } from '../../lib/format';
import { printOn } from '../../lib/print';

const STATE_COLOR: Record<Delivery['state'], string> = { pending: 'default', out: 'blue', delivered: 'green', failed: 'red', cancelled: 'default' };

function StopActions({ d }: { d: Delivery }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { canteen } = useCanteenCtx();
  const ch = useDeliveryChanges(canteen.id);
  const [failing, setFailing] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const fail = async () => {
    // An empty field is shown on the form; nothing to send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { reason } = values;
    try {
      await ch.done.mutateAsync({ id: d.id, body: { outcome: 'failed', reason } });
      setFailing(false);
      form.resetFields();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  const run = (p: Promise<unknown>) => p.catch((e: unknown) => message.error(errorText(t, e)));
  if (d.state === 'pending' && d.courier)
    return (
      <Button
        size="small"
        type="primary"
        icon={<CarOutlined />}
        loading={ch.out.isPending}
        onClick={() => void run(ch.out.mutateAsync(d.id))}
        data-testid={`delivery-out-${d.id}`}
      >
        {t('deliveries.out')}
      </Button>
    );
  if (d.state !== 'out') return null;
  return (
    <Space>
      <Button
        size="small"
        type="primary"
        icon={<CheckOutlined />}
        loading={ch.done.isPending}
        onClick={() => void run(ch.done.mutateAsync({ id: d.id, body: { outcome: 'delivered' } }))}
        data-testid={`delivery-delivered-${d.id}`}
      >
        {t('deliveries.delivered')}
      </Button>
      <Button size="small" danger icon={<CloseOutlined />} onClick={() => setFailing(true)} data-testid={`delivery-failed-${d.id}`}>
        {t('deliveries.failed')}
      </Button>
      <Modal
        open={failing}
        title={t('deliveries.failReason')}
        onCancel={() => setFailing(false)}
        onOk={() => void fail()}
        confirmLoading={ch.done.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label={t('deliveries.failReason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input.TextArea maxLength={200} placeholder={t('deliveries.failPlaceholder')} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function AssignBar({ ids, couriers, onDone }: { ids: string[]; couriers: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { canteen } = useCanteenCtx();
  const ch = useDeliveryChanges(canteen.id);
  const [courier, setCourier] = useState('');
  const assign = async () => {
    try {
      await ch.assign.mutateAsync({ deliveryIds: ids, courier: courier.trim() });
      onDone();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  return (
    <Space className="no-print" wrap>
      <AutoComplete
        style={{ width: 180 }}
        value={courier}
        onChange={setCourier}
        options={couriers.map((c) => ({ value: c }))}
        placeholder={t('deliveries.courierPlaceholder')}
        aria-label={t('deliveries.courier')}
        data-testid="courier-input"
      />
      <Button
        type="primary"
        icon={<UserAddOutlined />}
        disabled={!ids.length || !courier.trim()}
        loading={ch.assign.isPending}
        onClick={() => void assign()}
        data-testid="courier-assign"
      >
        {t('deliveries.assignSelected', { count: ids.length })}
      </Button>
    </Space>
  );
}

/**
 * The paper a courier takes out: one sheet per route, in stop order, with room to note the time each meal was
 * handed over and to sign. Plain table so every column keeps its width on A4 (antd's on-screen table does not).
 */
function RouteSheet({ courier, stops, canteenName, date }: { courier: string | null; stops: Delivery[]; canteenName: string; date: string }) {
  const { t } = useTranslation();
  return (
    <section className="route-sheet print-only-block">
      <h2>{courier ? t('deliveries.routeOf', { courier, count: stops.length }) : `${t('deliveries.unassigned')}（${stops.length}）`}</h2>
      <div className="route-sheet-head">
        {canteenName} · {date}
      </div>
      <table className="close-table route-sheet-table">
        <thead>
          <tr>
            <th className="c-stop">{t('deliveries.stop')}</th>
            <th className="c-no">{t('deliveries.pickup')}</th>
            <th className="c-name">{t('deliveries.resident')}</th>
            <th>{t('deliveries.address')}</th>
            <th className="c-items">{t('deliveries.items')}</th>
            <th className="c-sign">{t('deliveries.handedOver')}</th>
          </tr>
        </thead>
        <tbody>
          {stops.map((d, i) => (
            <tr key={d.id}>
              <td className="num">{d.stopOrder ?? i + 1}</td>
              <td className="num">
                <b>{d.pickupNumber}</b>
              </td>
              <td>
                {d.residentName ?? '—'}
                {d.livesAlone && <b>（{t('deliveries.livesAlone')}）</b>}
                {d.phoneLast4 && (
                  <div className="small">
                    {t('deliveries.phone')} {d.phoneLast4}
                  </div>
                )}
              </td>
              <td>
                {d.address}
                <div className="small">{[d.streetName, d.communityName].filter(Boolean).join(' · ')}</div>
              </td>
              <td>{d.items}</td>
              <td />
            </tr>
          ))}
        </tbody>
      </table>
      <div className="signatures">
        <span>
          {t('deliveries.leftAt')}
          {t('common.colon')}__________
        </span>
        <span>
          {t('deliveries.backAt')}
          {t('common.colon')}__________
        </span>
        <span>
          {t('deliveries.courierSign')}
          {t('common.colon')}________________
        </span>
      </div>
    </section>
  );
}

export function DeliveriesPage() {
  const { t } = useTranslation();
  const { canteen, today, canOperate } = useCanteenCtx();
  const [date, setDate] = useState(today);
  const routes = useDeliveryRoutes(canteen.id, date);
  const [selected, setSelected] = useState<string[]>([]);

  if (routes.isError && !routes.data) return <ErrorResult error={routes.error} onRetry={() => void routes.refetch()} />;

  const columns = (assigned: boolean): ColumnsType<Delivery> => [
    ...(assigned
      ? [{ title: t('deliveries.stop'), dataIndex: 'stopOrder', width: 56, render: (n: number | null) => <b className="stop-no">{n ?? '—'}</b> }]
      : []),
    { title: t('deliveries.pickup'), dataIndex: 'pickupNumber', width: 64, render: (n: number) => <span className="pickup">{n}</span> },
    {
      title: t('deliveries.resident'),
      width: 150,
      render: (_v, d) => (
        <div>
          {d.residentName ?? '—'}
          {d.livesAlone && (
            <Tag color="volcano" style={{ marginInlineStart: 6 }}>
              {t('deliveries.livesAlone')}
            </Tag>
          )}
          <div className="muted small">
            {[
              d.phoneLast4 ? `${t('deliveries.phone')} ${d.phoneLast4}` : null,
              d.careLevelAtOrder > 0 ? t('deliveries.careLevel', { level: d.careLevelAtOrder }) : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </div>
        </div>
      ),
    },
    {
      title: t('deliveries.address'),
      render: (_v, d) => (
        <div>
          {d.address}
          <div className="muted small">{[d.streetName, d.communityName].filter(Boolean).join(' · ')}</div>
        </div>
      ),
    },
    { title: t('deliveries.items'), dataIndex: 'items', width: 200 },
    {
      title: t('deliveries.state'),
      width: 170,
      render: (_v, d) => (
        <div>
          <Tag color={STATE_COLOR[d.state]} data-testid={`delivery-state-${d.id}`} data-state={d.state}>
            {t(`deliveries.states.${d.state}`)}
          </Tag>
          {d.orderState === 'awaiting_payment' && <Tag color="gold">{t('deliveries.orderAwaiting')}</Tag>}
          <div className="muted small">
            {d.deliveredAt
              ? t('deliveries.doneAt', { time: fmtTime(d.deliveredAt) })
              : d.failedAt
                ? t('deliveries.failedAt', { time: fmtTime(d.failedAt), reason: d.failReason ?? '' })
                : d.dispatchedAt
                  ? t('deliveries.outAt', { time: fmtTime(d.dispatchedAt) })
                  : ''}
          </div>
        </div>
      ),
    },
    ...(canOperate ? [{ title: t('common.actions'), width: 190, className: 'no-print', render: (_v: unknown, d: Delivery) => <StopActions d={d} /> }] : []),
  ];

  const data = routes.data;
  return (
    <div className="page deliveries-page">
      <div className="toolbar no-print">
        <Space wrap>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('deliveries.title')}
          </Typography.Title>
          <DatePicker allowClear={false} aria-label={t('deliveries.date')} value={dayjs(date)} onChange={(d) => d && setDate(d.format('YYYY-MM-DD'))} />
          {data && <Typography.Text type="secondary">{t('deliveries.total', { count: data.total })}</Typography.Text>}
        </Space>
        <Space wrap>
          <ListExportButtons name="deliveries" path={`/canteens/${seg(canteen.id)}/deliveries/export`} request={DeliveryExportQuery} query={{ date }} />
          <Button icon={<PrinterOutlined />} onClick={() => printOn('a4')} disabled={!data?.total} data-testid="deliveries-print">
            {t('deliveries.print')}
          </Button>
        </Space>
      </div>
      <div className="print-area">
        {data?.routes.map((r) => (
          <RouteSheet key={r.courier ?? '__none'} courier={r.courier} stops={r.stops} canteenName={canteen.name} date={date} />
        ))}
      </div>
      <div>
        {data && data.total === 0 && <Empty description={t('deliveries.empty')} />}
        {data?.routes.map((r) => (
          <Card
            key={r.courier ?? '__none'}
            size="small"
            className="route-card"
            data-testid={`route-${r.courier ?? 'unassigned'}`}
            title={
              <span>
                {r.courier ? t('deliveries.routeOf', { courier: r.courier, count: r.stops.length }) : `${t('deliveries.unassigned')}（${r.stops.length}）`}
              </span>
            }
            extra={
              r.courier === null && canOperate ? (
                <AssignBar ids={selected.filter((id) => r.stops.some((s) => s.id === id))} couriers={data.couriers} onDone={() => setSelected([])} />
              ) : null
            }
            style={{ marginBottom: 16 }}
          >
            <Table<Delivery>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={r.stops}
              columns={columns(r.courier !== null)}
              rowSelection={
                r.courier === null && canOperate
                  ? {
                      selectedRowKeys: selected,
                      onChange: (keys) => setSelected(keys as string[]),
                      getCheckboxProps: (d) => ({ disabled: d.state !== 'pending', 'aria-label': `${d.pickupNumber}` }),
                    }
                  : undefined
              }
              onRow={(d) => ({ 'data-testid': `delivery-row-${d.orderId}` }) as HTMLAttributes<HTMLTableRowElement>}
            />
          </Card>
        ))}
      </div>
    </div>
  );
}
