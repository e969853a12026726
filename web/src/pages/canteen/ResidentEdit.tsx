import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Cascader, Checkbox, Col, DatePicker, Empty, Form, Input, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import {
  ALLERGENS,
  DIET_NEEDS,
  RESIDENT_CATEGORIES,
  RESIDENT_STATUSES,
  horizonEnd,
  type Allergen,
  type DietNeed,
  type DisabilityLevel,
  type ResidentCategory,
  type ResidentStatus,
} from '@yishi/shared/domain';
import { AddCategoryRequest, EndCategoryRequest, UpdateResidentRequest } from '@yishi/shared/schemas';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CareFields } from './CareFields';
import { useMe } from '../../api/auth';
import { useAddCategory, useEndCategory, useUpdateResident, type ResidentCategoryEntry, type ResidentDetail, type UpdateResident } from '../../api/residents';
import { useCanteens } from '../../api/sites';
import { fmtDateTime, nowIn } from '../../lib/format';
import { rulesFor, showFormError } from '../../lib/forms';
import { noEnterSubmit, useAreaTree } from './residentFields';

const DAY = 'YYYY-MM-DD';
const last = (v: unknown) => (Array.isArray(v) ? (v[v.length - 1] as unknown) : v);
const day = (v: unknown) => (dayjs.isDayjs(v) ? v.format(DAY) : v);

