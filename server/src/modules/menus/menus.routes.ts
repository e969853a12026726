import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Dish,
  DishInput,
  DishTagOption,
  DishUpdate,
  Id,
  LocalDate,
  MealPeriod,
  Menu,
  PortionsRequest,
  PutMenuRequest,
  SoldOutRequest,
} from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
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
    { schema: { tags: ['menus'], params: CanteenParams, body: DishInput, response: { 201: Dish } }, config: { access: operators } },
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
}
