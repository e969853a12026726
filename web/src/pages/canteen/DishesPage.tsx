import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { DishInput as DishInputSchema, ProposePriceRequest } from '@yishi/shared/schemas';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Checkbox,
  Col,
  DatePicker,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ALLERGENS, PRICE_NOTICE_MIN_DAYS, addDays, horizonEnd, type Allergen } from '@yishi/shared/domain';
import dayjs, { type Dayjs } from 'dayjs';
import { formatYuan, parseYuan } from '@yishi/shared/money';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { dishChanged, menusApi, useDishes, useDishTags, type Dish, type DishInput, type DishTagOption, type DishUpdate } from '../../api/menus';
import { usePriceActions } from '../../api/prices';
import { ErrorResult } from '../../components/PageState';
import { testId } from '../../components/OrderActions';
import { useCanteenCtx } from '../../layout/canteenContext';
import { errorText } from '../../lib/errors';
import { nowIn, yuan } from '../../lib/format';
import { rulesFor, showFormError } from '../../lib/forms';
import { useAction } from '../../api/action';

interface DishForm {
  name: string;
  nameEn?: string;
  description?: string;
  category: string;
  price: string;
  isSetMeal: boolean;
  setMealItems: string[];
  kcal?: number | null;
  proteinG?: number | null;
  fatG?: number | null;
  carbG?: number | null;
  sodiumMg?: number | null;
  sugarG?: number | null;
  tags: string[];
  allergens: Allergen[];
  fullPay: boolean;
  active: boolean;
}

const NUTRIENTS = [
  ['kcal', 'dishes.kcal'],
  ['proteinG', 'dishes.protein'],
  ['fatG', 'dishes.fat'],
  ['carbG', 'dishes.carb'],
  ['sodiumMg', 'dishes.sodium'],
  ['sugarG', 'dishes.sugar'],
] as const;

/** A tag's name in the console's language: from the list (base or declared by a policy), or the code when unknown. */
function tagName(code: string, list: readonly DishTagOption[] | undefined, lang: string): string {
  const found = list?.find((x) => x.code === code);
  if (!found) return code;
  return lang.startsWith('en') ? found.en : found.zh;
}

/** The price as typed (yuan) → fen, as the wire carries it; NaN when it is not an amount. */
const priceToFen = (v: unknown) => (typeof v === 'string' ? (parseYuan(v) ?? Number.NaN) : v);

const nul = (s: string | undefined) => (s && s.trim() ? s.trim() : null);

const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const PHOTO_MAX = 2 * 1024 * 1024;

