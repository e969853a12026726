import { Alert, App, Button, Form, Input, Modal, Popconfirm, Radio, Space, Typography } from 'antd';
import { CancelOrderRequest, ConfirmPaymentRequest } from '@yishi/shared/schemas';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useOrderAction, type Order, type OrderAction } from '../api/orders';
import { errorText } from '../lib/errors';
import { yuan } from '../lib/format';
import { rulesFor, showFormError } from '../lib/forms';

/** A data-testid for props objects (antd passes unknown props through to the DOM). */
export const testId = (id: string): object => ({ 'data-testid': id });

type Dialog = null | 'pay' | 'cancel' | 'refund';

/** Buttons for what an operator can do with an order in its current state. */
export function OrderActions({ order, compact = false }: { order: Order; compact?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = rulesFor(t);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [payForm] = Form.useForm<{ method: 'cash' | 'external'; reference?: string }>();
  const [reasonForm] = Form.useForm<{ reason: string }>();
  const n = order.pickupNumber;

  const mutation = useOrderAction(order);
  const act = (a: OrderAction) =>
    mutation.mutateAsync(a).then(
      () => setDialog(null),
      (e: unknown) => {
        // Only the dialogs have a form to mark; a button in the table says what went wrong in a message.
        const form = a.kind === 'pay' ? payForm : a.kind === 'cancel' || a.kind === 'refund' ? reasonForm : null;
        void message.error(form ? showFormError(form, e, t) : errorText(t, e));
      },
    );

  const size = compact ? 'small' : 'middle';
  const s = order.state;
  return (
    <>
      <Space size={4} wrap onClick={(e) => e.stopPropagation()}>
        {s === 'awaiting_payment' && (
          <Button
            size={size}
            type="primary"
            onClick={() => {
              payForm.resetFields();
              // 其他支付 from a kiosk: the reference typed there, for staff to check against what they received.
              if (order.paymentMethod === 'external') payForm.setFieldsValue({ method: 'external', reference: order.paymentReference ?? '' });
              setDialog('pay');
            }}
            data-testid={`order-pay-${order.id}`}
          >
            {t('orders.confirmPayment')}
          </Button>
        )}
        {s === 'paid' && (
          <Button size={size} type="primary" loading={mutation.isPending} onClick={() => void act({ kind: 'ready' })} data-testid={`order-ready-${order.id}`}>
            {t('orders.markReady')}
          </Button>
        )}
        {s === 'ready' && order.fulfilment === 'delivery' && (
          <Link to={`/canteens/${order.canteenId}/deliveries`} data-testid={`order-to-delivery-${order.id}`}>
            {t('orders.toDeliveries')}
          </Link>
        )}
        {s === 'ready' && order.fulfilment !== 'delivery' && (
          <Popconfirm title={t('orders.completeConfirm', { number: n })} onConfirm={() => act({ kind: 'completed' })}>
            <Button size={size} data-testid={`order-complete-${order.id}`}>
              {t('orders.complete')}
            </Button>
          </Popconfirm>
        )}
        {s === 'awaiting_payment' && (
          <Button
            size={size}
            danger
            type="text"
            onClick={() => {
              reasonForm.resetFields();
              setDialog('cancel');
            }}
            data-testid={`order-cancel-${order.id}`}
          >
            {t('orders.cancel')}
          </Button>
        )}
        {(s === 'paid' || s === 'ready' || s === 'completed') && (
          <Button
            size={size}
            danger
            type="text"
            onClick={() => {
              reasonForm.resetFields();
              setDialog('refund');
            }}
            data-testid={`order-refund-${order.id}`}
          >
            {t('orders.refund')}
          </Button>
        )}
      </Space>

      <Modal
        open={dialog === 'pay'}
        title={t('orders.confirmPaymentTitle', { number: n })}
        okText={t('orders.confirmPayment')}
        okButtonProps={{ ...testId('payment-confirm') }}
        confirmLoading={mutation.isPending}
        onCancel={() => setDialog(null)}
        onOk={() => payForm.submit()}
        destroyOnHidden
      >
        <Typography.Paragraph>
          <span className="big-amount">{yuan(order.elderPaysFen)}</span>
          {order.residentName ? ` · ${order.residentName}` : ''}
        </Typography.Paragraph>
        {order.paymentMethod === 'external' && order.paymentReference && (
          <div data-testid="payment-claimed" style={{ marginBottom: 12 }}>
            <Alert type="warning" showIcon title={t('orders.checkReference', { reference: order.paymentReference })} />
          </div>
        )}
        <Form
          form={payForm}
          layout="vertical"
          initialValues={order.paymentMethod === 'external' ? { method: 'external', reference: order.paymentReference ?? '' } : { method: 'cash' }}
          onFinish={(v) => void act({ kind: 'pay', body: { method: v.method, reference: v.method === 'external' ? (v.reference ?? '').trim() : null } })}
        >
          <Form.Item name="method" label={t('orders.method')}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={[
                { value: 'cash', label: t('paymentMethods.cash') },
                { value: 'external', label: t('paymentMethods.external') },
              ]}
            />
          </Form.Item>
          <Form.Item noStyle dependencies={['method']}>
            {({ getFieldValue }) =>
              getFieldValue('method') === 'external' ? (
                <Form.Item
                  name="reference"
                  label={t('orders.reference')}
                  extra={t('orders.referenceHint')}
                  rules={rules(ConfirmPaymentRequest.shape.reference.unwrap().unwrap(), 'reference')}
                >
                  <Input autoFocus data-testid="payment-reference" />
                </Form.Item>
              ) : null
            }
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={dialog === 'cancel' || dialog === 'refund'}
        title={dialog === 'refund' ? t('orders.refundTitle', { number: n }) : t('orders.cancelTitle', { number: n })}
        okText={dialog === 'refund' ? t('orders.refund') : t('orders.cancel')}
        okButtonProps={{ danger: true, ...testId('order-reason-ok') }}
        confirmLoading={mutation.isPending}
        onCancel={() => setDialog(null)}
        onOk={() => reasonForm.submit()}
        destroyOnHidden
      >
        {dialog === 'refund' && (
          <Typography.Paragraph type="warning">
            {t('orders.refundWarn')} <b>{yuan(order.elderPaysFen)}</b>
          </Typography.Paragraph>
        )}
        <Form form={reasonForm} layout="vertical" onFinish={(v) => void act({ kind: dialog === 'refund' ? 'refund' : 'cancel', reason: v.reason.trim() })}>
          <Form.Item name="reason" label={t('common.reason')} rules={rules(CancelOrderRequest.shape.reason, 'reason')}>
            <Input.TextArea rows={2} maxLength={200} placeholder={t('orders.reasonPlaceholder')} autoFocus data-testid="order-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
