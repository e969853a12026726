import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApprovePriceRequest,
  CreateDishRequest,
  Dish,
  DishTagOption,
  DishUpdate,
  Id,
  LocalDate,
  MealPeriod,
  Menu,
  MenuExportQuery,
  PriceChangeExportQuery,
  PortionsRequest,
  PriceChange,
  PriceChangeListQuery,
  PriceChangePage,
  ProposePriceRequest,
  PutMenuRequest,
  RejectPriceRequest,
  SoldOutRequest,
} from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import { listExport, sendExport, table, type ExportMeta } from '../../lib/exports';
import { requireUser } from '../../lib/actor';
import { zh } from '../../lib/labels';
import * as menus from './menus.service';
import { PHOTO_MAX_BYTES, PHOTO_TYPES } from './photos';

export async function menusRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const CanteenParams = z.strictObject({ id: Id });
  const SlotParams = z.strictObject({ id: Id, date: LocalDate, period: MealPeriod });
  const ItemParams = SlotParams.extend({ dishId: Id }).strict();
  const operators = { roles: ROLE_GROUPS.canteenStaff };

  r.get(
    '/canteens/:id/dishes',
    { schema: { tags: ['menus'], params: CanteenParams, response: { 200: z.array(Dish) } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => menus.listDishes(ctx, req.actor!, req.params.id),
  );
  r.get(
    '/canteens/:id/dish-tags',
    {
      schema: { tags: ['menus'], params: CanteenParams, response: { 200: z.array(DishTagOption) } },
      config: { access: { roles: ROLE_GROUPS.all } },
    },
    async (req) => menus.dishTagOptions(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/canteens/:id/dishes',
    { schema: { tags: ['menus'], params: CanteenParams, body: CreateDishRequest, response: { 201: Dish } }, config: { access: operators } },
    async (req, reply) => reply.code(201).send(await menus.createDish(ctx, req.actor!, req.params.id, req.body)),
  );
  r.patch(
    '/dishes/:id',
    { schema: { tags: ['menus'], params: CanteenParams, body: DishUpdate, response: { 200: Dish } }, config: { access: operators } },
    async (req) => menus.updateDish(ctx, req.actor!, req.params.id, req.body),
  );
  // Dish photos arrive as raw image bytes; this parser only exists inside this plugin.
  app.addContentTypeParser(PHOTO_TYPES as unknown as string[], { parseAs: 'buffer', bodyLimit: PHOTO_MAX_BYTES }, (_req, body, done) => done(null, body));
  r.put(
    '/dishes/:id/photo',
    {
      schema: { tags: ['menus'], params: CanteenParams, response: { 200: Dish }, consumes: [...PHOTO_TYPES] },
      config: { access: operators },
      bodyLimit: PHOTO_MAX_BYTES,
    },
    async (req) => menus.setDishPhoto(ctx, req.actor!, req.params.id, req.headers['content-type'], req.body),
  );
  r.get(
    '/canteens/:id/menus',
    {
      schema: { tags: ['menus'], params: CanteenParams, querystring: z.strictObject({ from: LocalDate, to: LocalDate }), response: { 200: z.array(Menu) } },
      config: { access: { roles: ROLE_GROUPS.all } },
    },
    async (req) => menus.listMenus(ctx, req.actor!, req.params.id, req.query.from, req.query.to),
  );
  r.get(
    '/canteens/:id/menus/export',
    { schema: { tags: ['menus', 'exports'], params: CanteenParams, querystring: MenuExportQuery }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req, reply) => {
      const q = req.query;
      const { canteen, rows } = menus.exportMenus(ctx, req.actor!, req.params.id, q.from, q.to);
      const list = table<menus.MenuExportRow>({
        title: `菜单 · ${canteen.name}`,
        sheetName: '菜单',
        subtitle: `${q.from} 至 ${q.to}`,
        columns: [
          { header: '日期', value: 'serviceDate', kind: 'date' },
          { header: '餐次', value: (m) => zh('mealPeriods', m.mealPeriod) },
          { header: '菜品', value: 'dishName' },
          { header: '分类', value: (m) => (m.isSetMeal ? `${m.category}（套餐）` : m.category) },
          { header: '当日价格', value: 'priceFen', kind: 'money' },
          { header: '份数', value: (m) => (m.portions === null ? '不限' : String(m.portions)) },
          { header: '已售', value: 'sold', kind: 'int', total: true },
          { header: '售罄', value: (m) => (m.soldOut ? '是' : '') },
        ],
        rows,
        totals: true,
      });
      const meta: ExportMeta = {
        exportedBy: requireUser(req.actor).user.displayName,
        scope: `${canteen.name} · ${q.from} 至 ${q.to}`,
        timeZone: canteen.timeZone,
      };
      return sendExport(reply, { filename: `菜单_${canteen.shortName}_${q.from}_${q.to}`, format: q.format, build: listExport(q.format, list, meta) });
    },
  );
  r.get(
    '/canteens/:id/menus/:date/:period',
    { schema: { tags: ['menus'], params: SlotParams, response: { 200: Menu } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => menus.getMenu(ctx, req.actor!, req.params.id, req.params.date, req.params.period),
  );
  r.put(
    '/canteens/:id/menus/:date/:period',
    { schema: { tags: ['menus'], params: SlotParams, body: PutMenuRequest, response: { 200: Menu } }, config: { access: operators } },
    async (req) => menus.putMenu(ctx, req.actor!, req.params.id, req.params.date, req.params.period, req.body),
  );
  r.post(
    '/canteens/:id/menus/:date/:period/items/:dishId/sold-out',
    { schema: { tags: ['menus'], params: ItemParams, body: SoldOutRequest, response: { 200: Menu } }, config: { access: operators } },
    async (req) => menus.setItemStock(ctx, req.actor!, req.params.id, req.params.date, req.params.period, req.params.dishId, { soldOut: req.body.soldOut }),
  );
  r.post(
    '/canteens/:id/menus/:date/:period/items/:dishId/portions',
    { schema: { tags: ['menus'], params: ItemParams, body: PortionsRequest, response: { 200: Menu } }, config: { access: operators } },
    async (req) => menus.setItemStock(ctx, req.actor!, req.params.id, req.params.date, req.params.period, req.params.dishId, { portions: req.body.portions }),
  );

  // ───────────── price changes (调价): proposed by the operator, approved by the street or district ─────────────
  r.get(
    '/price-changes',
    { schema: { tags: ['prices'], querystring: PriceChangeListQuery, response: { 200: PriceChangePage } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => menus.listPriceChanges(ctx, req.actor!, req.query),
  );
  r.get(
    '/price-changes/export',
    { schema: { tags: ['prices', 'exports'], querystring: PriceChangeExportQuery }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req, reply) => {
      const q = req.query;
      const { canteen, rows } = menus.exportPriceChanges(ctx, req.actor!, q.canteenId);
      const list = table<(typeof rows)[number]>({
        title: `调价记录 · ${canteen.name}`,
        sheetName: '调价记录',
        columns: [
          { header: '菜品', value: 'dishName' },
          { header: '原价', value: 'oldPriceFen', kind: 'money' },
          { header: '新价', value: 'newPriceFen', kind: 'money' },
          { header: '生效日期', value: 'effectiveOn', kind: 'date' },
          { header: '调价原因', value: 'reason', width: 30 },
          { header: '申请人', value: (c) => c.proposedBy ?? '' },
          { header: '申请时间', value: 'proposedAt', kind: 'datetime' },
          { header: '状态', value: (c) => zh('priceStates', c.state) },
          { header: '审批人', value: (c) => c.decidedBy ?? '' },
          { header: '审批时间', value: (c) => c.decidedAt, kind: 'datetime' },
          { header: '批复文号', value: (c) => c.approvalRef ?? '' },
          { header: '审批意见', value: (c) => c.decisionNote ?? '' },
        ],
        rows,
      });
      const meta: ExportMeta = { exportedBy: requireUser(req.actor).user.displayName, scope: canteen.name, timeZone: canteen.timeZone };
      return sendExport(reply, { filename: `调价记录_${canteen.shortName}`, format: q.format, build: listExport(q.format, list, meta) });
    },
  );
  r.post(
    '/dishes/:id/price-changes',
    { schema: { tags: ['prices'], params: CanteenParams, body: ProposePriceRequest, response: { 201: PriceChange } }, config: { access: operators } },
    async (req, reply) => reply.code(201).send(await menus.proposePrice(ctx, req.actor!, req.params.id, req.body)),
  );
  r.post(
    '/price-changes/:id/approve',
    {
      schema: { tags: ['prices'], params: CanteenParams, body: ApprovePriceRequest, response: { 200: PriceChange } },
      config: { access: { roles: ROLE_GROUPS.reviewers } },
    },
    async (req) => menus.approvePrice(ctx, req.actor!, req.params.id, req.body),
  );
  r.post(
    '/price-changes/:id/reject',
    {
      schema: { tags: ['prices'], params: CanteenParams, body: RejectPriceRequest, response: { 200: PriceChange } },
      config: { access: { roles: ROLE_GROUPS.reviewers } },
    },
    async (req) => menus.rejectPrice(ctx, req.actor!, req.params.id, req.body),
  );
  r.post(
    '/price-changes/:id/withdraw',
    { schema: { tags: ['prices'], params: CanteenParams, response: { 200: PriceChange } }, config: { access: operators } },
    async (req) => menus.withdrawPrice(ctx, req.actor!, req.params.id),
  );
}