/** The dish's photo for the kiosk's picture cards: JPEG, PNG or WebP up to 2 MB (the server checks the bytes too). */
function DishPhoto({ dish: opened }: { dish: Dish }) {
  const { t } = useTranslation();
  // The drawer opened with a snapshot; show the dish as it is now (after an upload).
  const dish = useDishes(opened.canteenId).data?.find((d) => d.id === opened.id) ?? opened;
  const { message } = App.useApp();
  const qc = useQueryClient();
  const upload = useAction({
    mutationFn: (file: File) => menusApi.setDishPhoto(dish.id, file),
    onSuccess: () => {
      dishChanged(qc, dish.canteenId);
      message.success(t('dishes.photoSaved'));
    },
    onError: (e) => message.error(errorText(t, e)),
  });
  const pick = (file: File | undefined) => {
    if (!file) return;
    if (!PHOTO_TYPES.includes(file.type)) return void message.error(t('dishes.photoType'));
    if (file.size > PHOTO_MAX) return void message.error(t('dishes.photoSize'));
    upload.mutate(file);
  };
  return (
    <Form.Item label={t('dishes.photo')} extra={t('dishes.photoHint')}>
      <Space align="center">
        {dish.photoUrl ? (
          <img src={dish.photoUrl} alt={dish.name} style={{ width: 96, height: 72, objectFit: 'cover', borderRadius: 6 }} />
        ) : (
          <Typography.Text type="secondary">{t('dishes.noPhoto')}</Typography.Text>
        )}
        <Button loading={upload.isPending} onClick={() => document.getElementById(`photo-${dish.id}`)?.click()}>
          {t('dishes.uploadPhoto')}
        </Button>
        <input
          id={`photo-${dish.id}`}
          type="file"
          accept={PHOTO_TYPES.join(',')}
          hidden
          aria-label={t('dishes.uploadPhoto')}
          data-testid="dish-photo-input"
          onChange={(e) => {
            pick(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </Space>
    </Form.Item>
  );
}

function DishEditor({ dish, open, dishes, onClose }: { dish: Dish | null; open: boolean; dishes: Dish[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { canteen } = useCanteenCtx();
  const tagList = useDishTags(canteen.id).data;
  const rules = rulesFor(t);
  const [form] = Form.useForm<DishForm>();
  const isSetMeal = Form.useWatch('isSetMeal', form);
  const [proposing, setProposing] = useState(false);

  const categories = useMemo(() => [...new Set(dishes.map((d) => d.category))].map((c) => ({ value: c })), [dishes]);

  const save = useAction({
    mutationFn: async (v: DishForm) => {
      // Checked by the price rule; a value that is not an amount fails the request's schema check as well.
      const fenPrice = parseYuan(v.price) ?? Number.NaN;
      const body: DishInput = {
        name: v.name.trim(),
        nameEn: nul(v.nameEn),
        description: nul(v.description),
        category: v.category.trim(),
        priceFen: fenPrice,
        isSetMeal: v.isSetMeal,
        setMealItems: v.isSetMeal ? v.setMealItems.map((id) => ({ dishId: id, quantity: 1 })) : [],
        kcal: v.kcal ?? null,
        proteinG: v.proteinG ?? null,
        fatG: v.fatG ?? null,
        carbG: v.carbG ?? null,
        sodiumMg: v.sodiumMg ?? null,
        sugarG: v.sugarG ?? null,
        tags: v.tags,
        allergens: v.allergens,
        fullPay: v.fullPay,
      };
      if (!dish) return menusApi.createDish(canteen.id, body);
      // The price is not edited here: it changes through a proposal the street or district approves.
      const { priceFen: _price, ...rest } = body;
      const upd: DishUpdate = { ...rest, active: v.active };
      return menusApi.updateDish(dish.id, upd);
    },
    onSuccess: () => {
      dishChanged(qc, canteen.id);
      message.success(t('common.saved'));
      onClose();
    },
    onError: (e) => void message.error(showFormError(form, e, t, { rename: { priceFen: 'price' } })),
  });

  const initial: DishForm = dish
    ? {
        name: dish.name,
        nameEn: dish.nameEn ?? '',
        description: dish.description ?? '',
        category: dish.category,
        price: formatYuan(dish.priceFen, { symbol: false, grouping: false }),
        isSetMeal: dish.isSetMeal,
        setMealItems: dish.setMealItems.map((i) => i.dishId),
        kcal: dish.kcal,
        proteinG: dish.proteinG,
        fatG: dish.fatG,
        carbG: dish.carbG,
        sodiumMg: dish.sodiumMg,
        sugarG: dish.sugarG,
        // A dish keeps the tags it has (a policy that declared one may have ended since); the list offers the others.
        tags: dish.tags,
        allergens: dish.allergens.filter((x): x is Allergen => (ALLERGENS as readonly string[]).includes(x)),
        fullPay: dish.fullPay,
        active: dish.active,
      }
    : { name: '', category: '', price: '', isSetMeal: false, setMealItems: [], tags: [], allergens: [], fullPay: false, active: true };
  // The tags offered: the list for this canteen, then any the dish carries that the list no longer has.
  const tagOptions = [
    ...(tagList ?? []).map((x) => ({
      value: x.code,
      label: (
        <span data-testid={`dish-tag-${x.code}`} title={x.declaredBy ? t('dishes.tagDeclaredBy', { policy: x.declaredBy }) : undefined}>
          {tagName(x.code, tagList, i18n.language)}
          {x.declaredBy && <span className="muted small">{t('dishes.tagOfPolicy')}</span>}
        </span>
      ),
    })),
    ...(dish?.tags ?? []).filter((c) => !tagList?.some((x) => x.code === c)).map((c) => ({ value: c, label: <span>{c}</span> })),
  ];

  return (
    <Drawer
      open={open}
      size={560}
      title={dish ? `${t('dishes.edit')} · ${dish.name}` : t('dishes.create')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="dish-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<DishForm> form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)} requiredMark="optional">
        <Row gutter={12}>
          <Col span={14}>
            <Form.Item name="name" label={t('dishes.name')} rules={rules(DishInputSchema.shape.name, 'name')}>
              <Input maxLength={40} data-testid="dish-name" />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="category" label={t('dishes.category')} rules={rules(DishInputSchema.shape.category, 'category')}>
              <AutoComplete options={categories} filterOption maxLength={20} data-testid="dish-category" />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item name="nameEn" label={t('dishes.nameEn')} rules={rules(DishInputSchema.shape.nameEn, 'nameEn')}>
              <Input maxLength={80} />
            </Form.Item>
          </Col>
          <Col span={10}>
            {dish ? (
              <Form.Item label={t('dishes.price')} extra={<DishPriceState dish={dish} />}>
                <Space>
                  <b className="big-price" data-testid="dish-price-now">
                    {yuan(dish.priceFen)}
                  </b>
                  <Button size="small" onClick={() => setProposing(true)} disabled={!!dish.pendingPrice} data-testid="dish-propose-price">
                    {t('prices.propose')}
                  </Button>
                </Space>
              </Form.Item>
            ) : (
              <Form.Item
                name="price"
                label={t('dishes.price')}
                rules={rules(DishInputSchema.shape.priceFen, 'priceFen', priceToFen)}
                extra={t('prices.newDishHint')}
              >
                <Input prefix="¥" inputMode="decimal" data-testid="dish-price" />
              </Form.Item>
            )}
          </Col>
        </Row>
        {dish && <DishPhoto dish={dish} />}
        <Form.Item name="description" label={t('dishes.description')} rules={rules(DishInputSchema.shape.description, 'description')}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
        <Form.Item name="tags" label={t('dishes.tags')} extra={t('dishes.tagsHint')}>
          <Checkbox.Group options={tagOptions} data-testid="dish-tags" />
        </Form.Item>
        <Form.Item name="fullPay" label={t('dishes.fullPay')} valuePropName="checked" extra={t('dishes.fullPayHint')}>
          <Switch data-testid="dish-full-pay" />
        </Form.Item>
        <Form.Item name="allergens" label={t('dishes.allergens')}>
          <Checkbox.Group options={ALLERGENS.map((x) => ({ value: x, label: t(`allergens.${x}`) }))} />
        </Form.Item>
        <Divider titlePlacement="start" plain>
          {t('dishes.nutrition')}
        </Divider>
        <Row gutter={12}>
          {NUTRIENTS.map(([name, label]) => (
            <Col span={8} key={name}>
              <Form.Item name={name} label={t(label)} rules={rules(DishInputSchema.shape[name], name)}>
                <InputNumber<number> min={0} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="isSetMeal" label={t('dishes.setMeal')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          {dish && (
            <Col span={8}>
              <Form.Item name="active" label={t('dishes.active')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          )}
        </Row>
        {isSetMeal && (
          <Form.Item name="setMealItems" label={t('dishes.setMealItems')}>
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              options={dishes.filter((d) => !d.isSetMeal && d.id !== dish?.id).map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
        )}
      </Form>
      {dish && proposing && <ProposePriceDialog dish={dish} onClose={() => setProposing(false)} />}
    </Drawer>
  );
}

/** What is pending or coming for a dish's price (shown under the price and in the list). */
function DishPriceState({ dish }: { dish: Dish }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {!dish.priceApproved && <Tag color="gold">{t('prices.awaitingFirst')}</Tag>}
      {dish.pendingPrice && dish.priceApproved && (
        <Tag color="gold" data-testid={`dish-pending-${dish.id}`}>
          {t('prices.pendingTag', { price: yuan(dish.pendingPrice.priceFen), date: dish.pendingPrice.effectiveOn })}
        </Tag>
      )}
      {dish.upcomingPrice && (
        <Tag color="blue" data-testid={`dish-upcoming-${dish.id}`}>
          {t('prices.upcomingTag', { price: yuan(dish.upcomingPrice.priceFen), date: dish.upcomingPrice.effectiveOn })}
        </Tag>
      )}
    </Space>
  );
}

interface ProposeForm {
  price: string;
  reason: string;
  effectiveOn: Dayjs;
}

/** 申请调价: a new price, why, and from when (announced first); street or district staff approve it. */
function ProposePriceDialog({ dish, onClose }: { dish: Dish; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = rulesFor(t);
  const { canteen } = useCanteenCtx();
  const [form] = Form.useForm<ProposeForm>();
  const { propose } = usePriceActions();
  const earliest = addDays(nowIn(canteen.timeZone).date, PRICE_NOTICE_MIN_DAYS);
  // Not beyond what the server takes (DATE_HORIZON_DAYS.priceChange from the canteen's today).
  const latest = horizonEnd(nowIn(canteen.timeZone).date, 'priceChange');
  const submit = (v: ProposeForm) =>
    propose.mutate(
      { dishId: dish.id, body: { newPriceFen: parseYuan(v.price) ?? Number.NaN, reason: v.reason.trim(), effectiveOn: v.effectiveOn.format('YYYY-MM-DD') } },
      {
        onSuccess: () => {
          message.success(t('prices.proposedMsg'));
          onClose();
        },
        onError: (e) => void message.error(showFormError(form, e, t, { rename: { newPriceFen: 'price' } })),
      },
    );
  return (
    <Modal
      open
      title={`${t('prices.propose')} · ${dish.name}`}
      okText={t('prices.submitProposal')}
      okButtonProps={{ loading: propose.isPending, ...testId('propose-ok') }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t('prices.proposeHint', { days: PRICE_NOTICE_MIN_DAYS })} style={{ marginBottom: 12 }} />
      <Form<ProposeForm> form={form} layout="vertical" onFinish={submit} initialValues={{ effectiveOn: dayjs(addDays(earliest, 6)) }}>
        <Form.Item label={t('prices.current')}>
          <b>{yuan(dish.priceFen)}</b>
        </Form.Item>
        <Form.Item name="price" label={t('prices.newPrice')} rules={rules(ProposePriceRequest.shape.newPriceFen, 'priceFen', priceToFen)}>
          <Input prefix="¥" inputMode="decimal" data-testid="propose-price" />
        </Form.Item>
        <Form.Item name="reason" label={t('prices.reason')} rules={rules(ProposePriceRequest.shape.reason, 'priceReason')}>
          <Input.TextArea rows={2} maxLength={200} data-testid="propose-reason" />
        </Form.Item>
        <Form.Item name="effectiveOn" label={t('prices.effectiveOn')} rules={[{ required: true, message: t('validation.date') }]}>
          <DatePicker
            allowClear={false}
            disabledDate={(d) => d.format('YYYY-MM-DD') < earliest || d.format('YYYY-MM-DD') > latest}
            data-testid="propose-date"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function DishesPage() {
  const { t, i18n } = useTranslation();
  const { canteen, canOperate } = useCanteenCtx();
  const dishes = useDishes(canteen.id);
  const tagList = useDishTags(canteen.id).data;
  const [editing, setEditing] = useState<Dish | null>(null);
  const [open, setOpen] = useState(false);
  const [showInactive, setShowInactive] = useState(false);
  const [q, setQ] = useState('');

  const all = useMemo(() => dishes.data ?? [], [dishes.data]);
  const rows = useMemo(() => all.filter((d) => (showInactive || d.active) && (!q || d.name.includes(q) || d.category.includes(q))), [all, showInactive, q]);
  const cats = useMemo(() => [...new Set(all.map((d) => d.category))], [all]);

  const nutrition = (d: Dish) => {
    const parts: string[] = [];
    if (d.kcal !== null) parts.push(`${d.kcal} kcal`);
    if (d.proteinG !== null) parts.push(`P ${d.proteinG}g`);
    if (d.fatG !== null) parts.push(`F ${d.fatG}g`);
    if (d.carbG !== null) parts.push(`C ${d.carbG}g`);
    if (d.sodiumMg !== null) parts.push(`Na ${d.sodiumMg}mg`);
    if (d.sugarG !== null) parts.push(`${t('dishes.sugar').split(' ')[0]} ${d.sugarG}g`);
    return parts.join(' · ') || '—';
  };

  const columns: ColumnsType<Dish> = [
    {
      title: t('dishes.name'),
      dataIndex: 'name',
      render: (_v, d) => (
        <div>
          <b>{d.name}</b> {d.isSetMeal && <Tag color="gold">{t('dishes.setMeal')}</Tag>} {!d.active && <Tag>{t('dishes.inactive')}</Tag>}
          {d.nameEn && <div className="muted small">{d.nameEn}</div>}
        </div>
      ),
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
    },
    { title: t('dishes.category'), dataIndex: 'category', width: 100, filters: cats.map((c) => ({ text: c, value: c })), onFilter: (v, d) => d.category === v },
    {
      title: t('dishes.priceCol'),
      dataIndex: 'priceFen',
      width: 150,
      align: 'right',
      render: (_v: number, d) => (
        <div>
          <b>{yuan(d.priceFen)}</b>
          <div>
            <DishPriceState dish={d} />
          </div>
        </div>
      ),
      sorter: (a, b) => a.priceFen - b.priceFen,
    },
    {
      title: t('dishes.tags'),
      width: 180,
      render: (_v, d) => [
        ...d.tags.map((x) => (
          <Tag key={x} color="green">
            {tagName(x, tagList, i18n.language)}
          </Tag>
        )),
        ...(d.fullPay ? [<Tag key="full-pay">{t('dishes.fullPayTag')}</Tag>] : []),
      ],
    },
    {
      title: t('dishes.allergens'),
      width: 150,
      render: (_v, d) =>
        d.allergens.map((x) => (
          <Tag key={x} color="red">
            {t(`allergens.${x}`, { defaultValue: x })}
          </Tag>
        )),
    },
    { title: t('dishes.nutrition'), render: (_v, d) => <span className="small">{nutrition(d)}</span> },
  ];
  if (canOperate)
    columns.push({
      title: t('common.actions'),
      width: 80,
      render: (_v, d) => (
        <Button
          size="small"
          onClick={() => {
            setEditing(d);
            setOpen(true);
          }}
          data-testid={`dish-edit-${d.id}`}
        >
          {t('common.edit')}
        </Button>
      ),
    });

  if (dishes.isError) return <ErrorResult error={dishes.error} onRetry={() => void dishes.refetch()} />;

  return (
    <div className="page">
      <div className="toolbar">
        <Space wrap>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('dishes.title')}
          </Typography.Title>
          <Input.Search
            allowClear
            aria-label={t('common.search')}
            placeholder={t('dishes.searchPlaceholder')}
            style={{ width: 220 }}
            onChange={(e) => setQ(e.target.value.trim())}
          />
          <Checkbox checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)}>
            {t('dishes.showInactive')}
          </Checkbox>
        </Space>
        {canOperate && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(null);
              setOpen(true);
            }}
            data-testid="dish-create"
          >
            {t('dishes.create')}
          </Button>
        )}
      </div>
      <Table<Dish>
        data-testid="dishes-table"
        rowKey="id"
        size="small"
        loading={dishes.isPending}
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 100 ? { pageSize: 100 } : false}
        onRow={(d) => ({ 'data-testid': `dish-row-${d.id}` }) as HTMLAttributes<HTMLTableRowElement>}
      />
      <DishEditor key={editing?.id ?? 'new'} dish={editing} open={open} dishes={all} onClose={() => setOpen(false)} />
    </div>
  );
}
