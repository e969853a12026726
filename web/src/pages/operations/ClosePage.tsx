import { FilePdfOutlined, LockOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { MEAL_PERIODS, ORDER_CATEGORIES } from '@yishi/shared/domain';
import { parseYuan } from '@yishi/shared/money';
import type { DailyClose } from '@yishi/shared/schemas';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { operationsApi, useClose, useCloseDay, useCloses } from '../../api/operations';
import { ErrorResult, FullPageSpin } from '../../components/PageState';
import { useCanteenCtx } from '../../layout/canteenContext';
import { errorText } from '../../lib/errors';
import { fmtDateTime, yuan } from '../../lib/format';
import { printOn } from '../../lib/print';
import { usePolicyWords } from '../../lib/policyNames';

type Figures = DailyClose['figures'];
const CATS = [...ORDER_CATEGORIES, 'guest'] as const;

function useCategoryLabel() {
  const { t } = useTranslation();
  return (c: string) => (c === 'ordinary' ? t('close.catOrdinary') : c === 'guest' ? t('close.catGuest') : t(`categories.${c}`));
}

/** The figures of a day (or of an adjustment): the same tables on screen, on paper and in the PDF. */
function FiguresView({ f }: { f: Figures }) {
  const { t } = useTranslation();
  const words = usePolicyWords();
  const cat = useCategoryLabel();
  const mealRows = CATS.flatMap((c) => {
    const n = MEAL_PERIODS.map((p) => f.meals.find((m) => m.category === c && m.mealPeriod === p)?.count ?? 0);
    return n.some((x) => x > 0) ? [{ key: c, label: cat(c), n, total: n.reduce((a, b) => a + b, 0) }] : [];
  });
  const periodTotals = MEAL_PERIODS.map((_, i) => mealRows.reduce((s, r) => s + r.n[i]!, 0));
  return (
    <>
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} bordered className="close-summary">
        <Descriptions.Item label={t('close.counted')}>
          <b data-testid="close-counted">{f.ordersCounted}</b>
        </Descriptions.Item>
        <Descriptions.Item label={t('close.deliveries')}>{f.deliveries}</Descriptions.Item>
        <Descriptions.Item label={t('close.mealValue')}>{yuan(f.mealValueFen)}</Descriptions.Item>
        <Descriptions.Item label={t('close.elderSubsidy')}>{yuan(f.elderSubsidyFen)}</Descriptions.Item>
        <Descriptions.Item label={t('close.operatorSubsidy')}>{yuan(f.operatorSubsidyFen)}</Descriptions.Item>
        <Descriptions.Item label={t('close.received')}>
          <b data-testid="close-paid" data-fen={f.paidFen}>
            {yuan(f.paidFen)}
          </b>
        </Descriptions.Item>
      </Descriptions>
      <h4 className="close-h">{t('close.byCategory')}</h4>
      <table className="close-table" data-testid="close-meals">
        <thead>
          <tr>
            <th>{t('close.category')}</th>
            {MEAL_PERIODS.map((p) => (
              <th key={p}>{t(`mealPeriods.${p}`)}</th>
            ))}
            <th>{t('close.total')}</th>
          </tr>
        </thead>
        <tbody>
          {mealRows.map((r) => (
            <tr key={r.key}>
              <td>{r.label}</td>
              {r.n.map((x, i) => (
                <td key={i} className="num">
                  {x}
                </td>
              ))}
              <td className="num">{r.total}</td>
            </tr>
          ))}
          <tr className="total">
            <td>{t('close.total')}</td>
            {periodTotals.map((x, i) => (
              <td key={i} className="num">
                {x}
              </td>
            ))}
            <td className="num">{f.ordersCounted}</td>
          </tr>
        </tbody>
      </table>
      <h4 className="close-h">{t('close.byState')}</h4>
      <table className="close-table" data-testid="close-states">
        <thead>
          <tr>
            <th />
            <th>{t('close.orders')}</th>
            <th>{t('close.amount')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{t('close.received')}</td>
            <td className="num">{f.byState.paid + f.byState.ready + f.byState.completed}</td>
            <td className="num">{yuan(f.paidFen)}</td>
          </tr>
          <tr>
            <td>{t('close.awaiting')}</td>
            <td className="num">{f.byState.awaiting_payment}</td>
            <td className="num">{yuan(f.awaitingFen)}</td>
          </tr>
          <tr>
            <td>{t('close.refunded')}</td>
            <td className="num">{f.byState.refunded}</td>
            <td className="num">{yuan(f.refundedFen)}</td>
          </tr>
          <tr>
            <td>{t('close.cancelled')}</td>
            <td className="num">{f.byState.cancelled}</td>
            <td className="num">{yuan(f.cancelledFen)}</td>
          </tr>
        </tbody>
      </table>
      <h4 className="close-h">{t('close.methods')}</h4>
      <table className="close-table" data-testid="close-methods">
        <thead>
          <tr>
            <th>{t('close.method')}</th>
            <th>{t('close.inCount')}</th>
            <th>{t('close.inFen')}</th>
            <th>{t('close.refundCount')}</th>
            <th>{t('close.refundFen')}</th>
            <th>{t('close.netFen')}</th>
          </tr>
        </thead>
        <tbody>
          {f.methods.map((m) => (
            <tr key={m.method} data-testid={`close-method-${m.method}`} data-net={m.netFen}>
              <td>{t(`paymentMethods.${m.method}`)}</td>
              <td className="num">{m.inCount}</td>
              <td className="num">{yuan(m.inFen)}</td>
              <td className="num">{m.refundCount}</td>
              <td className="num">{yuan(m.refundFen)}</td>
              <td className="num">{yuan(m.netFen)}</td>
            </tr>
          ))}
          <tr className="total">
            <td>{t('close.total')}</td>
            <td className="num">{f.methods.reduce((s, m) => s + m.inCount, 0)}</td>
            <td className="num">{yuan(f.methods.reduce((s, m) => s + m.inFen, 0))}</td>
            <td className="num">{f.refundsCount}</td>
            <td className="num">{yuan(f.refundsFen)}</td>
            <td className="num" data-testid="close-net" data-fen={f.receivedNetFen}>
              {yuan(f.receivedNetFen)}
            </td>
          </tr>
        </tbody>
      </table>
      <h4 className="close-h">{t('close.subsidies')}</h4>
      {f.subsidies.length === 0 ? (
        <Typography.Text type="secondary">{t('close.none')}</Typography.Text>
      ) : (
        <table className="close-table" data-testid="close-subsidies">
          <thead>
            <tr>
              <th>{t('close.payer')}</th>
              <th>{t('close.kind')}</th>
              <th>{t('close.count')}</th>
              <th>{t('close.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {f.subsidies.map((s) => (
              <tr key={`${s.payer}|${s.kind}`}>
                <td>{words.payer(s.payer)}</td>
                <td>{t(`close.kinds.${s.kind}`)}</td>
                <td className="num">{s.count}</td>
                <td className="num">{yuan(s.amountFen)}</td>
              </tr>
            ))}
            <tr className="total">
              <td>{t('close.total')}</td>
              <td />
              <td className="num">{f.subsidies.reduce((s, x) => s + x.count, 0)}</td>
              <td className="num">{yuan(f.subsidies.reduce((s, x) => s + x.amountFen, 0))}</td>
            </tr>
          </tbody>
        </table>
      )}
    </>
  );
}

