import { CheckOutlined, EditOutlined, LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, InputNumber, Modal, Segmented, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { addDays, horizonEnd, isoWeekday, MEAL_PERIODS, weekStart } from '@yishi/shared/domain';
import type { MealPeriod } from '@yishi/shared/domain';
import { MenuExportQuery, PutMenuRequest } from '@yishi/shared/schemas';
import { seg } from '../../api/client';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { qk } from '../../api/keys';
import { ListExportButtons } from '../../components/ListExportButtons';
import { menusApi, patchMenuItem, putMenuInCache, useDishes, useMenus, type Dish, type Menu, type MenuItem, type PutMenu } from '../../api/menus';
import { useCanteenCtx } from '../../layout/canteenContext';
import { errorText } from '../../lib/errors';
import { yuan } from '../../lib/format';
import { rulesFor, showFormError } from '../../lib/forms';
import { useAction } from '../../api/action';

/** One row of today's menu: the sold-out switch is the big, one-click action. */
function TodayItem({ menu, item, canOperate }: { menu: Menu; item: MenuItem; canOperate: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [portions, setPortions] = useState<number | null>(item.portions);
  useEffect(() => setPortions(item.portions), [item.portions]);

  const soldOut = useAction({
    mutationFn: (v: boolean) => menusApi.setSoldOut(menu, item.dish.id, v),
    onMutate: (v) => patchMenuItem(qc, menu, item.dish.id, { soldOut: v }),
    onSuccess: (m, v) => {
      putMenuInCache(qc, m);
      message.success(t(v ? 'menus.soldOutOn' : 'menus.soldOutOff', { name: item.dish.name }));
    },
    onError: (e) => {
      putMenuInCache(qc, menu);
      message.error(errorText(t, e));
    },
  });
  const setP = useAction({
    mutationFn: (v: number | null) => menusApi.setPortions(menu, item.dish.id, v),
    onSuccess: (m) => putMenuInCache(qc, m),
    onError: (e) => {
      setPortions(item.portions);
      message.error(errorText(t, e));
    },
  });

  return (
    <div className={`today-item ${item.soldOut ? 'sold-out' : ''}`} data-testid={`menu-item-${item.dish.id}`}>
      <div className="today-item-name">
        <b>{item.dish.name}</b>
        <span className="muted">{yuan(item.dish.priceFen)}</span>
      </div>
      <div className="today-item-stock">
        {t('menus.sold')} <b>{item.sold}</b>
        {' · '}
        {t('menus.remaining')} <b>{item.remaining ?? t('common.unlimited')}</b>
      </div>
      {canOperate ? (
        <Space.Compact size="small" className="today-item-portions">
          <InputNumber<number>
            min={0}
            max={10000}
            precision={0}
            placeholder={t('common.unlimited')}
            value={portions}
            onChange={(v) => setPortions(v ?? null)}
            onPressEnter={() => setP.mutate(portions)}
            style={{ width: 92 }}
            aria-label={t('menus.portions')}
            data-testid={`menu-portions-${item.dish.id}`}
          />
          <Tooltip title={t('menus.setPortions')}>
            <Button icon={<CheckOutlined />} disabled={portions === item.portions} loading={setP.isPending} onClick={() => setP.mutate(portions)} />
          </Tooltip>
        </Space.Compact>
      ) : (
        <span>{item.portions ?? t('common.unlimited')}</span>
      )}
      <Switch
        className="soldout-switch"
        checked={item.soldOut}
        disabled={!canOperate}
        loading={soldOut.isPending}
        checkedChildren={t('menus.soldOut')}
        unCheckedChildren={t('menus.onSale')}
        onChange={(v) => soldOut.mutate(v)}
        data-testid={`menu-soldout-${item.dish.id}`}
        aria-label={`${item.dish.name} ${t('menus.soldOut')}`}
      />
    </div>
  );
}

interface EditTarget {
  date: string;
  period: MealPeriod;
  menu: Menu | undefined;
}

function EditMenuModal({ target, dishes, onClose }: { target: EditTarget | null; dishes: Dish[]; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { canteen } = useCanteenCtx();
  const rules = rulesFor(t);
  const [form] = Form.useForm<{ note: string }>();
  const [items, setItems] = useState<{ dishId: string; portions: number | null }[]>([]);

  useEffect(() => {
    if (!target) return;
    setItems(
      target.menu
        ? target.menu.items
            .slice()
            .sort((a, b) => a.sortOrder - b.sortOrder)
            .map((i) => ({ dishId: i.dish.id, portions: i.portions }))
        : [],
    );
    form.setFieldsValue({ note: target.menu?.note ?? '' });
  }, [target, form]);

  const byId = useMemo(() => new Map(dishes.map((d) => [d.id, d])), [dishes]);
  const options = useMemo(() => {
    const groups = new Map<string, Dish[]>();
    for (const d of dishes) {
      if (!d.active && !items.some((i) => i.dishId === d.id)) continue;
      groups.set(d.category, [...(groups.get(d.category) ?? []), d]);
    }
    return [...groups.entries()].map(([label, ds]) => ({ label, options: ds.map((d) => ({ value: d.id, label: `${d.name} ${yuan(d.priceFen)}` })) }));
  }, [dishes, items]);

  const save = useAction({
    mutationFn: ({ date, period, body }: { date: string; period: MealPeriod; body: PutMenu }) => menusApi.putMenu(canteen.id, date, period, body),
    onSuccess: (m) => {
      putMenuInCache(qc, m);
      void qc.invalidateQueries({ queryKey: qk.menusAll(canteen.id) });
      message.success(t('common.saved'));
      onClose();
    },
    onError: (e) => void message.error(showFormError(form, e, t)),
  });

  return (
    <Modal
      open={!!target}
      width={680}
      title={target ? t('menus.editSlot', { date: target.date, period: t(`mealPeriods.${target.period}`) }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => target && save.mutate({ date: target.date, period: target.period, body: { note: v.note?.trim() ? v.note.trim() : null, items } })}
      >
        <Form.Item label={t('menus.addDish')} htmlFor="menu-edit-dishes">
          <Select
            id="menu-edit-dishes"
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            value={items.map((i) => i.dishId)}
            options={options}
            onChange={(ids: string[]) => setItems(ids.map((id) => items.find((i) => i.dishId === id) ?? { dishId: id, portions: null }))}
            data-testid="menu-edit-dishes"
          />
        </Form.Item>
        <Table
          size="small"
          rowKey="dishId"
          pagination={false}
          dataSource={items}
          locale={{ emptyText: t('menus.empty') }}
          columns={[
            { title: t('dishes.name'), render: (_v, i) => byId.get(i.dishId)?.name ?? i.dishId },
            {
              title: t('menus.price'),
              width: 90,
              render: (_v, i) => {
                const d = byId.get(i.dishId);
                return d ? yuan(d.priceFen) : '—';
              },
            },
            {
              title: t('menus.portions'),
              width: 150,
              render: (_v, i) => (
                <InputNumber<number>
                  min={0}
                  max={10000}
                  precision={0}
                  placeholder={t('common.unlimited')}
                  value={i.portions}
                  onChange={(v) => setItems((xs) => xs.map((x) => (x.dishId === i.dishId ? { ...x, portions: v ?? null } : x)))}
                />
              ),
            },
          ]}
        />
        <Typography.Paragraph type="secondary" className="small" style={{ marginTop: 4 }}>
          {t('menus.portionsHint')}
        </Typography.Paragraph>
        <Form.Item name="note" label={t('menus.note')} rules={rules(PutMenuRequest.shape.note, 'note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function MenusPage() {
  const { t } = useTranslation();
  const { canteen, today, period, canOperate } = useCanteenCtx();
  const servedPeriods = useMemo(() => MEAL_PERIODS.filter((p) => canteen.mealPeriods.some((h) => h.period === p)), [canteen.mealPeriods]);
  const [todayPeriod, setTodayPeriod] = useState<MealPeriod>(period ?? (servedPeriods.includes('lunch') ? 'lunch' : (servedPeriods[0] ?? 'lunch')));
  const [monday, setMonday] = useState(() => weekStart(today));
  const sunday = addDays(monday, 6);
  // Menus are planned at most DATE_HORIZON_DAYS.menu days ahead (the server refuses later dates).
  const latest = horizonEnd(today, 'menu');
  const week = useMenus(canteen.id, monday, sunday);
  const todayMenus = useMenus(canteen.id, today, today);
  const dishes = useDishes(canteen.id);
  const [editing, setEditing] = useState<EditTarget | null>(null);

  const todayMenu = todayMenus.data?.find((m) => m.mealPeriod === todayPeriod);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const find = (date: string, p: MealPeriod) => week.data?.find((m) => m.serviceDate === date && m.mealPeriod === p);
  const serves = (date: string, p: MealPeriod) => canteen.mealPeriods.some((h) => h.period === p && h.days.includes(isoWeekday(date)));

  return (
    <div className="page">
      <Card
        size="small"
        className="today-card"
        title={
          <Space>
            <span>{t('menus.todayTitle')}</span>
            <Segmented<MealPeriod>
              size="small"
              value={todayPeriod}
              onChange={setTodayPeriod}
              options={servedPeriods.map((p) => ({ value: p, label: t(`mealPeriods.${p}`) }))}
            />
          </Space>
        }
        extra={
          canOperate && (
            <Button size="small" icon={<EditOutlined />} onClick={() => setEditing({ date: today, period: todayPeriod, menu: todayMenu })}>
              {t('common.edit')}
            </Button>
          )
        }
        loading={todayMenus.isPending}
        data-testid="today-menu"
      >
        {todayMenu && todayMenu.items.length > 0 ? (
          <div className="today-list">
            {todayMenu.items
              .slice()
              .sort((a, b) => a.sortOrder - b.sortOrder)
              .map((it) => (
                <TodayItem key={it.dish.id} menu={todayMenu} item={it} canOperate={canOperate} />
              ))}
          </div>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('menus.noMenuToday')} />
        )}
      </Card>

      <div className="toolbar" style={{ marginTop: 16 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('menus.week')} · {monday} ~ {sunday}
        </Typography.Title>
        <Space.Compact>
          <Button icon={<LeftOutlined />} onClick={() => setMonday(addDays(monday, -7))} aria-label={t('common.prevWeek')} />
          <Button onClick={() => setMonday(weekStart(today))}>{t('common.thisWeek')}</Button>
          <Button
            icon={<RightOutlined />}
            onClick={() => setMonday(addDays(monday, 7))}
            disabled={addDays(monday, 7) > latest}
            aria-label={t('common.nextWeek')}
          />
        </Space.Compact>
        <ListExportButtons name="menus" path={`/canteens/${seg(canteen.id)}/menus/export`} request={MenuExportQuery} query={{ from: monday, to: sunday }} />
      </div>
      <div className="week-grid" data-testid="menu-week">
        <div className="week-corner" />
        {days.map((d) => (
          <div key={d} className={`week-day ${d === today ? 'is-today' : ''}`}>
            <b>{t(`weekdays.${isoWeekday(d)}`)}</b> <span className="muted">{d.slice(5)}</span>
          </div>
        ))}
        {MEAL_PERIODS.map((p) => (
          <WeekRow
            key={p}
            period={p}
            days={days}
            find={find}
            serves={serves}
            today={today}
            latest={latest}
            canOperate={canOperate}
            onEdit={setEditing}
            loading={week.isPending}
          />
        ))}
      </div>
      <EditMenuModal target={editing} dishes={dishes.data ?? []} onClose={() => setEditing(null)} />
    </div>
  );
}

function WeekRow(props: {
  period: MealPeriod;
  days: string[];
  find: (d: string, p: MealPeriod) => Menu | undefined;
  serves: (d: string, p: MealPeriod) => boolean;
  today: string;
  /** The last date a menu may be set for. */
  latest: string;
  canOperate: boolean;
  loading: boolean;
  onEdit: (e: EditTarget) => void;
}) {
  const { t } = useTranslation();
  const { period, days, find, serves, today, latest, canOperate, onEdit } = props;
  return (
    <>
      <div className="week-period">{t(`mealPeriods.${period}`)}</div>
      {days.map((d) => {
        const m = find(d, period);
        const served = serves(d, period);
        const editable = canOperate && d >= today && d <= latest;
        return (
          <div
            key={d}
            className={`week-cell ${served ? '' : 'not-served'} ${d === today ? 'is-today' : ''} ${editable ? 'editable' : ''}`}
            onClick={editable ? () => onEdit({ date: d, period, menu: m }) : undefined}
            data-testid={`menu-cell-${d}-${period}`}
          >
            {m && m.items.length > 0 ? (
              <>
                {m.items
                  .slice()
                  .sort((a, b) => a.sortOrder - b.sortOrder)
                  .slice(0, 8)
                  .map((it) => (
                    <div key={it.dish.id} className={`week-dish ${it.soldOut ? 'sold-out' : ''}`}>
                      {it.dish.name}
                      {it.portions !== null && <span className="muted"> ·{it.portions}</span>}
                    </div>
                  ))}
                {m.items.length > 8 && <div className="muted">+{m.items.length - 8}</div>}
              </>
            ) : (
              <span className="muted">{props.loading ? '' : served ? t('menus.empty') : '—'}</span>
            )}
            {m && m.items.some((i) => i.soldOut) && (
              <Tag color="red" className="week-tag">
                {t('menus.soldOut')}
              </Tag>
            )}
          </div>
        );
      })}
    </>
  );
}
