import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Cascader, Col, DatePicker, Divider, Drawer, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { RESIDENT_CATEGORIES, type Allergen, type DietNeed, type DisabilityLevel, type ResidentCategory } from '@yishi/shared/domain';
import { AddCardRequest, CreateResidentRequest, idNumberChecksumOk } from '@yishi/shared/schemas';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CareFields } from './CareFields';
import { useMe } from '../../api/auth';
import { ApiError } from '../../api/client';
import { useRegisterResident, type ResidentDetail } from '../../api/residents';
import { useCanteens } from '../../api/sites';
import { useCanteenCtx } from '../../layout/canteenContext';
import { errorText } from '../../lib/errors';
import { nowIn } from '../../lib/format';
import { rulesFor, showFormError } from '../../lib/forms';
import { CARD_CHECK_DEBOUNCE_MS, ageOn, birthDateFromId, cardFreeRule, genderFromId, useAreaTree } from './residentFields';

const Category = CreateResidentRequest.shape.categories.unwrap().element.shape;
const last = (v: unknown) => (Array.isArray(v) ? (v[v.length - 1] as unknown) : v);
const day = (v: unknown) => (dayjs.isDayjs(v) ? v.format('YYYY-MM-DD') : v);

export interface CategoryRow {
  code?: ResidentCategory;
  validFrom?: Dayjs;
  evidence?: string;
}

interface CreateForm {
  name: string;
  gender?: 'female' | 'male';
  idNumber: string;
  phone?: string;
  hukouKind: 'gz' | 'other';
  hukou?: string[];
  residence?: string[];
  address?: string;
  careLevel: number;
  disabilityGrade: number;
  disabilityLevel: DisabilityLevel;
  livesAlone: boolean;
  dietNeeds: DietNeed[];
  allergies: Allergen[];
  homeCanteenId: string | null;
  categories: CategoryRow[];
  cardKind: 'ss_card' | 'senior_card';
  card?: string;
}

/** Wire fields the form names differently (categories.N.x is a list path on both sides). */
const RENAME = { hukouAreaCode: 'hukou', residenceAreaCode: 'residence', birthDate: 'idNumber' };

/** What the ID number field says about itself as the clerk types. */
function idInfo(raw: string | undefined, today: string) {
  const id = (raw ?? '').trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id) || !idNumberChecksumOk(id)) return null;
  const birth = birthDateFromId(id);
  if (!birth || birth > today) return null;
  return { id, birth, age: ageOn(birth, today), gender: genderFromId(id) };
}