interface EditForm {
  name: string;
  residence: string[];
  phone?: string;
  phoneClear: boolean;
  address?: string;
  careLevel: number;
  disabilityGrade: number;
  disabilityLevel: DisabilityLevel;
  livesAlone: boolean;
  dietNeeds: DietNeed[];
  allergies: Allergen[];
  homeCanteenId: string | null;
  status: ResidentStatus;
  statusSince?: Dayjs;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The PATCH body: only what changed. */
function changes(r: ResidentDetail, v: EditForm): UpdateResident {
  const body: UpdateResident = {};
  if (v.name.trim() && v.name.trim() !== r.name) body.name = v.name.trim();
  const residence = v.residence[v.residence.length - 1];
  if (residence && residence !== r.residenceAreaCode) body.residenceAreaCode = residence;
  if (v.phoneClear && r.phoneMasked) body.phone = null;
  else if (v.phone?.trim()) body.phone = v.phone.trim();
  const address = v.address?.trim() ? v.address.trim() : null;
  if (address !== r.address) body.address = address;
  if (v.careLevel !== r.careLevel) body.careLevel = v.careLevel;
  const grade = v.disabilityGrade || null;
  if (grade !== r.disabilityGrade) body.disabilityGrade = grade;
  if (v.disabilityLevel !== r.disabilityLevel) body.disabilityLevel = v.disabilityLevel;
  if (v.livesAlone !== r.livesAlone) body.livesAlone = v.livesAlone;
  if (!sameSet(v.dietNeeds, r.dietNeeds)) body.dietNeeds = v.dietNeeds;
  if (!sameSet(v.allergies, r.allergies)) body.allergies = v.allergies;
  if ((v.homeCanteenId ?? null) !== r.homeCanteenId) body.homeCanteenId = v.homeCanteenId ?? null;
  const since = v.status !== 'active' ? v.statusSince?.format(DAY) : undefined;
  if (v.status !== r.status || (since && since !== r.statusSince)) {
    body.status = v.status;
    if (since) body.statusSince = since;
  }
  return body;
}

/**
 * 编辑资料: the fields the server lets a keeper change after registration. The save buttons here are not submit
 * buttons on purpose: Enter in a date box must confirm the date, not save a status change before it is read.
 */
export function ResidentEditForm({ r, onDone }: { r: ResidentDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = rulesFor(t);
  const me = useMe().data;
  const canteens = useCanteens();
  const [form] = Form.useForm<EditForm>();
  const [formError, setFormError] = useState<string | null>(null);
  const status = Form.useWatch('status', form) ?? r.status;
  const since = Form.useWatch('statusSince', form);
  // Not beyond what the server takes (DATE_HORIZON_DAYS.residentStatus from the home canteen's today).
  const statusLatest = horizonEnd(nowIn(canteens.data?.find((c) => c.id === r.homeCanteenId)?.timeZone).date, 'residentStatus');
  const operatorOnly = me?.role === 'operator';
  const areas = useAreaTree(me?.role === 'street' ? me.scopeAreaCode : null);

  const save = useUpdateResident(r.id);
  const submit = (body: UpdateResident) =>
    save.mutate(body, {
      onSuccess: () => {
        message.success(t('residentForm.saved'));
        onDone();
      },
      onError: (e) => setFormError(showFormError(form, e, t, { rename: { residenceAreaCode: 'residence' } })),
    });

  const initial: EditForm = {
    name: r.name,
    // 440106004001 → [440106, 440106004, 440106004001]
    residence: [6, 9, 12].filter((n) => r.residenceAreaCode.length >= n).map((n) => r.residenceAreaCode.slice(0, n)),
    phoneClear: false,
    address: r.address ?? '',
    careLevel: r.careLevel,
    disabilityGrade: r.disabilityGrade ?? 0,
    disabilityLevel: r.disabilityLevel,
    livesAlone: r.livesAlone,
    dietNeeds: r.dietNeeds.filter((d): d is DietNeed => (DIET_NEEDS as readonly string[]).includes(d)),
    allergies: r.allergies.filter((a): a is Allergen => (ALLERGENS as readonly string[]).includes(a)),
    homeCanteenId: r.homeCanteenId,
    status: r.status,
    statusSince: r.statusSince ? dayjs(r.statusSince) : undefined,
  };

  const canteenOptions = [
    ...(operatorOnly ? [] : [{ value: '', label: t('residentForm.homeCanteenNone') }]),
    ...(canteens.data ?? []).map((c) => ({ value: c.id, label: c.name })),
    // A home canteen outside the caller's scope: its name (the select showed its id), kept but not chosen anew.
    ...(r.homeCanteenId && canteens.data && !canteens.data.some((c) => c.id === r.homeCanteenId)
      ? [{ value: r.homeCanteenId, label: r.homeCanteenName ?? t('residentForm.homeCanteenElsewhere'), disabled: true }]
      : []),
  ];
  const statusChanging = status !== 'active' && (status !== r.status || (since && since.format(DAY) !== r.statusSince));

  return (
    <Form<EditForm>
      form={form}
      layout="vertical"
      initialValues={initial}
      requiredMark="optional"
      data-testid="resident-edit-form"
      onKeyDown={noEnterSubmit}
      onValuesChange={() => setFormError(null)}
      onFinish={(v) => {
        const body = changes(r, v);
        if (Object.keys(body).length === 0) {
          message.info(t('residentForm.noChanges'));
          onDone();
          return;
        }
        submit(body);
      }}
    >
      <Typography.Paragraph type="secondary" className="small">
        {t('residentForm.locked')}
      </Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} data-testid="re-error" />}
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="name" label={t('residents.name')} rules={rules(UpdateResidentRequest.shape.name.unwrap(), 'name')}>
            <Input maxLength={30} data-testid="re-name" />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item
            name="residence"
            label={t('residentForm.residence')}
            extra={t('residentForm.moveHint')}
            rules={[
              { required: true, type: 'array', min: 2, message: t('residentForm.residenceRequired') },
              ...rules(UpdateResidentRequest.shape.residenceAreaCode.unwrap(), 'residenceAreaCode', last),
            ]}
          >
            <Cascader options={areas.residence} changeOnSelect loading={areas.loading} data-testid="re-residence" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="status" label={t('residentForm.status')} required>
            <Select options={RESIDENT_STATUSES.map((s) => ({ value: s, label: t(`residentStatus.${s}`) }))} data-testid="re-status" />
          </Form.Item>
        </Col>
        {status !== 'active' && (
          <Col span={8}>
            <Form.Item
              name="statusSince"
              label={t('residentForm.statusSince')}
              rules={rules(UpdateResidentRequest.shape.statusSince.unwrap(), 'statusSince', day)}
            >
              <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format(DAY) > statusLatest} data-testid="re-status-since" />
            </Form.Item>
          </Col>
        )}
      </Row>
      {statusChanging && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('residentForm.statusWarn', { status: t(`residentStatus.${status}`), date: since ? since.format(DAY) : '…' })}
          data-testid="re-status-warn"
        />
      )}
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="phone" label={t('residentForm.phone')} rules={rules(UpdateResidentRequest.shape.phone, 'phone')}>
            <Input
              maxLength={11}
              inputMode="numeric"
              placeholder={r.phoneMasked ? t('residentForm.phoneKeep', { masked: r.phoneMasked }) : t('residentForm.phoneNew')}
              data-testid="re-phone"
              autoComplete="off"
            />
          </Form.Item>
        </Col>
        {r.phoneMasked && (
          <Col span={12}>
            <Form.Item name="phoneClear" valuePropName="checked" style={{ marginTop: 30 }}>
              <Checkbox data-testid="re-phone-clear">{t('residentForm.phoneClear')}</Checkbox>
            </Form.Item>
          </Col>
        )}
        <Col span={24}>
          <Form.Item name="address" label={t('residentForm.address')} rules={rules(UpdateResidentRequest.shape.address, 'address')}>
            <Input maxLength={200} placeholder={t('residentForm.addressPlaceholder')} data-testid="re-address" />
          </Form.Item>
        </Col>
      </Row>
      <CareFields testPrefix="re" />
      <Form.Item
        name="homeCanteenId"
        label={t('residentForm.homeCanteen')}
        extra={t('residentForm.homeCanteenHint')}
        getValueProps={(v: string | null) => ({ value: v ?? '' })}
        normalize={(v: string) => (v ? v : null)}
      >
        <Select options={canteenOptions} loading={canteens.isPending} data-testid="re-canteen" />
      </Form.Item>
      <Space>
        <Button type="primary" onClick={() => form.submit()} loading={save.isPending} data-testid="re-save">
          {t('residentForm.save')}
        </Button>
        <Button onClick={onDone} data-testid="re-cancel">
          {t('common.cancel')}
        </Button>
      </Space>
    </Form>
  );
}

