import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { CreatePairingRequest } from '@yishi/shared/schemas';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeviceChanges, useDevices, type DeviceSummary, type PairingCode } from '../../api/devices';
import { ErrorResult } from '../../components/PageState';
import { useCanteenCtx } from '../../layout/canteenContext';
import { errorText } from '../../lib/errors';
import { fmtDateTime, fmtTime } from '../../lib/format';
import { rulesFor, showFormError } from '../../lib/forms';
import { useTick } from '../../lib/useTick';

function Countdown({ until }: { until: string }) {
  const { t } = useTranslation();
  const now = useTick(1000);
  const left = Math.max(0, Math.floor((Date.parse(until) - now) / 1000));
  if (left === 0) return <Typography.Text type="danger">{t('devices.expired')}</Typography.Text>;
  const mm = String(Math.floor(left / 60)).padStart(2, '0');
  const ss = String(left % 60).padStart(2, '0');
  return <Typography.Text type="secondary">{t('devices.expiresIn', { time: fmtTime(until), left: `${mm}:${ss}` })}</Typography.Text>;
}

export function DevicesPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const rules = rulesFor(t);
  const { canteen } = useCanteenCtx();
  const devices = useDevices(canteen.id);
  const { pair, revoke: revokeDevice } = useDeviceChanges(canteen.id);
  const [asking, setAsking] = useState(false);
  const [code, setCode] = useState<PairingCode | null>(null);
  const [form] = Form.useForm<{ name: string }>();

  const revoke = (d: DeviceSummary) =>
    modal.confirm({
      title: `${t('devices.revoke')} · ${d.name}`,
      content: t('devices.revokeConfirm'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await revokeDevice.mutateAsync(d.id);
        } catch (e) {
          message.error(errorText(t, e));
        }
      },
    });

  if (devices.isError) return <ErrorResult error={devices.error} onRetry={() => void devices.refetch()} />;
  const pretty = code ? `${code.code.slice(0, 4)} ${code.code.slice(4)}` : '';

  return (
    <div className="page">
      <div className="toolbar">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('devices.title')}
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            form.resetFields();
            setAsking(true);
          }}
          data-testid="pair-kiosk"
        >
          {t('devices.pair')}
        </Button>
      </div>
      <Table<DeviceSummary>
        data-testid="devices-table"
        rowKey="id"
        size="small"
        loading={devices.isPending}
        dataSource={devices.data ?? []}
        pagination={false}
        onRow={(d) => ({ 'data-testid': `device-row-${d.id}` }) as HTMLAttributes<HTMLTableRowElement>}
        columns={[
          { title: t('devices.name'), dataIndex: 'name', render: (v: string) => <b>{v}</b> },
          {
            title: t('devices.state'),
            width: 110,
            render: (_v, d) =>
              d.revokedAt ? (
                <Tag>{t('devices.revoked')}</Tag>
              ) : d.pairedAt ? (
                <Tag color="green">{t('devices.paired')}</Tag>
              ) : (
                <Tag color="gold">{t('devices.pending')}</Tag>
              ),
          },
          { title: t('devices.pairedAt'), width: 160, render: (_v, d) => fmtDateTime(d.pairedAt) },
          { title: t('devices.lastSeen'), width: 160, render: (_v, d) => (d.lastSeenAt ? fmtDateTime(d.lastSeenAt) : t('devices.never')) },
          {
            title: t('common.actions'),
            width: 90,
            render: (_v, d) =>
              !d.revokedAt && (
                <Button size="small" danger onClick={() => revoke(d)} data-testid={`device-revoke-${d.id}`}>
                  {t('devices.revoke')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={asking}
        title={t('devices.pairTitle')}
        onCancel={() => setAsking(false)}
        onOk={() => form.submit()}
        confirmLoading={pair.isPending}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) =>
            pair.mutate(v.name.trim(), {
              onSuccess: (c) => {
                setAsking(false);
                setCode(c);
              },
              onError: (e) => void message.error(showFormError(form, e, t)),
            })
          }
        >
          <Form.Item name="name" label={t('devices.pairName')} rules={rules(CreatePairingRequest.shape.name, 'name')}>
            <Input maxLength={40} autoFocus data-testid="pair-name" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!code}
        title={t('devices.codeTitle')}
        footer={
          <Button type="primary" onClick={() => setCode(null)}>
            {t('common.done')}
          </Button>
        }
        onCancel={() => setCode(null)}
        width={520}
      >
        {code && (
          <div className="pairing">
            <div className="pairing-code" data-testid="pairing-code" data-code={code.code}>
              {pretty}
            </div>
            <Countdown until={code.expiresAt} />
          </div>
        )}
      </Modal>
    </div>
  );
}
