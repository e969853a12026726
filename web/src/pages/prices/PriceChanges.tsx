import { CheckOutlined, CloseOutlined, RollbackOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PRICE_CHANGE_STATES, PRICE_NOTICE_MIN_DAYS, addDays, horizonEnd, type PriceChangeState } from '@yishi/shared/domain';
import { ApprovePriceRequest, PriceChangeExportQuery, RejectPriceRequest } from '@yishi/shared/schemas';
import dayjs from 'dayjs';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { usePriceActions, usePriceChanges, type PriceChange } from '../../api/prices';
import { testId } from '../../components/OrderActions';
import { ErrorResult } from '../../components/PageState';
import { ListExportButtons } from '../../components/ListExportButtons';
import { inGroup } from '../../lib/access';
import { errorText } from '../../lib/errors';
import { fmtDateTime, nowIn, yuan } from '../../lib/format';
import { rulesFor, showFormError } from '../../lib/forms';

export const PRICE_STATE_COLORS: Record<PriceChangeState, string> = { proposed: 'gold', approved: 'green', rejected: 'red', withdrawn: 'default' };

const PAGE = 50;

/** '¥12.00 → ¥13.00', or '新菜品 ¥15.00' for a first price. */
export function PriceStep({ c }: { c: Pick<PriceChange, 'oldPriceFen' | 'newPriceFen'> }) {
  const { t } = useTranslation();
  return c.oldPriceFen === null ? (
    <span>
      <Tag>{t('prices.newDish')}</Tag>
      <b>{yuan(c.newPriceFen)}</b>
    </span>
  ) : (
    <span className="price-step">
      {yuan(c.oldPriceFen)} → <b className={c.newPriceFen > c.oldPriceFen ? 'negative' : 'positive'}>{yuan(c.newPriceFen)}</b>
    </span>
  );
}

interface DecideForm {
  note?: string;
  approvalRef?: string;
  effectiveOn?: dayjs.Dayjs;
}