interface AddCategoryForm {
  code?: ResidentCategory;
  validFrom?: Dayjs;
  validTo?: Dayjs;
  evidence?: string;
}

function AddCategoryPanel({ r, today, onDone }: { r: ResidentDetail; today: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = rulesFor(t);
  const [form] = Form.useForm<AddCategoryForm>();
  const [formError, setFormError] = useState<string | null>(null);
  const from = Form.useWatch('validFrom', form);
  const add = useAddCategory(r.id);
  return (
    <Form<AddCategoryForm>
      form={form}
      layout="vertical"
      initialValues={{ validFrom: dayjs(today) }}
      onValuesChange={() => setFormError(null)}
      onFinish={(v) =>
        add.mutate(
          {
            code: v.code!,
            validFrom: v.validFrom!.format(DAY),
            validTo: v.validTo ? v.validTo.format(DAY) : null,
            evidence: (v.evidence ?? '').trim(),
          },
          {
            onSuccess: () => {
              message.success(t('residentForm.categoryAdded'));
              onDone();
            },
            onError: (e) => setFormError(showFormError(form, e, t)),
          },
        )
      }
      className="section"
      data-testid="cat-form"
      onKeyDown={noEnterSubmit}
      requiredMark="optional"
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Row gutter={8}>
        <Col span={6}>
          <Form.Item name="code" label={t('residentForm.category')} rules={rules(AddCategoryRequest.shape.code, 'code')}>
            <Select options={RESIDENT_CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))} data-testid="cat-code" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="validFrom" label={t('residentForm.validFrom')} rules={rules(AddCategoryRequest.shape.validFrom, 'validFrom', day)}>
            <DatePicker style={{ width: '100%' }} data-testid="cat-from" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item
            name="validTo"
            label={t('residentForm.validTo')}
            dependencies={['validFrom']}
            rules={[
              {
                validator: async (_r, v: Dayjs | undefined) => {
                  if (v && from && v.isBefore(from, 'day')) throw new Error(t('fieldErrors.validTo'));
                },
              },
            ]}
          >
            <DatePicker style={{ width: '100%' }} data-testid="cat-to" />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="evidence" label={t('residentForm.evidence')} rules={rules(AddCategoryRequest.shape.evidence, 'evidence')}>
            <Input maxLength={200} placeholder={t('residentForm.evidencePlaceholder')} data-testid="cat-evidence" />
          </Form.Item>
        </Col>
      </Row>
      <Space>
        <Button type="primary" onClick={() => form.submit()} loading={add.isPending} data-testid="cat-save">
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}

interface EndForm {
  validTo?: Dayjs;
  reason?: string;
}

