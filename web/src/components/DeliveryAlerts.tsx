import { Alert, App, Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAcknowledge, useDeliveryAlerts, type DeliveryAlert } from '../api/operations';
import { errorText } from '../lib/errors';
import { fmtTime } from '../lib/format';

/**
 * A resident who lives alone was not reached by today's delivery: shown on every page of the console until
 * someone records how it was followed up.
 */
export function DeliveryAlerts({ canAcknowledge }: { canAcknowledge: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const alerts = useDeliveryAlerts(true);
  const ack = useAcknowledge();
  const [open, setOpen] = useState<DeliveryAlert | null>(null);
  const [form] = Form.useForm<{ note: string }>();
  const items = alerts.data?.items ?? [];
  if (!items.length) return null;
  const submit = async () => {
    // An empty field is shown on the form; nothing to send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { note } = values;
    try {
      await ack.mutateAsync({ id: open!.deliveryId, note });
      setOpen(null);
      form.resetFields();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  return (
    <div className="delivery-alerts" role="alert">
      {items.map((a) => (
        <Alert
          key={a.deliveryId}
          type="error"
          showIcon
          data-testid={`delivery-alert-${a.deliveryId}`}
          title={t('alerts.title')}
          description={`${fmtTime(a.alertAt)} · ${t('alerts.body', { canteen: a.canteenName, name: a.residentName ?? '—', address: a.address, reason: a.failReason ?? '' })}`}
          action={
            canAcknowledge ? (
              <Button size="small" danger onClick={() => setOpen(a)} data-testid={`delivery-alert-ack-${a.deliveryId}`}>
                {t('alerts.acknowledge')}
              </Button>
            ) : undefined
          }
          style={{ marginBottom: 8 }}
        />
      ))}
      <Modal
        open={!!open}
        title={t('alerts.ackTitle')}
        onCancel={() => setOpen(null)}
        onOk={() => void submit()}
        confirmLoading={ack.isPending}
        destroyOnHidden
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Form form={form} layout="vertical">
            <Form.Item name="note" label={t('alerts.ackTitle')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input.TextArea maxLength={100} placeholder={t('alerts.ackPlaceholder')} autoFocus />
            </Form.Item>
          </Form>
        </Space>
      </Modal>
    </div>
  );
}
