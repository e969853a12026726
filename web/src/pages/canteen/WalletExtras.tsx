import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { ButtonProps } from 'antd';
import { App, Button, Descriptions, Form, Input, Modal, Radio, Table, Tag, Typography } from 'antd';
import { PAYOUT_METHODS } from '@yishi/shared/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersApi } from '../../api/orders';
import { residentsApi, usePayout, type ResidentDetail, type WalletReceipt } from '../../api/residents';
import { useCanteenCtx } from '../../layout/canteenContext';
import { errorText } from '../../lib/errors';
import { clientId, fmtDateTime, yuan } from '../../lib/format';
import { showFormError } from '../../lib/forms';
import { printOn } from '../../lib/print';
import { PrintSheet } from '../../components/PrintSheet';
import { STATE_COLORS } from './OrdersPage';

/** The receipt as it goes on paper: plain table, no antd layout, so it keeps its shape on an 80 mm roll or A4. */
function ReceiptSheet({ r }: { r: WalletReceipt }) {
  const { t } = useTranslation();
  const method = r.method ? t(r.kind === 'payout' ? `payoutMethods.${r.method}` : `paymentMethods.${r.method}`, { defaultValue: r.method }) : null;
  const rows: [string, string][] = [
    [t('walletUi.receiptNo'), r.receiptNo],
    [t('walletUi.resident'), r.residentName],
    [
      t(r.kind === 'payout' ? 'walletUi.paidOut' : 'walletUi.received'),
      `${yuan(r.amountFen)}${method ? `（${method}）` : ''}${r.reference ? ` ${r.reference}` : ''}`,
    ],
    [t(r.kind === 'payout' ? 'walletUi.balanceAfterPayout' : 'walletUi.balanceAfter'), yuan(r.balanceAfterFen)],
    ...(r.recipient
      ? [
          [
            t('walletUi.recipient'),
            `${r.recipient.name}（${r.recipient.relation}）${r.recipient.idLast4 ? ` ****${r.recipient.idLast4}` : ''}${r.recipient.phoneMasked ? ` ${r.recipient.phoneMasked}` : ''}`,
          ] as [string, string],
        ]
      : []),
    [t('walletUi.operator'), r.operatorName ?? '—'],
    [t('walletUi.time'), fmtDateTime(r.createdAt)],
  ];
  return (
    <PrintSheet testId="receipt-sheet">
      <h2>{r.canteenName}</h2>
      <h3>{t(r.kind === 'payout' ? 'walletUi.payoutReceiptTitle' : 'walletUi.receiptTitle')}</h3>
      <table className="close-table">
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th>{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.recipient && (
        <div className="signatures">
          <span>{t('walletUi.signature')}________________</span>
        </div>
      )}
    </PrintSheet>
  );
}

/**
 * A top-up receipt or payout record. Printing prints the receipt alone (`printOn(…, { sheet: true })`): a top-up
 * on the counter's 80 mm roll, a payout record (signed by the family member, kept on file) on A4.
 */
