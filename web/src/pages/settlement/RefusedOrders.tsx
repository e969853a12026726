import { App, Button, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useHandleRefused, useRefusedOrders, type RefusedOrder } from '../../api/reviews';
import { ErrorResult } from '../../components/PageState';
import { errorText } from '../../lib/errors';
import { fmtDateTime, yuan } from '../../lib/format';

const PAGE = 50;
export const REFUSED_STATUSES = ['open', 'handled', 'all'] as const;
export type RefusedStatus = (typeof REFUSED_STATUSES)[number];

/**
 * 被拒收: orders a kiosk took with the network down that the server refused when they arrived (a card the kiosk
 * could not prove, a cache too old …). No order was stored, but the elder ate, and paid at the counter or not:
 * staff find the order by the 尾号 the kiosk gave the elder, settle the money, and mark it handled.
 */
export function RefusedOrders(props: { from: string; to: string; canteenId?: string; status: RefusedStatus; page: number; onPage: (p: number) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useRefusedOrders({
    from: props.from,
    to: props.to,
    status: props.status,
    ...(props.canteenId ? { canteenId: props.canteenId } : {}),
    limit: PAGE,
    offset: (props.page - 1) * PAGE,
  });
  const handle = useHandleRefused();
  const [acting, setActing] = useState<RefusedOrder | null>(null);
  const [form] = Form.useForm<{ note: string }>();

  const submit = async () => {
    if (!acting) return;
    const { note } = await form.validateFields();
    handle.mutate(
      { orderId: acting.orderId, note: (note ?? '').trim() },
      {
        onSuccess: () => {
          message.success(t('lateReviews.refused.handled'));
          setActing(null);
          form.resetFields();
        },
        onError: (e) => message.error(errorText(t, e)),
      },
    );
  };

  const columns: ColumnsType<RefusedOrder> = [
    {
      title: t('lateReviews.meal'),
      width: 150,
      render: (_v, r) => (
        <span>
          {r.serviceDate} {t(`mealPeriods.${r.mealPeriod}`)}
          <br />
          <Typography.Text type="secondary" className="small">
            {r.madeAt
              ? t('lateReviews.refused.madeAt', { time: fmtDateTime(r.madeAt) })
              : t('lateReviews.refused.receivedAt', { time: fmtDateTime(r.receivedAt) })}
          </Typography.Text>
        </span>
      ),
    },
    { title: t('lateReviews.canteen'), width: 110, dataIndex: 'canteenName' },
    { title: t('lateReviews.refused.kiosk'), width: 100, render: (_v, r) => r.deviceName ?? '—' },
    {
      title: t('lateReviews.refused.ref'),
      width: 100,
      render: (_v, r) => (
        <Typography.Text code copyable={{ text: r.ref }} data-testid={`refused-ref-${r.orderId}`}>
          {r.ref}
        </Typography.Text>
      ),
    },
    { title: t('lateReviews.resident'), width: 90, render: (_v, r) => r.residentName ?? t('lateReviews.guest') },
    { title: t('lateReviews.refused.dishes'), render: (_v, r) => r.lines.map((l) => `${l.name}×${l.quantity}`).join(t('common.listSep')) },
    {
      title: t('lateReviews.refused.shown'),
      width: 150,
      render: (_v, r) => (
        <span data-testid={`refused-shown-${r.orderId}`} data-pays={r.quotedElderPaysFen}>
          {t('lateReviews.refused.owed', { method: t(`paymentMethods.${r.paymentMethod}`), amount: yuan(r.quotedElderPaysFen) })}
          {r.quotedElderSubsidyFen > 0 && (
            <>
              <br />
              <Typography.Text type="secondary" className="small">
                {t('lateReviews.subsidy', { amount: yuan(r.quotedElderSubsidyFen) })}
              </Typography.Text>
            </>
          )}
        </span>
      ),
    },
    {
      title: t('lateReviews.refused.why'),
      width: 220,
      render: (_v, r) => <span data-testid={`refused-why-${r.orderId}`}>{t(`errors.${r.code}`, { defaultValue: r.message })}</span>,
    },
    {
      title: t('lateReviews.result'),
      width: 200,
      render: (_v, r) =>
        r.handledAt ? (
          <span data-testid={`refused-result-${r.orderId}`}>
            <Tag color="green">{t('lateReviews.refused.done')}</Tag>
            <Typography.Text type="secondary" className="small">
              {t('lateReviews.resolvedBy', { name: r.handledByName ?? '—', time: fmtDateTime(r.handledAt) })}
              {r.handledNote ? `${t('common.colon')}${r.handledNote}` : ''}
            </Typography.Text>
          </span>
        ) : (
          <Button size="small" type="primary" onClick={() => setActing(r)} data-testid={`refused-handle-${r.orderId}`}>
            {t('lateReviews.refused.handle')}
          </Button>
        ),
    },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 900 }}>
        {t('lateReviews.refused.intro')}
      </Typography.Paragraph>
      {list.isError && <ErrorResult error={list.error} onRetry={() => void list.refetch()} />}
      <Table<RefusedOrder>
        rowKey="orderId"
        size="middle"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('lateReviews.refused.empty') }}
        scroll={{ x: 1200 }}
        pagination={{
          current: props.page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t('common.total', { count: n }),
          onChange: props.onPage,
        }}
        onRow={(r) => ({ 'data-testid': `refused-row-${r.orderId}` }) as HTMLAttributes<HTMLTableRowElement>}
      />
      <Modal
        open={!!acting}
        title={t('lateReviews.refused.handleTitle', { ref: acting?.ref ?? '' })}
        okText={t('lateReviews.refused.handle')}
        okButtonProps={{ loading: handle.isPending, 'data-testid': 'refused-ok' }}
        onOk={() => void submit()}
        onCancel={() => {
          setActing(null);
          form.resetFields();
        }}
        destroyOnHidden
      >
        <Typography.Paragraph>
          {acting && t('lateReviews.refused.handleHint', { method: t(`paymentMethods.${acting.paymentMethod}`), amount: yuan(acting.quotedElderPaysFen) })}
        </Typography.Paragraph>
        <Form form={form} layout="vertical">
          <Form.Item name="note" label={t('lateReviews.note')}>
            <Input.TextArea rows={3} maxLength={500} data-testid="refused-note" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
