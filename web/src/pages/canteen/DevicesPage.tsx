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

/** How far the kiosk's clock is off, in words ("快 3 分钟"); red past two minutes (orders are dated by it offline). */
function Drift({ ms }: { ms: number | null }) {
  const { t } = useTranslation();
  if (ms === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const off = Math.abs(ms);
  const text = off < 60_000 ? t('devices.driftSeconds', { n: Math.round(off / 1000) }) : t('devices.driftMinutes', { n: Math.round(off / 60_000) });
  // ms = server − kiosk: positive means the kiosk is behind.
  const label = off < 5_000 ? t('devices.driftNone') : t(ms > 0 ? 'devices.behind' : 'devices.ahead', { d: text });
  return <Typography.Text type={off > 120_000 ? 'danger' : undefined}>{label}</Typography.Text>;
}

/** The offline cache's age; red when it is older than a day (it stops working at 48 h). */
function CacheAge({ at, now }: { at: string | null; now: number }) {
  const { t } = useTranslation();
  if (!at) return <Typography.Text type="secondary">{t('devices.noCache')}</Typography.Text>;
  const min = Math.max(0, Math.round((now - Date.parse(at)) / 60_000));
  const text = min < 60 ? t('devices.minutesAgo', { n: min }) : t('devices.hoursAgo', { n: Math.round(min / 60) });
  return <Typography.Text type={min > 24 * 60 ? 'danger' : undefined}>{text}</Typography.Text>;
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
  const now = useTick(30_000);

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
                <Tag color={d.online ? 'green' : 'red'} data-testid={`device-online-${d.id}`} data-online={d.online ? 'true' : 'false'}>
                  {d.online ? t('devices.online') : t('devices.offline')}
                </Tag>
              ) : (
                <Tag color="gold">{t('devices.pending')}</Tag>
              ),
          },
          { title: t('devices.pairedAt'), width: 160, render: (_v, d) => fmtDateTime(d.pairedAt) },
          { title: t('devices.lastSeen'), width: 160, render: (_v, d) => (d.lastSeenAt ? fmtDateTime(d.lastSeenAt) : t('devices.never')) },
          {
            title: t('devices.waiting'),
            width: 110,
            render: (_v, d) =>
              d.pendingOrders === null ? (
                '—'
              ) : (
                <Typography.Text type={d.pendingOrders > 0 ? 'warning' : undefined} data-testid={`device-pending-${d.id}`}>
                  {d.pendingOrders}
                </Typography.Text>
              ),
          },
          { title: t('devices.drift'), width: 130, render: (_v, d) => <Drift ms={d.clockOffsetMs} /> },
          { title: t('devices.cacheAge'), width: 130, render: (_v, d) => <CacheAge at={d.cacheFetchedAt} now={now} /> },
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