export function ReceiptDialog({ entryId, onClose }: { entryId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const receipt = useQuery({ queryKey: ['receipt', entryId], queryFn: () => residentsApi.receipt(entryId) });
  const r: WalletReceipt | undefined = receipt.data;
  return (
    <Modal
      open
      onCancel={onClose}
      title={r ? t(r.kind === 'payout' ? 'walletUi.payoutReceiptTitle' : 'walletUi.receiptTitle') : t('walletUi.receipt')}
      footer={[
        <Button key="close" onClick={onClose}>
          {t('common.close')}
        </Button>,
        <Button
          key="print"
          type="primary"
          icon={<PrinterOutlined />}
          disabled={!r}
          onClick={() => r && printOn(r.kind === 'payout' ? 'a4' : '80mm', { sheet: true })}
          data-testid="receipt-print"
        >
          {t('walletUi.printReceipt')}
        </Button>,
      ]}
    >
      {r && <ReceiptSheet r={r} />}
      {receipt.isError && <Typography.Text type="danger">{errorText(t, receipt.error)}</Typography.Text>}
      {r && (
        <div data-testid="receipt">
          <Typography.Title level={5} style={{ textAlign: 'center' }}>
            {r.canteenName}
          </Typography.Title>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('walletUi.receiptNo')}>
              <span className="mono" data-testid="receipt-no">
                {r.receiptNo}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('walletUi.resident')}>{r.residentName}</Descriptions.Item>
            <Descriptions.Item label={t(r.kind === 'payout' ? 'walletUi.paidOut' : 'walletUi.received')}>
              <b data-testid="receipt-amount">{yuan(r.amountFen)}</b>
              {r.method ? `（${t(r.kind === 'payout' ? `payoutMethods.${r.method}` : `paymentMethods.${r.method}`, { defaultValue: r.method })}）` : ''}
              {r.reference ? ` ${r.reference}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t(r.kind === 'payout' ? 'walletUi.balanceAfterPayout' : 'walletUi.balanceAfter')}>
              {yuan(r.balanceAfterFen)}
            </Descriptions.Item>
            {r.recipient && (
              <Descriptions.Item label={t('walletUi.recipient')}>
                {r.recipient.name}（{r.recipient.relation}）{r.recipient.idLast4 ? ` ****${r.recipient.idLast4}` : ''}
                {r.recipient.phoneMasked ? ` ${r.recipient.phoneMasked}` : ''}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('walletUi.operator')}>{r.operatorName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('walletUi.time')}>{fmtDateTime(r.createdAt)}</Descriptions.Item>
          </Descriptions>
          {r.recipient && <p style={{ marginTop: 24 }}>{t('walletUi.signature')}</p>}
        </div>
      )}
    </Modal>
  );
}

interface PayoutForm {
  recipientName: string;
  recipientRelation: string;
  recipientIdLast4?: string;
  recipientPhone?: string;
  method: 'cash' | 'transfer';
  reference?: string;
  note?: string;
}

/** A deceased or moved-out resident's balance, paid out to a named family member; the wallet is closed after it. */
export function PayoutDialog({
  r,
  balanceFen,
  onClose,
  onDone,
}: {
  r: ResidentDetail;
  balanceFen: number;
  onClose: () => void;
  onDone: (entryId: string) => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { canteen } = useCanteenCtx();
  const [form] = Form.useForm<PayoutForm>();
  const method = Form.useWatch('method', form);
  const payout = usePayout(r.id);
  const [id] = useState(() => clientId());
  const submit = (v: PayoutForm) =>
    modal.confirm({
      title: t('walletUi.payoutConfirm', { amount: yuan(balanceFen), name: v.recipientName }),
      okButtonProps: { 'data-testid': 'payout-confirm-ok' } as ButtonProps,
      onOk: () =>
        new Promise<void>((resolve) =>
          payout.mutate(
            {
              id,
              canteenId: canteen.id,
              recipientName: v.recipientName,
              recipientRelation: v.recipientRelation,
              recipientIdLast4: v.recipientIdLast4?.trim() || null,
              recipientPhone: v.recipientPhone?.trim() || null,
              method: v.method,
              reference: v.reference?.trim() || null,
              note: v.note?.trim() || null,
            },
            {
              onSuccess: (w) => {
                message.success(t('walletUi.payoutDone', { amount: yuan(balanceFen) }));
                if (w.payout) onDone(w.payout.entryId);
                resolve();
              },
              onError: (e) => {
                message.error(showFormError(form, e, t));
                resolve();
              },
            },
          ),
        ),
    });
  return (
    <Modal
      open
      title={`${t('walletUi.payout')} · ${r.name}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: payout.isPending, 'data-testid': 'payout-submit' } as ButtonProps}
    >
      <Typography.Paragraph type="secondary">
        {t('walletUi.payoutHint', { status: t(`residentStatus.${r.status}`), amount: yuan(balanceFen) })}
      </Typography.Paragraph>
      <Form<PayoutForm> form={form} layout="vertical" initialValues={{ method: 'cash' }} onFinish={submit} data-testid="payout-form">
        <Form.Item name="recipientName" label={t('walletUi.recipientName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={30} data-testid="payout-name" />
        </Form.Item>
        <Form.Item name="recipientRelation" label={t('walletUi.relation')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={20} placeholder="儿子 / 女儿 / 配偶" data-testid="payout-relation" />
        </Form.Item>
        <Form.Item
          name="recipientIdLast4"
          label={t('walletUi.idLast4')}
          dependencies={['recipientPhone']}
          rules={[
            { pattern: /^\d{3}[\dXx]$/, message: t('walletUi.idLast4') },
            ({ getFieldValue }) => ({
              validator: (_r, v: string | undefined) =>
                v?.trim() || (getFieldValue('recipientPhone') as string | undefined)?.trim()
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('walletUi.oneOfIdPhone'))),
            }),
          ]}
        >
          <Input maxLength={4} style={{ width: 120 }} data-testid="payout-id4" />
        </Form.Item>
        <Form.Item name="recipientPhone" label={t('walletUi.phone')}>
          <Input maxLength={13} style={{ width: 200 }} data-testid="payout-phone" />
        </Form.Item>
        <Form.Item name="method" label={t('walletUi.payoutMethod')}>
          <Radio.Group optionType="button" options={PAYOUT_METHODS.map((m) => ({ value: m, label: t(`payoutMethods.${m}`) }))} />
        </Form.Item>
        {method === 'transfer' && (
          <Form.Item name="reference" label={t('walletUi.payoutReference')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={64} data-testid="payout-reference" />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('walletUi.note')}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The resident's orders, newest first, a page at a time. */
export function ResidentOrders({ r }: { r: ResidentDetail }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const PAGE = 10;
  const orders = useQuery({
    queryKey: ['residentOrders', r.id, page],
    queryFn: ({ signal }) => ordersApi.list({ residentId: r.id, limit: PAGE, offset: (page - 1) * PAGE }, signal),
    placeholderData: (prev) => prev,
  });
  return (
    <Table
      size="small"
      rowKey="id"
      loading={orders.isFetching}
      dataSource={orders.data?.items ?? []}
      locale={{ emptyText: t('walletUi.noOrders') }}
      pagination={{
        current: page,
        pageSize: PAGE,
        total: orders.data?.total ?? 0,
        onChange: setPage,
        size: 'small',
        hideOnSinglePage: true,
        showSizeChanger: false,
      }}
      data-testid="resident-orders"
      columns={[
        { title: t('common.date'), width: 110, render: (_v, o) => `${o.serviceDate} ${t(`mealPeriods.${o.mealPeriod}`)}` },
        { title: t('orders.lines'), render: (_v, o) => o.lines.map((l) => `${l.name}×${l.quantity}`).join(t('common.listSep')) },
        { title: t('residents.amount'), align: 'right', width: 90, render: (_v, o) => yuan(o.elderPaysFen) },
        {
          title: t('orders.state'),
          width: 90,
          render: (_v, o) => <Tag color={STATE_COLORS[o.state]}>{t(`orderStates.${o.state}`)}</Tag>,
        },
      ]}
    />
  );
}