function CashForm({ close, date }: { close: DailyClose; date: string }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { canteen } = useCanteenCtx();
  const closeDay = useCloseDay(canteen.id, date);
  const [form] = Form.useForm<{ counted: string; note: string }>();
  const counted = Form.useWatch('counted', form);
  const countedFen = counted ? parseYuan(counted) : null;
  const diff = countedFen === null ? null : countedFen - close.cash.expectedFen;
  const submit = async (v: { counted: string; note?: string }) => {
    const fen = parseYuan(v.counted);
    if (fen === null) return;
    modal.confirm({
      title: t('close.confirmTitle', { date }),
      content: t('close.confirmBody'),
      okText: t('close.submit'),
      onOk: async () => {
        try {
          await closeDay.mutateAsync({ cashCountedFen: fen, cashNote: v.note?.trim() ? v.note.trim() : null });
          message.success(t('close.done', { date }));
        } catch (e) {
          message.error(errorText(t, e));
        }
      },
    });
  };
  return (
    <Form form={form} layout="inline" onFinish={(v) => void submit(v)} className="close-cash-form no-print" data-testid="close-form">
      <Form.Item
        name="counted"
        label={t('close.countedCash')}
        rules={[
          { required: true, message: t('validation.required') },
          { validator: async (_r, v: string) => (v && parseYuan(v) === null ? Promise.reject(new Error(t('validation.invalid'))) : undefined) },
        ]}
      >
        <Input prefix="¥" inputMode="decimal" style={{ width: 140 }} data-testid="close-counted-input" aria-label={t('close.countedCash')} />
      </Form.Item>
      <Form.Item label={t('close.difference')}>
        <Typography.Text type={diff ? 'danger' : undefined} data-testid="close-difference">
          {diff === null ? '—' : diff === 0 ? yuan(0) : t(diff > 0 ? 'close.surplus' : 'close.shortage', { amount: yuan(Math.abs(diff)) })}
        </Typography.Text>
      </Form.Item>
      <Form.Item
        name="note"
        label={t('close.note')}
        rules={[{ validator: async (_r, v: string) => (diff && !v?.trim() ? Promise.reject(new Error(t('close.notePlaceholder'))) : undefined) }]}
      >
        <Input placeholder={t('close.notePlaceholder')} style={{ width: 320 }} maxLength={500} aria-label={t('close.note')} />
      </Form.Item>
      <Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          icon={<LockOutlined />}
          loading={closeDay.isPending}
          disabled={close.unconfirmed.length > 0}
          data-testid="close-submit"
        >
          {t('close.submit')}
        </Button>
      </Form.Item>
    </Form>
  );
}

