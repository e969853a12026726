import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAnomaly, useAnomalyOrders, useClaims, useResolveAnomaly, type AnomalyOrder, type ClaimSummary } from '../../api/settlement';
import { ErrorResult, FullPageSpin } from '../../components/PageState';
import { errorText } from '../../lib/errors';
import { fmtDateTime, yuan } from '../../lib/format';
import { AnomalyStatusTag, ClaimStateTag, useCategoryLabel } from './common';
import { anomalyText, localName } from './anomalyText';
import { usePolicyWords } from '../../lib/policyNames';

const PAGE = 20;

const SHARES = new Set(['share', 'cityShare', 'minShare']);

/** One figure behind an anomaly as a reviewer reads it: money in yuan, shares in per cent, words for codes. */
function useFigureText() {
  const { t, i18n } = useTranslation();
  const category = useCategoryLabel();
  const k = 'anomalies.sentences';
  const period = (p: unknown) => t(`mealPeriods.${String(p)}`);
  /** The structured figures (examples, serving hours, meal periods, records, claims) in the reader's words. */
  const item = (key: string, o: Record<string, unknown>): string => {
    const s = (x: unknown) => String(x ?? '');
    if (key === 'hours') return t(`${k}.servingHours`, { period: period(o.period), opens: s(o.opens), closes: s(o.closes) });
    if (key === 'slots') return t(`${k}.closedSlot`, { date: s(o.date), period: period(o.period), why: t(`${k}.closedWhy.${s(o.why)}`) });
    if (key === 'held')
      return t(`${k}.heldRecord`, {
        category: category(o.category as Parameters<typeof category>[0]),
        from: s(o.from),
        to: o.to ? s(o.to) : t(`${k}.stillHeld`),
      });
    if (key === 'claims') return t(`${k}.claimOf`, { period: s(o.period), payer: localName(i18n.language, s(o.payer), o.payerEn as string | null) });
    if (key === 'examples' && Array.isArray(o.canteens))
      return t(`${k}.doubleSlot`, { date: s(o.date), period: period(o.period), orders: s(o.orders), canteens: o.canteens.join(t(`${k}.sep`)) });
    if (key === 'examples')
      return t(`${k}.orderedAt`, { date: s(o.date), period: period(o.period), at: o.localDate === o.date ? s(o.time) : `${s(o.localDate)} ${s(o.time)}` });
    if (key === 'example') return `${s(o.serviceDate)} → ${s(o.refundedOn)}`;
    return JSON.stringify(o);
  };
  const text = (key: string, v: unknown, all: Record<string, unknown> = {}): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'object' && !Array.isArray(v)) return item(key, v as Record<string, unknown>);
    if (key === 'mealPeriod') return period(v);
    if (Array.isArray(v)) return v.length ? v.map((x) => text(key === 'capPrices' ? 'priceFen' : key, x)).join(t(`${k}.sep`)) : '—';
    if (typeof v === 'number') {
      if (key.endsWith('Fen')) return yuan(v);
      if (SHARES.has(key)) return `${(v * 100).toFixed(1)}%`;
      if (key === 'cityRatio') return `${v}×`;
      return String(v);
    }
    if (key === 'status') return t(`residentStatus.${String(v)}`, { defaultValue: String(v) });
    if (key === 'category') return category(v as Parameters<typeof category>[0]);
    if (key === 'layer') return localName(i18n.language, String(v), (all.layerEn as string | null | undefined) ?? null);
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
  return text;
}