function EndCategoryModal({ r, entry, today, onClose }: { r: ResidentDetail; entry: ResidentCategoryEntry | null; today: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = rulesFor(t);
  const [form] = Form.useForm<EndForm>();
  const [formError, setFormError] = useState<string | null>(null);
  const end = useEndCategory(r.id);
  if (!entry) return null;
  const defaultEnd = today < entry.validFrom ? entry.validFrom : entry.validTo && entry.validTo <= today ? undefined : today;
  return (
    <Modal
      open
      title={t('residentForm.endTitle', { category: t(`categories.${entry.code}`) })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" danger loading={end.isPending} onClick={() => form.submit()} data-testid="cat-end-save">
            {t('residentForm.endCategory')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {entry.validFrom} ~ {entry.validTo ?? t('residents.openEnded')} · {entry.evidence}
      </Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form<EndForm>
        form={form}
        layout="vertical"
        initialValues={{ validTo: defaultEnd ? dayjs(defaultEnd) : undefined }}
        onValuesChange={() => setFormError(null)}
        onFinish={(v) =>
          end.mutate(
            { categoryId: entry.id, body: { validTo: v.validTo!.format(DAY), reason: (v.reason ?? '').trim() } },
            {
              onSuccess: () => {
                message.success(t('residentForm.categoryEnded'));
                onClose();
              },
              onError: (e) => setFormError(showFormError(form, e, t)),
            },
          )
        }
        data-testid="cat-end-form"
        onKeyDown={noEnterSubmit}
      >
        <Form.Item
          name="validTo"
          label={t('residentForm.endDate')}
          extra={t('residentForm.endDateHint')}
          rules={[
            ...rules(EndCategoryRequest.shape.validTo, 'validTo', day),
            {
              validator: async (_r, v: Dayjs | undefined) => {
                if (!v) return;
                const d = v.format(DAY);
                if (d < entry.validFrom) throw new Error(t('residentForm.endBeforeStart', { date: entry.validFrom }));
                if (entry.validTo && d >= entry.validTo) throw new Error(t('residentForm.endAfterCurrent', { date: entry.validTo }));
              },
            },
          ]}
        >
          <DatePicker style={{ width: '100%' }} data-testid="cat-end-date" />
        </Form.Item>
        <Form.Item name="reason" label={t('residentForm.endReason')} rules={rules(EndCategoryRequest.shape.reason, 'reason')}>
          <Input.TextArea rows={2} maxLength={200} placeholder={t('residentForm.endReasonPlaceholder')} data-testid="cat-end-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const STATE_COLOR = { pending: 'gold', approved: 'green', rejected: 'red' } as const;

/** Where a category stands: who proposed it, and who approved or rejected it, when and why. */
export function CategoryApproval({ entry: c }: { entry: ResidentCategoryEntry }) {
  const { t } = useTranslation();
  const who = (name: string | null) => name ?? '—';
  return (
    <div data-testid={`cat-state-${c.id}`} data-state={c.state}>
      <Tag color={STATE_COLOR[c.state]}>{t(`categoryStates.${c.state}`)}</Tag>
      <div className="muted small">{t('residentForm.proposedBy', { who: who(c.proposedBy), time: fmtDateTime(c.proposedAt) })}</div>
      {c.decidedAt && (
        <div className="muted small">
          {t('residentForm.decidedBy', { who: who(c.decidedBy), time: fmtDateTime(c.decidedAt), state: t(`categoryStates.${c.state}`) })}
          {c.decisionNote ? `：${c.decisionNote}` : ''}
        </div>
      )}
      {c.state === 'pending' && <div className="muted small">{t('residentForm.pendingNote')}</div>}
    </div>
  );
}

/** The categories card: the list with validity and evidence; keepers can add one and end an open one. */
export function CategoriesSection({ r, canEdit, today }: { r: ResidentDetail; canEdit: boolean; today: string }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<ResidentCategoryEntry | null>(null);
  const isOpen = (c: ResidentCategoryEntry) => c.validTo === null || c.validTo >= today;
  return (
    <>
      {r.categoryEntries.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.none')} />
      ) : (
        <Table<ResidentCategoryEntry>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={r.categoryEntries}
          columns={[
            { title: t('residents.categories'), render: (_v, c) => <Tag color={isOpen(c) ? 'orange' : undefined}>{t(`categories.${c.code}`)}</Tag> },
            {
              title: t('residents.validity'),
              render: (_v, c) => (
                <span>
                  {c.validFrom} ~ {c.validTo ?? t('residents.openEnded')}
                  {c.validTo && c.validTo < today && <Tag style={{ marginInlineStart: 6 }}>{t('residents.expired')}</Tag>}
                </span>
              ),
            },
            { title: t('residents.evidence'), dataIndex: 'evidence' },
            {
              title: t('residentForm.approval'),
              render: (_v, c) => <CategoryApproval entry={c} />,
            },
            ...(canEdit
              ? [
                  {
                    title: '',
                    align: 'right' as const,
                    render: (_v: unknown, c: ResidentCategoryEntry) =>
                      isOpen(c) ? (
                        <Button size="small" type="link" danger onClick={() => setEnding(c)} data-testid={`cat-end-${c.id}`}>
                          {t('residentForm.endCategory')}
                        </Button>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      )}
      {canEdit &&
        (adding ? (
          <AddCategoryPanel r={r} today={today} onDone={() => setAdding(false)} />
        ) : (
          <Button icon={<PlusOutlined />} style={{ marginTop: 12 }} onClick={() => setAdding(true)} data-testid="cat-add">
            {t('residentForm.addCategory')}
          </Button>
        ))}
      {ending && <EndCategoryModal r={r} entry={ending} today={today} onClose={() => setEnding(null)} />}
    </>
  );
}
