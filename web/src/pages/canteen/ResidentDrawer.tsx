import { EditOutlined, EyeOutlined, QrcodeOutlined } from '@ant-design/icons';
import type { ButtonProps } from 'antd';
import { App, Alert, Button, Card, Descriptions, Drawer, Form, Input, Modal, QRCode, Radio, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { parseYuan } from '@yishi/shared/money';
import { AddCardRequest, SetPinRequest, TopupRequest, WalletExportQuery } from '@yishi/shared/schemas';
import { seg } from '../../api/client';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import {
  residentsApi,
  useResident,
  useResidentCredentials,
  useTopup,
  useWallet,
  type ResidentCard,
  type ResidentDetail,
  type WalletEntry,
} from '../../api/residents';
import { useCanteens } from '../../api/sites';
import { ErrorResult } from '../../components/PageState';
import { useCanteenCtx } from '../../layout/canteenContext';
import { inGroup } from '../../lib/access';
import { errorText } from '../../lib/errors';
import { clientId, fmtDateTime, nowIn, yuan } from '../../lib/format';
import { rulesFor, showFormError } from '../../lib/forms';
import { ListExportButtons } from '../../components/ListExportButtons';
import { CategoriesSection, ResidentEditForm } from './ResidentEdit';
import { PayoutDialog, ReceiptDialog, ResidentOrders } from './WalletExtras';
import { CARD_CHECK_DEBOUNCE_MS, canKeepResidents, cardFreeRule, useAreaTree } from './residentFields';

/** The amount as typed (yuan) → fen, as the wire carries it; NaN when it is not an amount. */
const amountToFen = (v: unknown) => (typeof v === 'string' ? (parseYuan(v) ?? Number.NaN) : v);

function IdNumber({ r }: { r: ResidentDetail }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const { modal, message } = App.useApp();
  const [full, setFull] = useState<string | null>(null);
  const reveal = () =>
    modal.confirm({
      title: t('residents.reveal'),
      content: t('residents.revealWarn'),
      okText: t('common.confirm'),
      onOk: async () => {
        try {
          const res = await residentsApi.revealId(r.id);
          setFull(res.idNumber);
        } catch (e) {
          message.error(errorText(t, e));
        }
      },
    });
  return (
    <Space size={6}>
      <span className="mono" data-testid="resident-id-number">
        {full ?? r.idNumberMasked}
      </span>
      {me?.canSeeIdNumbers && !full && (
        <Button size="small" type="link" icon={<EyeOutlined />} onClick={reveal} data-testid="reveal-id">
          {t('residents.reveal')}
        </Button>
      )}
    </Space>
  );
}

function Cards({ r, canEdit }: { r: ResidentDetail; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const rules = rulesFor(t);
  const [form] = Form.useForm<{ kind: 'ss_card' | 'senior_card'; number: string }>();
  const [qr, setQr] = useState<string | null>(null);
  const { addCard: add, revokeCard } = useResidentCredentials(r.id);
  const addCard = (body: Parameters<typeof add.mutate>[0]) =>
    add.mutate(body, {
      onSuccess: (res) => {
        form.resetFields(['number']);
        if (res.qrToken) setQr(res.qrToken);
        else message.success(t('common.saved'));
      },
      onError: (e) => void message.error(body.kind === 'qr' ? errorText(t, e) : showFormError(form, e, t)),
    });

  const revoke = (c: ResidentCard) =>
    modal.confirm({
      title: t('residents.revokeCard'),
      content: t('residents.revokeCardConfirm'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await revokeCard.mutateAsync(c.id);
        } catch (e) {
          message.error(errorText(t, e));
        }
      },
    });

  return (
    <>
      <Table<ResidentCard>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={r.cards}
        locale={{ emptyText: t('common.none') }}
        columns={[
          { title: t('residents.cardKind'), render: (_v, c) => t(`cardKinds.${c.kind}`) },
          { title: t('residents.cardNumber'), render: (_v, c) => <span className="mono">****{c.last4}</span> },
          { title: t('residents.issuedAt'), render: (_v, c) => fmtDateTime(c.issuedAt) },
          {
            title: '',
            align: 'right',
            render: (_v, c) =>
              c.revokedAt ? (
                <Tag>{t('residents.revoked')}</Tag>
              ) : canEdit ? (
                <Button size="small" type="link" danger onClick={() => revoke(c)}>
                  {t('residents.revokeCard')}
                </Button>
              ) : null,
          },
        ]}
      />
      {canEdit && (
        <Form
          form={form}
          layout="inline"
          style={{ marginTop: 12, rowGap: 8 }}
          initialValues={{ kind: 'ss_card' }}
          onFinish={(v) => addCard({ kind: v.kind, number: v.number.trim() })}
        >
          <Form.Item name="kind">
            <Select
              style={{ width: 130 }}
              aria-label={t('residents.cardKind')}
              options={(['ss_card', 'senior_card'] as const).map((k) => ({ value: k, label: t(`cardKinds.${k}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="number"
            validateFirst
            validateDebounce={CARD_CHECK_DEBOUNCE_MS}
            hasFeedback
            rules={[
              { required: true, message: t('fieldErrors.number') },
              ...rules(AddCardRequest.shape.number, 'number'),
              cardFreeRule(t, () => form.getFieldValue('kind') ?? 'ss_card', r.id),
            ]}
          >
            <Input placeholder={t('residents.cardNumber')} aria-label={t('residents.cardNumber')} style={{ width: 180 }} data-testid="card-number" />
          </Form.Item>
          <Button htmlType="submit" loading={add.isPending && add.variables?.kind !== 'qr'} data-testid="card-add">
            {t('residents.addCard')}
          </Button>
          <Button
            icon={<QrcodeOutlined />}
            loading={add.isPending && add.variables?.kind === 'qr'}
            onClick={() => addCard({ kind: 'qr' })}
            data-testid="card-issue-qr"
          >
            {t('residents.issueQr')}
          </Button>
        </Form>
      )}
      <Modal
        open={!!qr}
        title={`${t('residents.qrTitle')} · ${r.name}`}
        footer={<Button onClick={() => setQr(null)}>{t('common.close')}</Button>}
        onCancel={() => setQr(null)}
      >
        {qr && (
          <div className="qr-box" data-testid="qr-token">
            <QRCode value={qr} size={220} errorLevel="M" type="svg" />
            <code>{qr}</code>
            <Typography.Paragraph type="secondary">{t('residents.qrHint')}</Typography.Paragraph>
          </div>
        )}
      </Modal>
    </>
  );
}

function Pin({ r, canEdit }: { r: ResidentDetail; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = rulesFor(t);
  const [form] = Form.useForm<{ pin: string }>();
  const { setPin: set, unlockPin } = useResidentCredentials(r.id);
  const unlock = () =>
    unlockPin.mutate(undefined, {
      onSuccess: () => void message.success(t('residents.pinUnlocked')),
      onError: (e) => void message.error(errorText(t, e)),
    });
  const setPin = (pin: string) =>
    set.mutate(pin, {
      onSuccess: () => {
        message.success(t('residents.pinSaved'));
        form.resetFields();
      },
      onError: (e) => void message.error(showFormError(form, e, t)),
    });
  return (
    <Space wrap>
      {r.pinLocked ? (
        <>
          <Tag color="red" data-testid="pin-locked">
            {r.pinLockedUntil ? t('residents.pinLockedUntil', { time: fmtDateTime(r.pinLockedUntil) }) : t('residents.pinLocked')}
          </Tag>
          {canEdit && (
            <Button size="small" loading={unlockPin.isPending} onClick={unlock} data-testid="pin-unlock">
              {t('residents.pinUnlock')}
            </Button>
          )}
        </>
      ) : r.hasPin ? (
        <Tag color="green">{t('residents.pinSet')}</Tag>
      ) : (
        <Tag>{t('residents.pinNone')}</Tag>
      )}
      {canEdit && (
        <Form form={form} layout="inline" onFinish={(v) => setPin(v.pin)}>
          <Form.Item name="pin" rules={rules(SetPinRequest.shape.pin, 'pin')} extra={<span className="small">{t('residents.pinHint')}</span>}>
            <Input.Password
              aria-label={t('residents.pin')}
              maxLength={6}
              inputMode="numeric"
              autoComplete="new-password"
              style={{ width: 140 }}
              data-testid="pin-input"
            />
          </Form.Item>
          <Button htmlType="submit" loading={set.isPending} data-testid="pin-submit">
            {t('residents.setPin')}
          </Button>
        </Form>
      )}
    </Space>
  );
}

interface TopupForm {
  amount: string;
  method: 'cash' | 'external';
  reference?: string;
}

function Wallet({ r, canTopup }: { r: ResidentDetail; canTopup: boolean }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const rules = rulesFor(t);
  const { canteen } = useCanteenCtx();
  const wallet = useWallet(r.id);
  const [receiptOf, setReceiptOf] = useState<string | null>(null);
  const [payingOut, setPayingOut] = useState(false);
  const balanceFen = wallet.data?.balanceFen ?? r.balanceFen;
  const closed = wallet.data?.closed ?? false;
  const canPayOut = canTopup && !closed && r.status !== 'active' && r.status !== 'institutionalised' && balanceFen > 0;
  const [form] = Form.useForm<TopupForm>();
  const method = Form.useWatch('method', form);
  // One client id per intended top-up: a double click or a retry sends the same id, so it is recorded once.
  const pendingId = useRef<string>(clientId());
  const inFlight = useRef(false);

  const topup = useTopup(r.id);

  const submit = (v: TopupForm) => {
    if (inFlight.current) return;
    const amountFen = parseYuan(v.amount);
    if (amountFen === null) return;
    // The amount is said back before anything is recorded: money is counted once, by a person who confirms it.
    modal.confirm({
      title: t('walletUi.confirmTitle'),
      content: t('walletUi.confirmBody', { name: r.name, amount: yuan(amountFen), method: t(`paymentMethods.${v.method}`) }),
      okText: t('walletUi.confirmOk'),
      okButtonProps: { 'data-testid': 'topup-confirm-ok' } as ButtonProps,
      onOk: () => record(v, amountFen),
    });
  };

  const record = (v: TopupForm, amountFen: number) => {
    if (inFlight.current) return;
    inFlight.current = true;
    topup.mutate(
      {
        id: pendingId.current,
        residentId: r.id,
        canteenId: canteen.id,
        amountFen,
        method: v.method,
        reference: v.reference?.trim() ? v.reference.trim() : null,
      },
      {
        onSuccess: (w) => {
          pendingId.current = clientId();
          form.resetFields(['amount', 'reference']);
          message.success(t('residents.topupDone', { balance: yuan(w.balanceFen) }));
          if (w.entries[0]?.receiptNo) setReceiptOf(w.entries[0].id);
        },
        onError: (e) => void message.error(showFormError(form, e, t, { rename: { amountFen: 'amount' } })),
        onSettled: () => {
          inFlight.current = false;
        },
      },
    );
  };

  return (
    <>
      <div className="wallet-balance">
        <span className="muted">{t('residents.balance')}</span>
        <span className={`big-amount ${(wallet.data?.balanceFen ?? r.balanceFen) < 0 ? 'negative' : ''}`} data-testid="wallet-balance">
          {yuan(wallet.data?.balanceFen ?? r.balanceFen)}
        </span>
      </div>
      {closed && wallet.data?.payout && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="wallet-closed"
          title={t('walletUi.closed', {
            date: fmtDateTime(wallet.data.payout.paidAt),
            name: wallet.data.payout.recipientName,
            relation: wallet.data.payout.recipientRelation,
            amount: yuan(wallet.data.payout.amountFen),
          })}
        />
      )}
      <Space style={{ marginBottom: 8 }} wrap>
        {canPayOut && (
          <Button danger onClick={() => setPayingOut(true)} data-testid="payout-open">
            {t('walletUi.payout')}
          </Button>
        )}
        <ListExportButtons name="wallet" path={`/residents/${seg(r.id)}/wallet/export`} request={WalletExportQuery} query={{}} />
      </Space>
      {receiptOf && <ReceiptDialog entryId={receiptOf} onClose={() => setReceiptOf(null)} />}
      {payingOut && (
        <PayoutDialog
          r={r}
          balanceFen={balanceFen}
          onClose={() => setPayingOut(false)}
          onDone={(entryId) => {
            setPayingOut(false);
            setReceiptOf(entryId);
          }}
        />
      )}
      {canTopup && !closed && (
        <Form<TopupForm>
          form={form}
          layout="inline"
          initialValues={{ method: 'cash' }}
          onValuesChange={() => {
            if (!topup.isPending) pendingId.current = clientId();
          }}
          onFinish={submit}
          style={{ rowGap: 8, marginBottom: 12 }}
        >
          <Form.Item name="amount" rules={rules(TopupRequest.shape.amountFen, 'amountFen', amountToFen)}>
            <Input
              prefix="¥"
              placeholder={t('residents.amount')}
              aria-label={t('residents.amount')}
              inputMode="decimal"
              style={{ width: 140 }}
              data-testid="topup-amount"
            />
          </Form.Item>
          <Form.Item name="method">
            <Radio.Group
              aria-label={t('residents.method')}
              optionType="button"
              options={[
                { value: 'cash', label: t('paymentMethods.cash') },
                { value: 'external', label: t('paymentMethods.external') },
              ]}
            />
          </Form.Item>
          {method === 'external' && (
            <Form.Item
              name="reference"
              rules={[{ required: true, whitespace: true, message: t('validation.required') }, ...rules(TopupRequest.shape.reference, 'reference')]}
            >
              <Input placeholder={t('residents.reference')} aria-label={t('residents.reference')} style={{ width: 160 }} data-testid="topup-reference" />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" loading={topup.isPending} data-testid="topup-submit">
            {t('residents.topup')}
          </Button>
        </Form>
      )}
      <Table<WalletEntry>
        size="small"
        rowKey="id"
        loading={wallet.isPending}
        dataSource={wallet.data?.entries ?? []}
        pagination={{ pageSize: 10, size: 'small', hideOnSinglePage: true }}
        locale={{ emptyText: t('residents.noEntries') }}
        data-testid="wallet-entries"
        columns={[
          { title: t('common.time'), width: 140, render: (_v, e) => fmtDateTime(e.createdAt) },
          { title: t('residents.kind'), render: (_v, e) => t(`walletKinds.${e.kind}`) },
          { title: t('residents.method'), render: (_v, e) => (e.method ? t(`paymentMethods.${e.method}`, { defaultValue: e.method }) : '—') },
          { title: t('residents.reference'), render: (_v, e) => e.reference ?? '' },
          {
            title: t('residents.amount'),
            align: 'right',
            render: (_v, e) => <span className={e.amountFen < 0 ? 'negative' : 'positive'}>{yuan(e.amountFen)}</span>,
          },
          {
            title: t('walletUi.receipt'),
            render: (_v, e) =>
              e.receiptNo ? (
                <Button size="small" type="link" onClick={() => setReceiptOf(e.id)} data-testid={`receipt-open-${e.id}`}>
                  {e.receiptNo.slice(-4)}
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}

export function ResidentDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const resident = useResident(id);
  const r = resident.data;
  const today = nowIn(undefined).date;
  const canEdit = canKeepResidents(me);
  const canTopup = inGroup(me?.role, 'canteenStaff');
  const [editing, setEditing] = useState(false);
  const areas = useAreaTree(null);
  const canteens = useCanteens();
  // Named by the server, also a canteen outside the caller's scope (before, the console showed that one's id).
  const homeName = r?.homeCanteenId ? (r.homeCanteenName ?? canteens.data?.find((c) => c.id === r.homeCanteenId)?.name ?? null) : null;

  return (
    <Drawer
      open={!!id}
      onClose={() => {
        setEditing(false);
        onClose();
      }}
      size={720}
      title={r ? `${r.name} · ${t(`gender.${r.gender}`)} · ${r.age}` : t('residents.detail')}
      destroyOnHidden
      extra={
        r && canEdit && !editing ? (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="resident-edit">
            {t('residentForm.edit')}
          </Button>
        ) : null
      }
    >
      {resident.isPending ? (
        <Spin />
      ) : resident.isError ? (
        <ErrorResult error={resident.error} onRetry={() => void resident.refetch()} />
      ) : r ? (
        <div className="resident-detail" data-testid="resident-detail" data-resident-id={r.id}>
          {r.status !== 'active' && (
            <Alert
              type="warning"
              showIcon
              title={
                r.statusSince
                  ? t('residentForm.statusSinceShown', { status: t(`residentStatus.${r.status}`), date: r.statusSince })
                  : t(`residentStatus.${r.status}`)
              }
              style={{ marginBottom: 12 }}
              data-testid="resident-status-alert"
            />
          )}
          {editing ? (
            <Card size="small" title={t('residentForm.edit')}>
              <ResidentEditForm r={r} onDone={() => setEditing(false)} />
            </Card>
          ) : (
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label={t('residents.idNumber')} span={2}>
                <IdNumber r={r} />
              </Descriptions.Item>
              <Descriptions.Item label={t('residents.phone')}>{r.phoneMasked ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('residents.hukou')}>
                {r.hukouAreaCode ? (areas.nameOf(r.hukouAreaCode) ?? r.hukouAreaName ?? r.hukouAreaCode) : t('residentForm.hukouOther')}
              </Descriptions.Item>
              <Descriptions.Item label={t('residentForm.residence')} span={2}>
                {areas.nameOf(r.residenceAreaCode) ?? r.residenceAreaCode}
              </Descriptions.Item>
              <Descriptions.Item label={t('residents.address')} span={2}>
                {r.address ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('residents.careLevel')}>{r.careLevel}</Descriptions.Item>
              <Descriptions.Item label={t('residents.disability')}>
                {t(`disability.${r.disabilityLevel}`)}
                {r.disabilityGrade ? ` · ${t('residents.disabilityGrade')} ${t(`disabilityGrades.${r.disabilityGrade}`)}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('residents.livesAlone')}>{r.livesAlone ? t('common.yes') : t('common.no')}</Descriptions.Item>
              <Descriptions.Item label={t('residents.status')}>
                <span data-testid="resident-status">{t(`residentStatus.${r.status}`)}</span>
                {r.status !== 'active' && r.statusSince ? ` · ${r.statusSince}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('residents.homeCanteen')} span={2}>
                {homeName ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('residents.dietNeeds')}>
                {r.dietNeeds.length ? r.dietNeeds.map((d) => t(`dietNeeds.${d}`, { defaultValue: d })).join(t('common.listSep')) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('residents.allergies')}>
                {r.allergies.length
                  ? r.allergies.map((a) => (
                      <Tag key={a} color="red">
                        {t(`allergens.${a}`, { defaultValue: a })}
                      </Tag>
                    ))
                  : '—'}
              </Descriptions.Item>
            </Descriptions>
          )}

          <Card size="small" title={t('residents.categories')} className="section" data-testid="resident-categories">
            <CategoriesSection r={r} canEdit={canEdit} today={today} />
          </Card>

          <Card size="small" title={t('residents.wallet')} className="section">
            <Wallet r={r} canTopup={canTopup} />
          </Card>

          <Card size="small" title={t('walletUi.orders')} className="section">
            <ResidentOrders r={r} />
          </Card>

          <Card size="small" title={t('residents.cards')} className="section">
            <Cards r={r} canEdit={canEdit} />
          </Card>

          <Card size="small" title={t('residents.pin')} className="section">
            <Pin r={r} canEdit={canEdit} />
          </Card>
        </div>
      ) : null}
    </Drawer>
  );
}
