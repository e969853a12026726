import { orderRef } from '@yishi/shared/domain';
import { Alert, App, Badge, Button, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { useLateReviews, useRefusedOrders, useSettleLateReview, type LateReview } from '../../api/reviews';
import { ErrorResult } from '../../components/PageState';
import { inGroup } from '../../lib/access';
import { errorText } from '../../lib/errors';
import { fmtDateTime, nowIn, yuan } from '../../lib/format';
import { CanteenFilter, MonthFilter, useListParams } from './common';
import { REFUSED_STATUSES, RefusedOrders, type RefusedStatus } from './RefusedOrders';

const PAGE = 50;
const STATUSES = ['open', 'resolved', 'all'] as const;
type Status = (typeof STATUSES)[number];

/** The month from the address bar (?month=2026-11), or this month (flagged orders are recent). */
/**
 * 离线订单复核: orders a kiosk took offline whose server price differed from what it showed, with both figures and
 * why. Canteen staff and reviewers accept one as served; reviewers may instead disallow its subsidy from the claims.
 */
export function LateReviewsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe().data;
  // Late orders are this month's business until its claims are made: the current month first.
  const { params, month, canteenId, page, set } = useListParams(() => nowIn('Asia/Shanghai').date.slice(0, 7));
  // 需复核 (kept, flagged) or 被拒收 (refused on arrival): ?tab=refused.
  const tab = params.get('tab') === 'refused' ? 'refused' : 'flagged';
  const asked = params.get('status') ?? '';
  const status: Status = (STATUSES as readonly string[]).includes(asked) ? (asked as Status) : 'open';
  const refusedStatus: RefusedStatus = (REFUSED_STATUSES as readonly string[]).includes(asked) ? (asked as RefusedStatus) : 'open';
  const from = `${month}-01`;
  const to = dayjs(from).endOf('month').format('YYYY-MM-DD');
  const list = useLateReviews({ from, to, status, ...(canteenId ? { canteenId } : {}), limit: PAGE, offset: (page - 1) * PAGE }, tab === 'flagged');
  // How many refusals wait, on the tab, whichever tab is open.
  const refusedOpen = useRefusedOrders({ from, to, status: 'open', ...(canteenId ? { canteenId } : {}), limit: 1 }).data?.total ?? 0;
  const settle = useSettleLateReview();
  const mayDisallow = inGroup(me?.role, 'reviewers');
  const [acting, setActing] = useState<{ review: LateReview; how: 'accept' | 'disallow' } | null>(null);
  const [form] = Form.useForm<{ text: string }>();

  const submit = async () => {
    if (!acting) return;
    // An empty reason is shown on the field; nothing to send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { text } = values;
    settle.mutate(
      { orderId: acting.review.orderId, how: acting.how, text: (text ?? '').trim() },
      {
        onSuccess: (r) => {
          message.success(acting.how === 'accept' ? t('lateReviews.accepted') : t('lateReviews.disallowed', { amount: yuan(r.amountFen), claims: r.claims }));
          setActing(null);
          form.resetFields();
        },
        onError: (e) => message.error(errorText(t, e)),
      },
    );
  };

  const figure = (f: LateReview['kioskFigure'], testId: string) => (
    <span data-testid={testId} data-subsidy={f.elderSubsidyFen} data-pays={f.elderPaysFen}>
      {t('lateReviews.subsidy', { amount: yuan(f.elderSubsidyFen) })}
      <br />
      {t('lateReviews.pays', { amount: yuan(f.elderPaysFen) })}
    </span>
  );

  const columns: ColumnsType<LateReview> = [
    { title: t('lateReviews.meal'), width: 130, render: (_v, r) => `${r.serviceDate} ${t(`mealPeriods.${r.mealPeriod}`)}` },
    { title: t('lateReviews.canteen'), width: 110, dataIndex: 'canteenName' },
    { title: t('lateReviews.resident'), width: 90, render: (_v, r) => r.residentName ?? t('lateReviews.guest') },
    {
      title: t('lateReviews.pickup'),
      width: 100,
      render: (_v, r) => (
        <div>
          {r.pickupNumber}
          {/* The 尾号 the kiosk gave the elder when it saved the order offline: what they quote at the counter. */}
          {r.offline && (
            <div className="small muted" data-testid={`late-review-ref-${r.orderId}`}>
              {t('orders.refShort', { ref: orderRef(r.orderId) })}
            </div>
          )}
        </div>
      ),
    },
    {
      title: t('lateReviews.reasons'),
      render: (_v, r) => (
        <Space size={[0, 4]} wrap>
          {r.reasons.map((x) => (
            <Tag key={x} color={x === r.reason ? 'orange' : undefined} data-testid={`late-review-reason-${r.orderId}-${x}`}>
              {t(`lateReviews.reasonTexts.${x}`)}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('lateReviews.kioskFigure'), width: 130, render: (_v, r) => figure(r.kioskFigure, `late-review-kiosk-${r.orderId}`) },
    { title: t('lateReviews.serverFigure'), width: 130, render: (_v, r) => figure(r.serverFigure, `late-review-server-${r.orderId}`) },
    {
      title: t('lateReviews.result'),
      width: 250,
      render: (_v, r) =>
        r.resolution ? (
          <span data-testid={`late-review-result-${r.orderId}`}>
            <Tag color={r.resolution === 'disallowed' ? 'red' : 'green'}>{t(`lateReviews.resolutions.${r.resolution}`)}</Tag>
            <Typography.Text type="secondary" className="small">
              {t('lateReviews.resolvedBy', { name: r.resolvedByName ?? '—', time: fmtDateTime(r.resolvedAt) })}
              {r.resolutionNote ? `：${r.resolutionNote}` : ''}
            </Typography.Text>
          </span>
        ) : (
          <Space wrap>
            <Button size="small" onClick={() => setActing({ review: r, how: 'accept' })} data-testid={`late-review-accept-${r.orderId}`}>
              {t('lateReviews.accept')}
            </Button>
            {mayDisallow &&
              (r.serverFigure.elderSubsidyFen > 0 ? (
                <Button size="small" danger onClick={() => setActing({ review: r, how: 'disallow' })} data-testid={`late-review-disallow-${r.orderId}`}>
                  {t('lateReviews.disallow')}
                </Button>
              ) : (
                <Tooltip title={t('lateReviews.noSubsidy')}>
                  <Button size="small" danger disabled aria-label={`${t('lateReviews.disallow')}${t('common.colon')}${t('lateReviews.noSubsidy')}`}>
                    {t('lateReviews.disallow')}
                  </Button>
                </Tooltip>
              ))}
          </Space>
        ),
    },
  ];

  return (
    <div className="page" data-testid="late-reviews-page">
      <Typography.Title level={4}>{t('lateReviews.title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => set('tab', k === 'refused' ? 'refused' : undefined)}
        items={[
          { key: 'flagged', label: <span data-testid="late-reviews-tab-flagged">{t('lateReviews.tabFlagged')}</span> },
          {
            key: 'refused',
            label: (
              <span data-testid="late-reviews-tab-refused" data-open={refusedOpen}>
                {t('lateReviews.tabRefused')} <Badge count={refusedOpen} size="small" />
              </span>
            ),
          },
        ]}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <MonthFilter month={month} onChange={(m) => set('month', m)} label={t('lateReviews.month')} testId="late-reviews-month" />
        {/* Each tab's own states (需复核: 待处理/已处理/全部 of a review; 被拒收: of a refusal). */}
        <Select<string>
          style={{ width: 130 }}
          value={tab === 'flagged' ? status : refusedStatus}
          onChange={(v) => set('status', v === 'open' ? undefined : v)}
          aria-label={t('lateReviews.status')}
          options={(tab === 'flagged' ? STATUSES : REFUSED_STATUSES).map((s) => ({
            value: s,
            label: t(tab === 'flagged' ? `lateReviews.statuses.${s}` : `lateReviews.refused.statuses.${s}`),
          }))}
          data-testid="late-reviews-status"
        />
        <CanteenFilter
          value={canteenId}
          onChange={(v) => set('canteen', v)}
          label={t('lateReviews.canteen')}
          allLabel={t('lateReviews.allCanteens')}
          testId="late-reviews-canteen"
        />
      </Space>
      {tab === 'refused' ? (
        <RefusedOrders from={from} to={to} canteenId={canteenId} status={refusedStatus} page={page} onPage={(p) => set('page', String(p))} />
      ) : (
        flagged()
      )}
    </div>
  );

  function flagged() {
    return (
      <>
        <Typography.Paragraph type="secondary" style={{ maxWidth: 900 }}>
          {t('lateReviews.intro')}
        </Typography.Paragraph>
        {list.isError && <ErrorResult error={list.error} onRetry={() => void list.refetch()} />}
        <Table<LateReview>
          rowKey="orderId"
          size="middle"
          loading={list.isFetching}
          columns={columns}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: t('lateReviews.empty') }}
          scroll={{ x: 1100 }}
          pagination={{
            current: page,
            pageSize: PAGE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (n) => t('common.total', { count: n }),
            onChange: (p) => set('page', String(p)),
          }}
          onRow={(r) => ({ 'data-testid': `late-review-row-${r.orderId}`, 'data-reason': r.reason ?? '' }) as HTMLAttributes<HTMLTableRowElement>}
        />
        <Modal
          open={!!acting}
          title={acting?.how === 'disallow' ? t('lateReviews.disallowTitle') : t('lateReviews.acceptTitle')}
          okText={acting?.how === 'disallow' ? t('lateReviews.disallow') : t('lateReviews.accept')}
          okButtonProps={{ danger: acting?.how === 'disallow', loading: settle.isPending, 'data-testid': 'late-review-ok' }}
          onOk={() => void submit()}
          onCancel={() => {
            setActing(null);
            form.resetFields();
          }}
          destroyOnHidden
        >
          <Alert
            type={acting?.how === 'disallow' ? 'warning' : 'info'}
            showIcon
            title={acting?.how === 'disallow' ? t('lateReviews.disallowHint') : t('lateReviews.acceptHint')}
            style={{ marginBottom: 12 }}
          />
          <Form form={form} layout="vertical">
            <Form.Item
              name="text"
              label={acting?.how === 'disallow' ? t('lateReviews.reason') : t('lateReviews.note')}
              rules={acting?.how === 'disallow' ? [{ required: true, min: 2, whitespace: true, message: t('lateReviews.reasonRequired') }] : []}
            >
              <Input.TextArea rows={3} maxLength={500} data-testid="late-review-text" />
            </Form.Item>
          </Form>
        </Modal>
      </>
    );
  }
}