/** Approve (with a note, the office's reference and, if need be, a later date) or reject (with why). */
function DecideDialog({ change, action, onClose }: { change: PriceChange; action: 'approve' | 'reject'; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = rulesFor(t);
  const [form] = Form.useForm<DecideForm>();
  const { approve, reject } = usePriceActions();
  const pending = approve.isPending || reject.isPending;
  const today = nowIn(undefined).date;
  const earliest = change.oldPriceFen === null ? today : addDays(today, PRICE_NOTICE_MIN_DAYS);
  const latest = horizonEnd(today, 'priceChange');
  const submit = (v: DecideForm) => {
    const done = () => {
      message.success(t(action === 'approve' ? 'prices.approvedMsg' : 'prices.rejectedMsg', { dish: change.dishName }));
      onClose();
    };
    const failed = (e: unknown) => void message.error(showFormError(form, e, t));
    if (action === 'reject') reject.mutate({ id: change.id, note: v.note?.trim() ?? '' }, { onSuccess: done, onError: failed });
    else {
      const moved = v.effectiveOn?.format('YYYY-MM-DD');
      approve.mutate(
        {
          id: change.id,
          body: {
            note: v.note?.trim() || null,
            approvalRef: v.approvalRef?.trim() || null,
            ...(moved && moved !== change.effectiveOn ? { effectiveOn: moved } : {}),
          },
        },
        { onSuccess: done, onError: failed },
      );
    }
  };
  return (
    <Modal
      open
      title={`${t(action === 'approve' ? 'prices.approve' : 'prices.reject')} · ${change.dishName}`}
      okText={t(action === 'approve' ? 'prices.approve' : 'prices.reject')}
      okButtonProps={{ danger: action === 'reject', loading: pending, ...testId('price-decide-ok') }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <p>
        <PriceStep c={change} /> · {t('prices.effectiveOn')} {change.effectiveOn}
      </p>
      <p className="muted">
        {t('prices.reason')}
        {t('common.colon')}
        {change.reason}
      </p>
      <Form<DecideForm> form={form} layout="vertical" onFinish={submit} initialValues={{ effectiveOn: dayjs(change.effectiveOn) }}>
        {action === 'approve' && (
          <>
            <Form.Item name="effectiveOn" label={t('prices.effectiveOn')} extra={t('prices.noticeHint', { days: PRICE_NOTICE_MIN_DAYS })}>
              <DatePicker
                allowClear={false}
                disabledDate={(d) => d.format('YYYY-MM-DD') < earliest || d.format('YYYY-MM-DD') > latest}
                data-testid="price-decide-date"
              />
            </Form.Item>
            <Form.Item name="approvalRef" label={t('prices.approvalRef')} rules={rules(ApprovePriceRequest.shape.approvalRef, 'approvalRef')}>
              <Input maxLength={64} data-testid="price-decide-ref" />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="note"
          label={t('prices.note')}
          rules={action === 'reject' ? rules(RejectPriceRequest.shape.note, 'note') : rules(ApprovePriceRequest.shape.note, 'note')}
        >
          <Input.TextArea rows={2} maxLength={200} data-testid="price-decide-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * The price history (and, with state "proposed", the review queue): who proposed what and why, from when, and who
 * decided. Reviewers approve or reject here; the operator may withdraw a proposal that still waits.
 */
export function PriceChangesTable({ canteenId, initialState, showCanteen }: { canteenId?: string; initialState?: PriceChangeState; showCanteen?: boolean }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const me = useMe().data;
  const [state, setState] = useState<PriceChangeState | 'all'>(initialState ?? 'all');
  const [page, setPage] = useState(1);
  const [deciding, setDeciding] = useState<{ change: PriceChange; action: 'approve' | 'reject' } | null>(null);
  const list = usePriceChanges({ canteenId, state: state === 'all' ? undefined : state, limit: PAGE, offset: (page - 1) * PAGE });
  const { withdraw } = usePriceActions();
  const reviewer = inGroup(me?.role, 'reviewers');
  const operator = inGroup(me?.role, 'canteenStaff');

  const columns: ColumnsType<PriceChange> = [
    ...(showCanteen ? [{ title: t('prices.canteen'), width: 180, render: (_v: unknown, c: PriceChange) => c.canteenName }] : []),
    { title: t('prices.dish'), width: 140, render: (_v, c) => <b>{c.dishName}</b> },
    { title: t('prices.change'), width: 170, render: (_v, c) => <PriceStep c={c} /> },
    { title: t('prices.effectiveOn'), width: 110, dataIndex: 'effectiveOn' },
    { title: t('prices.reason'), render: (_v, c) => c.reason },
    {
      title: t('prices.proposed'),
      width: 150,
      render: (_v, c) => (
        <div className="small">
          {c.proposedBy ?? '—'}
          <div className="muted">{fmtDateTime(c.proposedAt)}</div>
        </div>
      ),
    },
    {
      title: t('prices.state'),
      width: 190,
      render: (_v, c) => (
        <div className="small">
          <Tag color={PRICE_STATE_COLORS[c.state]} data-testid={`price-state-${c.id}`} data-state={c.state}>
            {t(`priceStates.${c.state}`)}
          </Tag>
          {c.decidedBy && (
            <div className="muted">
              {c.decidedBy} · {fmtDateTime(c.decidedAt)}
            </div>
          )}
          {c.approvalRef && <div>{c.approvalRef}</div>}
          {c.decisionNote && <div>{c.decisionNote}</div>}
        </div>
      ),
    },
  ];
  if (reviewer || operator)
    columns.push({
      title: t('common.actions'),
      width: 170,
      render: (_v, c) =>
        c.state !== 'proposed' ? null : (
          <Space size={4} wrap>
            {reviewer && (
              <>
                <Button
                  size="small"
                  type="primary"
                  icon={<CheckOutlined />}
                  onClick={() => setDeciding({ change: c, action: 'approve' })}
                  data-testid={`price-approve-${c.id}`}
                >
                  {t('prices.approve')}
                </Button>
                <Button
                  size="small"
                  danger
                  icon={<CloseOutlined />}
                  onClick={() => setDeciding({ change: c, action: 'reject' })}
                  data-testid={`price-reject-${c.id}`}
                >
                  {t('prices.reject')}
                </Button>
              </>
            )}
            {operator && (
              <Button
                size="small"
                icon={<RollbackOutlined />}
                onClick={() =>
                  modal.confirm({
                    title: t('prices.withdraw'),
                    content: t('prices.withdrawConfirm', { dish: c.dishName }),
                    onOk: () => withdraw.mutateAsync(c.id).catch((e: unknown) => void message.error(errorText(t, e))),
                  })
                }
                data-testid={`price-withdraw-${c.id}`}
              >
                {t('prices.withdraw')}
              </Button>
            )}
          </Space>
        ),
    });

  if (list.isError && !list.data) return <ErrorResult error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select<PriceChangeState | 'all'>
          aria-label={t('prices.state')}
          style={{ width: 140 }}
          value={state}
          onChange={(v) => {
            setState(v);
            setPage(1);
          }}
          options={[{ value: 'all', label: t('common.all') }, ...PRICE_CHANGE_STATES.map((s) => ({ value: s, label: t(`priceStates.${s}`) }))]}
          data-testid="price-state-filter"
        />
        <Typography.Text type="secondary">{list.data ? t('common.total', { count: list.data.total }) : ''}</Typography.Text>
        {canteenId && <ListExportButtons name="prices" path="/price-changes/export" request={PriceChangeExportQuery} query={{ canteenId }} />}
      </Space>
      <Table<PriceChange>
        data-testid="price-changes-table"
        rowKey="id"
        size="small"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('prices.empty') }}
        pagination={{ current: page, pageSize: PAGE, total: list.data?.total ?? 0, showSizeChanger: false, hideOnSinglePage: true, onChange: setPage }}
        onRow={(c) => ({ 'data-testid': `price-row-${c.id}` }) as HTMLAttributes<HTMLTableRowElement>}
      />
      {deciding && <DecideDialog change={deciding.change} action={deciding.action} onClose={() => setDeciding(null)} />}
    </>
  );
}
