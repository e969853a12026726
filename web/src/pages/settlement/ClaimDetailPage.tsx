import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { localParts } from '@yishi/shared/domain';
import { formatYuan, parseYuan } from '@yishi/shared/money';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useMe } from '../../api/auth';
import { settlementFiles, useClaim, useClaimAction, useClaimOrders, type ClaimAction, type ClaimDetail, type ClaimOrder } from '../../api/settlement';
import { ExportButtons } from '../../components/ExportButtons';
import { ErrorResult, FullPageSpin } from '../../components/PageState';
import { errorText } from '../../lib/errors';
import { showFormError } from '../../lib/forms';
import { fmtDateTime, nowIn, yuan } from '../../lib/format';
import { ordersLink } from '../../routing/links';
import { allowed, globalNav } from '../../routing/nav';
import { claimSteps, type ClaimStep } from './claimSteps';
import { AnomalyStatusTag, ClaimStateTag, useCategoryLabel } from './common';
import { anomalyText } from './anomalyText';
import { usePolicyWords } from '../../lib/policyNames';

type Line = ClaimDetail['lines'][number];
type Disallowance = ClaimDetail['disallowances'][number];
type Adjustment = ClaimDetail['adjustments'][number];
type LaterAdjustment = ClaimDetail['laterAdjustments'][number];
type ClaimAnomaly = ClaimDetail['anomalies'][number];

/** What a reviewer is asked for before an action: a reason (required), a note (optional), a payment, or a confirmation. */
type Ask =
  { kind: 'return' | 'reject' } | { kind: 'check' | 'approve' } | { kind: 'disallow' | 'reinstate'; orderId: string; label: string } | { kind: 'pay' } | null;

const ORDERS_PAGE = 20;