/** One anomaly: what was found and on which orders; the reviewer explains or confirms it, then goes on to the claims. */
export function AnomalyPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const words = usePolicyWords();
  const figureText = useFigureText();
  const { message } = App.useApp();
  const anomaly = useAnomaly(id);
  const [page, setPage] = useState(1);
  const orders = useAnomalyOrders(id, { limit: PAGE, offset: (page - 1) * PAGE });
  const resolve = useResolveAnomaly();
  const categoryLabel = useCategoryLabel();
  const [how, setHow] = useState<'explain' | 'confirm' | null>(null);
  const [form] = Form.useForm<{ note: string }>();
  const a = anomaly.data;
  const claims = useClaims(a ? { month: a.periodFrom.slice(0, 7), canteenId: a.canteenId, limit: 50, offset: 0 } : { limit: 1, offset: 0 });

  if (anomaly.isError) return <ErrorResult error={anomaly.error} onRetry={() => void anomaly.refetch()} />;
  if (!a) return <FullPageSpin />;

  const submit = async () => {
    if (!how) return;
    // An empty note is shown on the field; nothing to send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { note } = values;
    resolve.mutate(
      { id, how, note: note.trim() },
      {
        onSuccess: () => {
          message.success(t('claims.done'));
          setHow(null);
        },
        onError: (e) => message.error(errorText(t, e)),
      },
    );
  };

  const orderColumns: ColumnsType<AnomalyOrder> = [
    { title: t('claims.serviceDate'), width: 140, render: (_v, o) => `${o.serviceDate} ${t(`mealPeriods.${o.mealPeriod}`)}` },
    { title: t('claims.resident'), width: 100, render: (_v, o) => o.residentName ?? t('claims.guest') },
    { title: t('claims.category'), width: 110, render: (_v, o) => categoryLabel(o.category) },
    { title: t('anomalies.createdAt'), width: 150, render: (_v, o) => fmtDateTime(o.createdAt) },
    { title: t('claims.identify'), width: 120, render: (_v, o) => t(`identifyMethods.${o.identifyMethod}`) },
    { title: t('anomalies.state'), width: 100, render: (_v, o) => t(`orderStates.${o.state}`) },
    { title: t('claims.mealPrice'), width: 90, align: 'right', render: (_v, o) => yuan(o.mealPriceFen) },
    { title: t('anomalies.amount'), width: 100, align: 'right', render: (_v, o) => yuan(o.subsidyFen) },
  ];

  const claimColumns: ColumnsType<ClaimSummary> = [
    {
      title: t('claims.payer'),
      render: (_v, c) => (
        <Link to={`/claims/${c.id}`} data-testid={`anomaly-claim-${c.id}`}>
          {words.payer(c.payer)}
        </Link>
      ),
    },
    { title: t('claims.period'), dataIndex: 'period', width: 100 },
    { title: t('claims.state'), width: 130, render: (_v, c) => <ClaimStateTag state={c.state} /> },
    { title: t('claims.disallowed'), width: 110, align: 'right', render: (_v, c) => (c.disallowedFen ? yuan(-c.disallowedFen) : '—') },
    { title: t('claims.total'), width: 120, align: 'right', render: (_v, c) => yuan(c.totalFen) },
  ];

  return (
    <div className="page" data-testid="anomaly-detail" data-status={a.status} data-kind={a.kind}>
      <div>
        <Link to={`/anomalies?month=${a.periodFrom.slice(0, 7)}`}>
          <ArrowLeftOutlined /> {t('anomalies.title')}
        </Link>
      </div>
      <Space align="center" wrap style={{ margin: '8px 0 12px' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {`${t(`anomalies.kinds.${a.kind}`)} · ${a.canteenName}`}
        </Typography.Title>
        <AnomalyStatusTag status={a.status} />
      </Space>
      <Alert
        type={a.status === 'open' ? 'warning' : 'info'}
        showIcon
        title={anomalyText(t, i18n.language, a)}
        style={{ marginBottom: 12 }}
        data-testid="anomaly-explanation"
      />
      {a.status === 'open' ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <Button onClick={() => setHow('explain')} data-testid="anomaly-explain">
            {t('anomalies.explain')}
          </Button>
          <Button danger type="primary" onClick={() => setHow('confirm')} data-testid="anomaly-confirm">
            {t('anomalies.confirm')}
          </Button>
        </Space>
      ) : (
        <Alert
          type={a.status === 'confirmed' ? 'error' : 'success'}
          style={{ marginBottom: 12 }}
          title={`${t(`anomalies.statuses.${a.status}`)}${t('common.colon')}${a.note ?? ''}`}
          description={`${t('anomalies.resolvedBy')}${t('common.colon')}${a.resolvedByName ?? '—'} · ${fmtDateTime(a.resolvedAt)}`}
          data-testid="anomaly-resolution"
        />
      )}
      <Card size="small" title={t('anomalies.detail')} style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('anomalies.canteen')}>{a.canteenName}</Descriptions.Item>
          <Descriptions.Item label={t('anomalies.resident')}>{a.residentName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('anomalies.dates')}>{a.firstDate === a.lastDate ? a.firstDate : `${a.firstDate} — ${a.lastDate}`}</Descriptions.Item>
          <Descriptions.Item label={t('anomalies.orders')}>{a.orderCount}</Descriptions.Item>
          <Descriptions.Item label={t('anomalies.amount')}>{yuan(a.amountFen)}</Descriptions.Item>
          <Descriptions.Item label={t('anomalies.month')}>{a.periodFrom.slice(0, 7)}</Descriptions.Item>
        </Descriptions>
        <Descriptions size="small" column={{ xs: 1, md: 3 }} title={t('anomalies.figures')} data-testid="anomaly-figures">
          {Object.entries(a.figures)
            .filter(([k]) => k !== 'layerEn')
            .map(([k, v]) => (
              <Descriptions.Item key={k} label={t(`anomalies.figureNames.${k}`, { defaultValue: k })}>
                {figureText(k, v, a.figures)}
              </Descriptions.Item>
            ))}
        </Descriptions>
      </Card>
      <Card size="small" title={t('claims.claimsOfAnomaly')} style={{ marginBottom: 12 }} data-testid="anomaly-claims">
        <Table<ClaimSummary>
          rowKey="id"
          size="small"
          columns={claimColumns}
          dataSource={claims.data?.items ?? []}
          pagination={false}
          loading={claims.isFetching}
        />
      </Card>
      <Card size="small" title={t('anomalies.ordersBehind')}>
        <Table<AnomalyOrder>
          rowKey="orderId"
          size="small"
          loading={orders.isFetching}
          columns={orderColumns}
          dataSource={orders.data?.items ?? []}
          pagination={{ current: page, pageSize: PAGE, total: orders.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          onRow={(o) => ({ 'data-testid': `anomaly-order-${o.orderId}` }) as HTMLAttributes<HTMLTableRowElement>}
        />
      </Card>
      <Modal
        open={!!how}
        title={how === 'confirm' ? t('anomalies.confirmTitle') : t('anomalies.explainTitle')}
        okText={how === 'confirm' ? t('anomalies.confirm') : t('anomalies.explainTitle')}
        okButtonProps={{ danger: how === 'confirm', loading: resolve.isPending, 'data-testid': 'anomaly-resolve-ok' }}
        onOk={() => void submit()}
        onCancel={() => setHow(null)}
        destroyOnHidden
      >
        {how === 'confirm' && <Alert type="warning" showIcon title={t('anomalies.confirmHint')} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="note" label={t('anomalies.note')} rules={[{ required: true, whitespace: true, min: 2, max: 500 }]}>
            <Input.TextArea rows={3} maxLength={500} showCount data-testid="anomaly-note" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