export function ClosePage() {
  const { t } = useTranslation();
  const { canteen, today, canOperate } = useCanteenCtx();
  const [date, setDate] = useState(today);
  const close = useClose(canteen.id, date);
  const history = useCloses(canteen.id, dayjs(today).subtract(30, 'day').format('YYYY-MM-DD'), today);

  if (close.isError && !close.data) return <ErrorResult error={close.error} onRetry={() => void close.refetch()} />;
  if (!close.data) return <FullPageSpin />;
  const c = close.data;
  return (
    <div className="page close-page">
      <div className="toolbar no-print">
        <Space wrap>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('close.title')}
          </Typography.Title>
          <DatePicker
            allowClear={false}
            aria-label={t('close.date')}
            value={dayjs(date)}
            disabledDate={(d) => d.format('YYYY-MM-DD') > today}
            onChange={(d) => d && setDate(d.format('YYYY-MM-DD'))}
            data-testid="close-date"
          />
          <Tag color={c.status === 'closed' ? 'green' : 'gold'} data-testid="close-status" data-status={c.status}>
            {c.status === 'closed' ? t('close.closed') : t('close.open')}
          </Tag>
        </Space>
        <Space wrap>
          <Button icon={<PrinterOutlined />} onClick={() => printOn('a4')} data-testid="close-print-a4">
            {t('close.printA4')}
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => printOn('80mm')}>
            {t('close.print80')}
          </Button>
          <Button icon={<FilePdfOutlined />} href={operationsApi.closePdfUrl(canteen.id, date)} target="_blank" data-testid="close-pdf">
            {t('close.pdf')}
          </Button>
        </Space>
      </div>

      <div className="no-print close-alerts">
        {c.unconfirmed.length > 0 && (
          <Alert
            type="warning"
            showIcon
            data-testid="close-unconfirmed"
            title={t('close.unconfirmed', { count: c.unconfirmed.length })}
            description={
              <Space wrap>
                {c.unconfirmed.map((o) => (
                  <Link key={o.orderId} to={`/canteens/${canteen.id}/orders`}>
                    <Tag color="gold">
                      {t('close.unconfirmedItem', { number: o.pickupNumber, period: t(`mealPeriods.${o.mealPeriod}`), amount: yuan(o.elderPaysFen) })}
                    </Tag>
                  </Link>
                ))}
              </Space>
            }
          />
        )}
        {c.samplesMissing.length > 0 && (
          <Alert
            type="warning"
            showIcon
            data-testid="close-samples-missing"
            title={t('close.samplesMissing', { periods: c.samplesMissing.map((p) => t(`mealPeriods.${p}`)).join(t('common.listSep')) })}
            action={<Link to={`/canteens/${canteen.id}/samples`}>{t('close.goSamples')}</Link>}
          />
        )}
        {c.changedSinceClose && <Alert type="info" showIcon title={t('close.changedSince')} />}
      </div>

      <Card className="print-area close-report" data-testid="close-report">
        <div className="close-report-head">
          <h2>{t('close.reportTitle')}</h2>
          <div>
            {c.canteenName} · {t('close.date')} {c.serviceDate} ·{' '}
            {c.status === 'closed' ? t('close.closedAt', { time: fmtDateTime(c.closedAt), name: c.closedByName ?? '—' }) : t('close.open')}
          </div>
        </div>
        <FiguresView f={c.figures} />

        {c.adjustments.length > 0 && (
          <>
            <h4 className="close-h">{t('close.adjustments')}</h4>
            <Typography.Paragraph type="secondary" className="small">
              {t('close.adjustmentsHint')}
            </Typography.Paragraph>
            <table className="close-table" data-testid="close-adjustments">
              <thead>
                <tr>
                  <th>{t('close.adjDate')}</th>
                  <th>{t('close.adjOrders')}</th>
                  <th>{t('close.adjPaid')}</th>
                  <th>{t('close.adjCash')}</th>
                  <th>{t('close.adjWallet')}</th>
                  <th>{t('close.adjExternal')}</th>
                </tr>
              </thead>
              <tbody>
                {c.adjustments.map((a) => {
                  const m = (k: string) => a.delta.methods.find((x) => x.method === k)?.netFen ?? 0;
                  return (
                    <tr key={a.serviceDate}>
                      <td>{a.serviceDate}</td>
                      <td>{a.orders.map((o) => `#${o.pickupNumber} ${t(`orderStates.${o.state}`)}`).join(t('common.listSep'))}</td>
                      <td className="num">{yuan(a.delta.paidFen)}</td>
                      <td className="num">{yuan(m('cash'))}</td>
                      <td className="num">{yuan(m('wallet'))}</td>
                      <td className="num">{yuan(m('external'))}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}

        <h4 className="close-h">{t('close.cash')}</h4>
        <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
          <Descriptions.Item label={t('close.expected')}>
            <b data-testid="close-expected" data-fen={c.cash.expectedFen}>
              {yuan(c.cash.expectedFen)}
            </b>
          </Descriptions.Item>
          <Descriptions.Item label={t('close.countedCash')}>{c.cash.countedFen === null ? '—' : yuan(c.cash.countedFen)}</Descriptions.Item>
          <Descriptions.Item label={t('close.difference')}>{c.cash.differenceFen === null ? '—' : yuan(c.cash.differenceFen)}</Descriptions.Item>
          <Descriptions.Item label={t('close.note')}>{c.cash.note ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('close.walletTaken')}>{yuan(c.totalWithAdjustments.walletFen)}</Descriptions.Item>
          <Descriptions.Item label={t('close.externalTaken')}>{yuan(c.totalWithAdjustments.externalFen)}</Descriptions.Item>
          <Descriptions.Item label={t('close.refundsTotal')}>{yuan(c.totalWithAdjustments.refundsFen)}</Descriptions.Item>
        </Descriptions>
        {c.status === 'open' && canOperate && <CashForm close={c} date={date} />}
        <div className="signatures">
          <span>
            {t('close.signCashier')}
            {t('common.colon')}________________
          </span>
          <span>
            {t('close.signManager')}
            {t('common.colon')}________________
          </span>
        </div>
      </Card>

      <Card size="small" title={t('close.history')} className="no-print" style={{ marginTop: 16 }}>
        <Table
          size="small"
          rowKey="serviceDate"
          loading={history.isPending}
          dataSource={history.data?.items ?? []}
          pagination={false}
          onRow={(r) => ({ onClick: () => setDate(r.serviceDate), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('close.date'), dataIndex: 'serviceDate' },
            { title: t('close.orders'), dataIndex: 'orders', align: 'right' },
            {
              title: t('close.title'),
              render: (_v, r) => (r.closed ? <Tag color="green">{t('close.closed')}</Tag> : <Tag color="gold">{t('close.open')}</Tag>),
            },
            { title: t('close.received'), align: 'right', render: (_v, r) => yuan(r.paidFen) },
            { title: t('close.difference'), align: 'right', render: (_v, r) => (r.cashDifferenceFen === null ? '—' : yuan(r.cashDifferenceFen)) },
          ]}
        />
      </Card>
    </div>
  );
}