export function ClaimDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const words = usePolicyWords();
  const { message, modal } = App.useApp();
  const claim = useClaim(id);
  const act = useClaimAction(id);
  const categoryLabel = useCategoryLabel();
  // An operator sees the anomalies of its claim but may not open the anomaly pages (reviewers only): no link to a 403.
  const role = useMe().data?.role;
  const anomalyPage = globalNav.find((n) => n.key === 'anomalies')!;
  const anomalyLink = (anomalyId: string, label: string, testId?: string) =>
    allowed(anomalyPage, role) ? (
      <Link to={`/anomalies/${anomalyId}`} data-testid={testId}>
        {label}
      </Link>
    ) : (
      <span data-testid={testId}>{label}</span>
    );
  const [ask, setAsk] = useState<Ask>(null);
  const [form] = Form.useForm<{ text?: string; amountYuan?: string; paidOn?: Dayjs; reference?: string }>();
  const [show, setShow] = useState<'all' | 'true' | 'false'>('all');
  const [page, setPage] = useState(1);
  const orders = useClaimOrders(id, { limit: ORDERS_PAGE, offset: (page - 1) * ORDERS_PAGE, ...(show === 'all' ? {} : { disallowed: show }) });

  if (claim.isError) return <ErrorResult error={claim.error} onRetry={() => void claim.refetch()} />;
  if (!claim.data) return <FullPageSpin />;
  const c = claim.data;

  const run = (a: ClaimAction) =>
    act.mutate(a, {
      onSuccess: () => {
        message.success(t('claims.done'));
        setAsk(null);
        form.resetFields();
      },
      // A refusal about a field of the payment (its date, its reference) is shown on that field as well.
      onError: (e) => message.error(a.kind === 'pay' ? showFormError(form, e, t, { rename: { amountFen: 'amountYuan' } }) : errorText(t, e)),
    });

  // A payment is dated between the approval and today (the server refuses any other date).
  const payToday = nowIn('Asia/Shanghai').date;
  const approvedOn = c.decidedAt ? localParts(new Date(c.decidedAt), 'Asia/Shanghai').date : null;
  const open = (a: NonNullable<Ask>) => {
    form.resetFields();
    // Today as the server counts it (Guangzhou), not the browser's own calendar: the server refuses a later date.
    if (a.kind === 'pay') form.setFieldsValue({ amountYuan: formatYuan(Math.max(0, c.totalFen), { symbol: false, grouping: false }), paidOn: dayjs(payToday) });
    setAsk(a);
  };

  const submitAsk = async () => {
    if (!ask) return;
    // An empty required field is shown on the form; nothing to send.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const text = v.text?.trim() ?? '';
    switch (ask.kind) {
      case 'return':
      case 'reject':
        return run({ kind: ask.kind, reason: text });
      case 'check':
      case 'approve':
        return run({ kind: ask.kind, ...(text ? { note: text } : {}) });
      case 'disallow':
      case 'reinstate':
        return run({ kind: ask.kind, orderId: ask.orderId, reason: text });
      case 'pay':
        return run({
          kind: 'pay',
          body: { amountFen: parseYuan(v.amountYuan ?? '') ?? 0, paidOn: v.paidOn!.format('YYYY-MM-DD'), reference: v.reference?.trim() ?? '' },
        });
    }
  };

  const lineColumns: ColumnsType<Line> = [
    { title: t('claims.category'), render: (_v, l) => categoryLabel(l.category) },
    { title: t('claims.mealPeriod'), render: (_v, l) => t(`mealPeriods.${l.mealPeriod}`) },
    { title: t('claims.kind'), render: (_v, l) => t(`claims.kinds.${l.kind}`) },
    { title: t('claims.orders'), dataIndex: 'orderCount', align: 'right' },
    { title: t('claims.amount'), align: 'right', render: (_v, l) => yuan(l.amountFen) },
    {
      title: t('claims.disallowed'),
      align: 'right',
      render: (_v, l) => (l.disallowedCount ? <span className="negative">{`${l.disallowedCount} · ${yuan(-l.disallowedFen)}`}</span> : '—'),
    },
    {
      title: t('claims.lineOrders'),
      width: 100,
      // The canteen's orders list over the claim's period, that meal (and delivery for a delivery subsidy).
      render: (_v, l) => (
        <Link
          to={ordersLink(c.canteenId, {
            from: c.periodFrom,
            to: c.periodTo,
            mealPeriod: l.mealPeriod,
            ...(l.kind === 'delivery' ? { fulfilment: 'delivery' as const } : {}),
          })}
          data-testid={`claim-line-orders-${l.id}`}
        >
          {t('claims.viewOrders')}
        </Link>
      ),
    },
  ];

  const disallowanceColumns: ColumnsType<Disallowance> = [
    { title: t('claims.serviceDate'), width: 150, render: (_v, d) => `${d.serviceDate} ${t(`mealPeriods.${d.mealPeriod}`)}` },
    { title: t('claims.resident'), width: 100, render: (_v, d) => d.residentName ?? t('claims.guest') },
    { title: t('claims.amount'), width: 100, align: 'right', render: (_v, d) => <span className="negative">{yuan(-d.amountFen)}</span> },
    { title: t('claims.reason'), dataIndex: 'reason' },
    {
      title: t('claims.source'),
      width: 110,
      render: (_v, d) => (d.anomalyId ? anomalyLink(d.anomalyId, t(`claims.sources.${d.source}`)) : t(`claims.sources.${d.source}`)),
    },
    { title: t('claims.by'), width: 140, render: (_v, d) => `${d.byName ?? t('audit.system')} · ${fmtDateTime(d.at)}` },
    ...(c.can.disallow
      ? [
          {
            title: t('common.actions'),
            width: 90,
            render: (_v: unknown, d: Disallowance) => (
              <Button size="small" onClick={() => open({ kind: 'reinstate', orderId: d.orderId, label: `${d.serviceDate} ${d.residentName ?? ''}` })}>
                {t('claims.reinstate')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  // An adjustment this claim carries and one made after it (carried by a later claim) read alike: why, how much, the note.
  const adjustmentFacts = <A extends Pick<Adjustment, 'reason' | 'amountFen' | 'note'>>(): ColumnsType<A> => [
    { title: t('claims.reason'), width: 160, render: (_v, a) => t(`claims.adjustmentReasons.${a.reason}`) },
    {
      title: t('claims.amount'),
      width: 100,
      align: 'right',
      render: (_v, a) => <span className={a.amountFen < 0 ? 'negative' : ''}>{yuan(a.amountFen)}</span>,
    },
    { title: t('anomalies.note'), dataIndex: 'note' },
  ];

  const adjustmentColumns: ColumnsType<Adjustment> = [
    { title: t('claims.sourcePeriod'), dataIndex: 'sourcePeriod', width: 110 },
    ...adjustmentFacts<Adjustment>(),
    { title: t('claims.by'), width: 180, render: (_v, a) => `${a.createdByName ?? t('audit.system')} · ${fmtDateTime(a.createdAt)}` },
  ];

  const laterColumns: ColumnsType<LaterAdjustment> = [
    ...adjustmentFacts<LaterAdjustment>(),
    {
      title: t('claims.carriedBy'),
      width: 180,
      render: (_v, a) =>
        a.claimId ? (
          <Link to={`/claims/${a.claimId}`}>{t('claims.carriedInto', { period: a.period ?? '' })}</Link>
        ) : (
          <Tag color="orange">{t('claims.waitingNext')}</Tag>
        ),
    },
  ];

  const anomalyColumns: ColumnsType<ClaimAnomaly> = [
    {
      title: t('anomalies.kind'),
      width: 200,
      render: (_v, a) => anomalyLink(a.id, t(`anomalies.kinds.${a.kind}`), `claim-anomaly-${a.id}`),
    },
    { title: t('anomalies.status'), width: 110, render: (_v, a) => <AnomalyStatusTag status={a.status} /> },
    { title: t('anomalies.orders'), dataIndex: 'orderCount', width: 70, align: 'right' },
    { title: t('anomalies.explanation'), render: (_v, a) => anomalyText(t, i18n.language, a) },
    { title: t('anomalies.note'), width: 200, render: (_v, a) => a.note ?? '—' },
  ];

  const orderColumns: ColumnsType<ClaimOrder> = [
    { title: t('claims.serviceDate'), width: 130, render: (_v, o) => `${o.serviceDate} ${t(`mealPeriods.${o.mealPeriod}`)}` },
    { title: t('claims.resident'), width: 90, render: (_v, o) => o.residentName ?? t('claims.guest') },
    { title: t('claims.category'), width: 100, render: (_v, o) => categoryLabel(o.category) },
    { title: t('claims.identify'), width: 110, render: (_v, o) => t(`identifyMethods.${o.identifyMethod}`) },
    { title: t('claims.mealPrice'), width: 80, align: 'right', render: (_v, o) => yuan(o.mealPriceFen) },
    { title: t('claims.amount'), width: 90, align: 'right', render: (_v, o) => <b>{yuan(o.amountFen)}</b> },
    {
      title: t('claims.state'),
      render: (_v, o) => (
        <Space size={4} wrap>
          {o.disallowed && (
            <Tag color="volcano" title={o.disallowed.reason}>
              {t('claims.disallowed')}
            </Tag>
          )}
          {o.anomalies.map((k) => (
            <Tag key={k} color="orange">
              {t(`anomalies.kinds.${k}`)}
            </Tag>
          ))}
        </Space>
      ),
    },
    ...(c.can.disallow
      ? [
          {
            title: t('common.actions'),
            width: 90,
            render: (_v: unknown, o: ClaimOrder) =>
              o.disallowed ? null : (
                <Button
                  size="small"
                  danger
                  onClick={() => open({ kind: 'disallow', orderId: o.orderId, label: `${o.serviceDate} ${o.residentName ?? ''} ${yuan(o.amountFen)}` })}
                  data-testid={`claim-disallow-${o.orderId}`}
                >
                  {t('claims.disallow')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  const askTitle: Record<NonNullable<Ask>['kind'], string> = {
    return: t('claims.sendBack'),
    reject: t('claims.reject'),
    check: t('claims.check'),
    approve: t('claims.approve'),
    disallow: t('claims.disallowTitle'),
    reinstate: t('claims.reinstateTitle'),
    pay: t('claims.pay'),
  };
  // Who did each review step of this round, from the log: a return or a rejection is shown as one.
  const steps = claimSteps(c.events);
  const reasonRequired = ask && ['return', 'reject', 'disallow', 'reinstate'].includes(ask.kind);
  // Sent back to the operator: why, from whom, first thing on the page (not only at the foot, in the log).
  const sentBack =
    c.state === 'returned' || c.state === 'rejected'
      ? [...c.events].reverse().find((e) => e.action === (c.state === 'rejected' ? 'rejected' : 'returned') && e.reason)
      : undefined;

  return (
    <div className="page" data-testid="claim-detail" data-state={c.state}>
      <div>
        <Link to={`/claims?month=${c.periodFrom.slice(0, 7)}`}>
          <ArrowLeftOutlined /> {t('claims.back')}
        </Link>
      </div>
      <Space align="center" wrap style={{ margin: '8px 0 12px' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {`${c.canteenName} · ${words.payer(c.payer)} · ${c.period}`}
        </Typography.Title>
        <ClaimStateTag state={c.state} />
        {c.revision > 1 && <Tag>{t('claims.revision', { n: c.revision })}</Tag>}
        {c.cadence === 'quarter' && <Tag>{t('claims.cadences.quarter')}</Tag>}
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <ExportButtons
          formats={['pdf', 'xlsx']}
          run={(format, onProgress, signal) => settlementFiles.claim(id, format, onProgress, signal)}
          testId="claim-export"
        />
        {c.can.submit && (
          <Button
            type="primary"
            loading={act.isPending}
            onClick={() => modal.confirm({ title: t('claims.submit'), content: t('claims.submitConfirm'), onOk: () => run({ kind: 'submit' }) })}
            data-testid="claim-submit"
          >
            {t('claims.submit')}
          </Button>
        )}
        {c.can.check && (
          <Button type="primary" onClick={() => open({ kind: 'check' })} data-testid="claim-check">
            {t('claims.check')}
          </Button>
        )}
        {c.can.sendBack && (
          <Button onClick={() => open({ kind: 'return' })} data-testid="claim-return">
            {t('claims.sendBack')}
          </Button>
        )}
        {c.can.approve && (
          <Button type="primary" onClick={() => open({ kind: 'approve' })} data-testid="claim-approve">
            {t('claims.approve')}
          </Button>
        )}
        {c.can.reject && (
          <Button danger onClick={() => open({ kind: 'reject' })} data-testid="claim-reject">
            {t('claims.reject')}
          </Button>
        )}
        {c.can.pay && (
          <Button type="primary" onClick={() => open({ kind: 'pay' })} data-testid="claim-pay">
            {t('claims.pay')}
          </Button>
        )}
      </Space>
      {(c.state === 'approved' || c.state === 'paid') && <Alert type="success" showIcon title={t('claims.frozen')} style={{ marginBottom: 12 }} />}
      {sentBack && (
        <Alert
          type={c.state === 'rejected' ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="claim-sent-back"
          title={t(c.state === 'rejected' ? 'claims.rejectedBecause' : 'claims.returnedBecause', { by: sentBack.byName ?? '—', at: fmtDateTime(sentBack.at) })}
          description={sentBack.reason}
        />
      )}
      {c.state === 'checked' && c.can.reject && !c.can.approve && (
        // The district sees 驳回 but no 审批通过 while an anomaly is open (the server refuses it): say why, and what to do.
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="claim-approve-blocked"
          title={t('claims.approveBlocked', { count: c.anomalies.filter((a) => a.status === 'open').length })}
        />
      )}
      {c.state === 'draft' && c.can.regenerate && !c.can.submit && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="claim-period-open"
          title={t('claims.periodOpen', { date: dayjs(c.periodTo).add(1, 'day').format('YYYY-MM-DD') })}
        />
      )}

      {c.pendingAdjustmentFen !== 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="claim-pending-adjustment"
          title={t('claims.laterPending', { amount: yuan(c.pendingAdjustmentFen) })}
        />
      )}

      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={12} md={4}>
          <Statistic title={t('claims.orders')} value={c.orderCount} />
        </Col>
        <Col xs={12} md={5}>
          <Statistic title={t('claims.claimed')} value={yuan(c.claimedFen)} />
        </Col>
        <Col xs={12} md={5}>
          <Statistic title={t('claims.disallowed')} value={c.disallowedFen ? yuan(-c.disallowedFen) : '—'} data-testid="claim-disallowed-fen" />
        </Col>
        <Col xs={12} md={5}>
          <Statistic title={t('claims.adjustment')} value={c.adjustmentFen ? yuan(c.adjustmentFen) : '—'} />
        </Col>
        <Col xs={24} md={5}>
          <Statistic title={t('claims.total')} value={yuan(c.totalFen)} data-testid="claim-total" />
        </Col>
      </Row>

      <Card size="small" title={t('claims.summary')} style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('claims.operator')}>{c.operatorName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('claims.street')}>{c.streetName ?? c.streetCode}</Descriptions.Item>
          <Descriptions.Item label={t('claims.district')}>{c.districtName ?? c.districtCode}</Descriptions.Item>
          <Descriptions.Item label={t('claims.period')}>{`${c.periodFrom} — ${c.periodTo}`}</Descriptions.Item>
          <Descriptions.Item label={t('claims.submittedBy')}>
            <span data-testid="claim-submitted-by">{c.submittedAt ? `${c.submittedByName ?? ''} ${fmtDateTime(c.submittedAt)}` : '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('claims.checkedBy')}>
            <StepBy step={steps.firstReview} testId="claim-checked-by" />
          </Descriptions.Item>
          <Descriptions.Item label={t('claims.decidedBy')}>
            <StepBy step={steps.decision} testId="claim-decided-by" />
          </Descriptions.Item>
          <Descriptions.Item label={t('claims.paidBy')}>
            {c.paidOn ? `${c.paidByName ?? ''} ${c.paidOn} ${yuan(c.paidFen ?? 0)} ${c.paymentReference ?? ''}` : '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card size="small" title={t('claims.anomalies')} style={{ marginBottom: 12 }} data-testid="claim-anomalies">
        <Table<ClaimAnomaly>
          rowKey="id"
          size="small"
          columns={anomalyColumns}
          dataSource={c.anomalies}
          pagination={false}
          locale={{ emptyText: t('claims.noAnomalies') }}
        />
      </Card>

      <Card size="small" title={t('claims.lines')} style={{ marginBottom: 12 }}>
        <Typography.Paragraph type="secondary" className="small" style={{ marginBottom: 8 }}>
          {t('claims.lineOrdersHint')}
        </Typography.Paragraph>
        <Table<Line> rowKey="id" size="small" columns={lineColumns} dataSource={c.lines} pagination={false} />
      </Card>

      <Card size="small" title={t('claims.disallowances')} style={{ marginBottom: 12 }} data-testid="claim-disallowances">
        <Table<Disallowance>
          rowKey="id"
          size="small"
          columns={disallowanceColumns}
          dataSource={c.disallowances}
          pagination={c.disallowances.length > 20 ? { pageSize: 20 } : false}
          locale={{ emptyText: t('claims.noDisallowances') }}
          onRow={(d) => ({ 'data-testid': `claim-disallowance-${d.orderId}` }) as HTMLAttributes<HTMLTableRowElement>}
        />
      </Card>

      <Card size="small" title={t('claims.adjustments')} style={{ marginBottom: 12 }}>
        <Table<Adjustment>
          rowKey="id"
          size="small"
          columns={adjustmentColumns}
          dataSource={c.adjustments}
          pagination={false}
          locale={{ emptyText: t('claims.noAdjustments') }}
        />
      </Card>

      {c.laterAdjustments.length > 0 && (
        <Card size="small" title={t('claims.laterAdjustments')} style={{ marginBottom: 12 }} data-testid="claim-later-adjustments">
          <Table<LaterAdjustment> rowKey="orderId" size="small" columns={laterColumns} dataSource={c.laterAdjustments} pagination={false} />
        </Card>
      )}

      <Card
        size="small"
        title={t('claims.ordersTitle')}
        style={{ marginBottom: 12 }}
        extra={
          <Segmented<'all' | 'true' | 'false'>
            value={show}
            onChange={(v) => {
              setShow(v);
              setPage(1);
            }}
            options={[
              { value: 'all', label: t('claims.allOrders') },
              { value: 'false', label: t('claims.onlyCounted') },
              { value: 'true', label: t('claims.onlyDisallowed') },
            ]}
          />
        }
      >
        {orders.isError && <Alert type="error" showIcon title={errorText(t, orders.error)} />}
        <Table<ClaimOrder>
          rowKey="orderId"
          size="small"
          loading={orders.isFetching}
          columns={orderColumns}
          dataSource={orders.data?.items ?? []}
          pagination={{
            current: page,
            pageSize: ORDERS_PAGE,
            total: orders.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (n) => t('common.total', { count: n }),
            onChange: setPage,
          }}
          onRow={(o) => ({ 'data-testid': `claim-order-${o.orderId}` }) as HTMLAttributes<HTMLTableRowElement>}
        />
      </Card>

      <Card size="small" title={t('claims.events')}>
        <Timeline
          items={c.events.map((e) => ({
            content: (
              <div>
                <b>{t(`claims.actions.${e.action}`, { defaultValue: e.action })}</b>{' '}
                <span className="muted small">{`${e.byName ?? t('audit.system')} · ${fmtDateTime(e.at)}`}</span>
                {e.reason && <div>{e.reason}</div>}
              </div>
            ),
          }))}
        />
      </Card>

      <Modal
        open={!!ask}
        title={ask ? askTitle[ask.kind] : ''}
        okText={ask ? askTitle[ask.kind] : ''}
        okButtonProps={{ danger: ask?.kind === 'reject' || ask?.kind === 'disallow', loading: act.isPending, 'data-testid': 'claim-ask-ok' }}
        onOk={() => void submitAsk()}
        onCancel={() => setAsk(null)}
        destroyOnHidden
      >
        {ask?.kind === 'disallow' && <Alert type="warning" showIcon title={ask.label} description={t('claims.disallowHint')} style={{ marginBottom: 12 }} />}
        {ask?.kind === 'reinstate' && <Alert type="info" showIcon title={ask.label} style={{ marginBottom: 12 }} />}
        {ask?.kind === 'approve' && <Alert type="info" showIcon title={t('claims.approveConfirm')} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" preserve={false}>
          {ask?.kind === 'pay' ? (
            <>
              <Form.Item name="amountYuan" label={t('claims.payAmount')} extra={t('claims.payAmountWhole')} rules={[{ required: true }]}>
                {/* A claim is paid whole: the amount is the claim's total, shown, not typed. */}
                <Input readOnly style={{ width: 200 }} data-testid="claim-pay-amount" />
              </Form.Item>
              <Form.Item name="paidOn" label={t('claims.paidOn')} rules={[{ required: true }]}>
                <DatePicker
                  allowClear={false}
                  disabledDate={(d) => d.format('YYYY-MM-DD') > payToday || (approvedOn !== null && d.format('YYYY-MM-DD') < approvedOn)}
                  data-testid="claim-pay-date"
                />
              </Form.Item>
              <Form.Item name="reference" label={t('claims.reference')} rules={[{ required: true, min: 2, max: 64 }]}>
                <Input maxLength={64} />
              </Form.Item>
            </>
          ) : (
            <Form.Item
              name="text"
              label={reasonRequired ? t('claims.reasonLabel') : t('claims.noteLabel')}
              rules={reasonRequired ? [{ required: true, whitespace: true, min: 2, max: 500 }] : [{ max: 500 }]}
            >
              <Input.TextArea rows={3} maxLength={500} showCount data-testid="claim-ask-text" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}

/** Who did a review step and when; a step that sent the claim back or rejected it says so. */
function StepBy({ step, testId }: { step: ClaimStep | undefined; testId: string }) {
  const { t } = useTranslation();
  if (!step) return <span data-testid={testId}>—</span>;
  const against = step.action === 'returned' || step.action === 'rejected';
  return (
    <span data-testid={testId} data-action={step.action}>
      {against && <Tag color={step.action === 'rejected' ? 'red' : 'orange'}>{t(`claims.actions.${step.action}`)}</Tag>}
      {`${step.byName ?? t('audit.system')} ${fmtDateTime(step.at)}`}
    </span>
  );
}