export function ResidentCreateDrawer({
  open,
  onClose,
  onCreated,
  onFindExisting,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (r: ResidentDetail) => void;
  onFindExisting: (last4: string) => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const rules = rulesFor(t);
  const me = useMe().data;
  const { canteen } = useCanteenCtx();
  const canteens = useCanteens();
  const today = nowIn(canteen.timeZone).date;
  const areas = useAreaTree(me?.role === 'street' ? me.scopeAreaCode : null);
  const [form] = Form.useForm<CreateForm>();
  const [duplicate, setDuplicate] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const topRef = useRef<HTMLDivElement>(null);
  // A server answer that is not on one field shows at the top: bring it into view.
  useEffect(() => {
    if (duplicate || formError) topRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [duplicate, formError]);
  const reset = () => {
    form.resetFields();
    setDuplicate(null);
    setFormError(null);
  };

  const idRaw = Form.useWatch('idNumber', form);
  const hukouKind = Form.useWatch('hukouKind', form);
  const gender = Form.useWatch('gender', form);
  const info = idInfo(idRaw, today);
  const operatorOnly = me?.role === 'operator';
  // A street clerk may register someone living in their street who eats at no particular canteen.
  const canteenOptions = [
    ...(operatorOnly ? [] : [{ value: '', label: t('residentForm.homeCanteenNone') }]),
    ...(canteens.data ?? [canteen]).map((c) => ({ value: c.id, label: c.name })),
  ];
  const defaultCanteen = operatorOnly && me && !me.canteenIds.includes(canteen.id) ? null : canteen.id;

  const create = useRegisterResident();
  const onCreatedNow = ({ r, cardError }: { r: ResidentDetail; cardError: unknown }) => {
    if (cardError) {
      const reason = cardError instanceof ApiError && cardError.code === 'conflict' ? t('fieldIssue.number.conflict') : errorText(t, cardError);
      modal.warning({ title: t('residentForm.created', { name: r.name }), content: t('residentForm.cardFailed', { name: r.name, reason }) });
    } else {
      message.success(t('residentForm.created', { name: r.name }));
    }
    form.resetFields();
    onCreated(r);
  };
  const onRefused = (e: unknown, idNumber: string) => {
    // A street clerk registering someone outside their street is refused without a field: it is about the residence.
    const summary = showFormError(form, e, t, { rename: RENAME, byCode: { forbidden: 'residenceAreaCode' } });
    // An ID number already registered: the banner offers to find that elder instead.
    if (e instanceof ApiError && e.code === 'conflict' && e.details.field === 'idNumber') setDuplicate(idNumber.slice(-4));
    else setFormError(summary);
  };

  const submit = (v: CreateForm) => {
    if (!info) return;
    setDuplicate(null);
    setFormError(null);
    const residence = v.residence ?? [];
    const card = v.card?.trim();
    const body = {
      name: v.name.trim(),
      gender: v.gender ?? 'female',
      birthDate: info.birth,
      idNumber: info.id,
      phone: v.phone?.trim() ? v.phone.trim() : null,
      hukouAreaCode: v.hukouKind === 'gz' ? (v.hukou?.[v.hukou.length - 1] ?? null) : null,
      residenceAreaCode: residence[residence.length - 1] ?? '',
      address: v.address?.trim() ? v.address.trim() : null,
      careLevel: v.careLevel,
      disabilityGrade: v.disabilityGrade ? v.disabilityGrade : null,
      disabilityLevel: v.disabilityLevel,
      livesAlone: v.livesAlone,
      dietNeeds: v.dietNeeds,
      allergies: v.allergies,
      homeCanteenId: v.homeCanteenId ? v.homeCanteenId : null,
      categories: v.categories
        .filter((c) => c.code && c.validFrom)
        .map((c) => ({ code: c.code!, validFrom: c.validFrom!.format('YYYY-MM-DD'), validTo: null, evidence: (c.evidence ?? '').trim() })),
      card: card ? { kind: v.cardKind, number: card } : null,
    };
    create.mutate(body, { onSuccess: onCreatedNow, onError: (e) => onRefused(e, body.idNumber) });
  };

  const initial: Partial<CreateForm> = {
    hukouKind: 'gz',
    careLevel: 0,
    disabilityGrade: 0,
    disabilityLevel: 'none',
    livesAlone: false,
    dietNeeds: [],
    allergies: [],
    homeCanteenId: defaultCanteen,
    categories: [],
    cardKind: 'ss_card',
  };

  const idMismatch = info?.gender && gender && info.gender !== gender;

  return (
    <Drawer
      open={open}
      size={760}
      title={t('residentForm.create')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button
            onClick={() => {
              reset();
              onClose();
            }}
            data-testid="rf-cancel"
          >
            {t('common.cancel')}
          </Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="rf-submit">
            {t('residentForm.submit')}
          </Button>
        </Space>
      }
    >
      <Form<CreateForm>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        onFinishFailed={() => setFormError(t('validation.fixFields'))}
        onValuesChange={(changed: Partial<CreateForm>) => {
          if ('idNumber' in changed) {
            setDuplicate(null);
            // Fill the gender from the ID number the first time it is complete and valid.
            const id = (changed.idNumber ?? '').trim().toUpperCase();
            const g = idNumberChecksumOk(id) ? genderFromId(id) : null;
            if (g && !form.getFieldValue('gender')) form.setFieldValue('gender', g);
          }
          setFormError(null);
        }}
        requiredMark="optional"
        data-testid="resident-form"
        scrollToFirstError
      >
        <div ref={topRef} />
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} data-testid="rf-error" />}
        {duplicate && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('residentForm.duplicate')}
            description={t('residentForm.duplicateHint')}
            action={
              <Button
                size="small"
                onClick={() => {
                  const last4 = duplicate;
                  reset();
                  onFindExisting(last4);
                }}
                data-testid="rf-duplicate-open"
              >
                {t('residentForm.duplicateOpen', { last4: duplicate })}
              </Button>
            }
            data-testid="rf-duplicate"
          />
        )}
        <Divider titlePlacement="start" plain>
          {t('residentForm.basic')}
        </Divider>
        <Row gutter={12}>
          <Col span={10}>
            <Form.Item name="name" label={t('residents.name')} rules={rules(CreateResidentRequest.shape.name, 'name')}>
              <Input maxLength={30} data-testid="rf-name" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item
              name="gender"
              label={t('residentForm.gender')}
              rules={rules(CreateResidentRequest.shape.gender, 'gender')}
              extra={
                idMismatch ? (
                  <Typography.Text type="warning">{t('residentForm.genderMismatch', { gender: t(`gender.${info.gender}`) })}</Typography.Text>
                ) : undefined
              }
            >
              <Radio.Group
                optionType="button"
                options={(['female', 'male'] as const).map((g) => ({ value: g, label: t(`gender.${g}`) }))}
                data-testid="rf-gender"
              />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item
              name="idNumber"
              label={t('residentForm.idNumber')}
              normalize={(v: string) => v.toUpperCase().replace(/\s/g, '')}
              validateFirst
              rules={[
                ...rules(CreateResidentRequest.shape.idNumber, 'idNumber'),
                {
                  validator: async (_r, v: string | undefined) => {
                    if (!v || !idNumberChecksumOk(v)) return;
                    const b = birthDateFromId(v);
                    if (!b) throw new Error(t('residentForm.idBirthInvalid'));
                    if (b > today) throw new Error(t('residentForm.idBirthFuture'));
                  },
                },
              ]}
              extra={info ? <Typography.Text type="success">✓ {t('residentForm.idChecksumOk')}</Typography.Text> : t('residentForm.idHint')}
            >
              <Input maxLength={18} className="mono" data-testid="rf-idnumber" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item label={t('residentForm.birthDate')} required extra={info ? t('residentForm.birthFromId') : undefined}>
              <Input
                readOnly
                value={info ? `${info.birth}（${t('residentForm.ageN', { age: info.age })}）` : ''}
                placeholder={t('residentForm.birthFromId')}
                data-testid="rf-birthdate"
                data-value={info?.birth ?? ''}
                tabIndex={-1}
              />
            </Form.Item>
          </Col>
        </Row>
        {info && info.age < 60 && (
          <Alert type="warning" showIcon title={t('residentForm.under60', { age: info.age })} style={{ marginBottom: 12 }} data-testid="rf-under60" />
        )}
        <Row gutter={12}>
          <Col span={10}>
            <Form.Item
              name="phone"
              label={t('residentForm.phone')}
              rules={rules(CreateResidentRequest.shape.phone, 'phone')}
              extra={t('residentForm.phoneHint')}
            >
              <Input maxLength={11} inputMode="numeric" data-testid="rf-phone" autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" plain>
          {t('residentForm.place')}
        </Divider>
        <Row gutter={12}>
          <Col span={10}>
            <Form.Item name="hukouKind" label={t('residentForm.hukouKind')} required>
              <Radio.Group
                data-testid="rf-hukou-kind"
                options={[
                  { value: 'gz', label: t('residentForm.hukouGz') },
                  { value: 'other', label: t('residentForm.hukouOther') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={14}>
            {hukouKind === 'other' ? (
              <Alert type="info" showIcon title={t('residentForm.hukouOtherHint')} style={{ marginTop: 30 }} />
            ) : (
              <Form.Item
                name="hukou"
                label={t('residentForm.hukouArea')}
                rules={[
                  { required: true, message: t('residentForm.hukouRequired') },
                  ...rules(CreateResidentRequest.shape.hukouAreaCode, 'hukouAreaCode', last),
                ]}
                extra={t('residentForm.hukouAreaHint')}
              >
                <Cascader options={areas.hukou} changeOnSelect loading={areas.loading} placeholder={t('residentForm.hukouArea')} data-testid="rf-hukou" />
              </Form.Item>
            )}
          </Col>
          <Col span={14}>
            <Form.Item
              name="residence"
              label={t('residentForm.residence')}
              required
              rules={[
                {
                  validator: async (_r, v: string[] | undefined) => {
                    if (!v || v.length < 2) throw new Error(t('residentForm.residenceRequired'));
                  },
                },
                ...rules(CreateResidentRequest.shape.residenceAreaCode, 'residenceAreaCode', last),
              ]}
              extra={t('residentForm.residenceHint')}
            >
              <Cascader options={areas.residence} changeOnSelect loading={areas.loading} placeholder={t('residentForm.residence')} data-testid="rf-residence" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="address" label={t('residentForm.address')} rules={rules(CreateResidentRequest.shape.address, 'address')}>
              <Input maxLength={200} placeholder={t('residentForm.addressPlaceholder')} data-testid="rf-address" />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" plain>
          {t('residentForm.care')}
        </Divider>
        <CareFields testPrefix="rf" />

        <Divider titlePlacement="start" plain>
          {t('residentForm.canteen')}
        </Divider>
        <Form.Item
          name="homeCanteenId"
          label={t('residentForm.homeCanteen')}
          extra={t('residentForm.homeCanteenHint')}
          rules={operatorOnly ? [{ required: true, message: t('residentForm.homeCanteenRequired') }] : []}
          getValueProps={(v: string | null) => ({ value: v ?? '' })}
          normalize={(v: string) => (v ? v : null)}
        >
          <Select options={canteenOptions} loading={canteens.isPending} data-testid="rf-canteen" />
        </Form.Item>
        <Form.Item label={t('residentForm.categoriesNow')} extra={t('residentForm.categoriesHint')}>
          <Form.List name="categories">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Row gutter={8} key={f.key} align="top">
                    <Col span={6}>
                      <Form.Item name={[f.name, 'code']} rules={rules(Category.code, 'code')}>
                        <Select
                          aria-label={t('residentForm.category')}
                          placeholder={t('residentForm.category')}
                          options={RESIDENT_CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))}
                          data-testid={`rf-cat-code-${f.name}`}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item name={[f.name, 'validFrom']} rules={rules(Category.validFrom, 'validFrom', day)}>
                        <DatePicker
                          aria-label={t('residentForm.validFrom')}
                          placeholder={t('residentForm.validFrom')}
                          style={{ width: '100%' }}
                          data-testid={`rf-cat-from-${f.name}`}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={10}>
                      <Form.Item name={[f.name, 'evidence']} rules={rules(Category.evidence, 'evidence')}>
                        <Input
                          aria-label={t('residentForm.evidence')}
                          placeholder={t('residentForm.evidencePlaceholder')}
                          maxLength={200}
                          data-testid={`rf-cat-evidence-${f.name}`}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={2}>
                      <Button type="text" icon={<DeleteOutlined />} aria-label={t('residentForm.remove')} onClick={() => remove(f.name)} />
                    </Col>
                  </Row>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ validFrom: dayjs(today) })} data-testid="rf-cat-add">
                  {t('residentForm.addCategoryRow')}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="cardKind" label={t('residentForm.cardKind')}>
              <Select options={(['ss_card', 'senior_card'] as const).map((k) => ({ value: k, label: t(`cardKinds.${k}`) }))} data-testid="rf-card-kind" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item
              name="card"
              label={t('residentForm.card')}
              extra={t('residentForm.cardHint')}
              dependencies={['cardKind']}
              validateFirst
              validateDebounce={CARD_CHECK_DEBOUNCE_MS}
              hasFeedback
              rules={[...rules(AddCardRequest.shape.number, 'number'), cardFreeRule(t, () => form.getFieldValue('cardKind') ?? 'ss_card')]}
            >
              <Input maxLength={32} className="mono" data-testid="rf-card" autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
