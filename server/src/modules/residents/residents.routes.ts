import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AddCardRequest,
  AddCategoryRequest,
  ApproveCategoryRequest,
  CardCheckRequest,
  CardCheckResponse,
  PayoutRequest,
  ResidentExportQuery,
  WalletExportQuery,
  WalletEntryPage,
  WalletEntryQuery,
  WalletReceipt,
  EndCategoryRequest,
  PendingCategory,
  RejectCategoryRequest,
  CreateResidentRequest,
  Id,
  Ok,
  ResidentCard,
  ResidentDetail,
  ResidentListQuery,
  ResidentSummary,
  SetPinRequest,
  TopupRequest,
  UpdateResidentRequest,
  WalletView,
} from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import { listExport, sendExport, table, type ExportMeta } from '../../lib/exports';
import { requireUser, type Actor } from '../../lib/actor';
import { zh } from '../../lib/labels';
import * as residents from './register.service';

export async function residentsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });
  const keepers = { roles: ROLE_GROUPS.recordKeepers };

  r.get(
    '/residents',
    {
      schema: {
        tags: ['residents'],
        querystring: ResidentListQuery,
        response: { 200: z.object({ items: z.array(ResidentSummary), total: z.number().int() }) },
      },
      config: { access: { roles: ROLE_GROUPS.all } },
    },
    async (req) => residents.listResidents(ctx, req.actor!, req.query),
  );
  r.get(
    '/residents/export',
    { schema: { tags: ['residents', 'exports'], querystring: ResidentExportQuery }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req, reply) => {
      const q = req.query;
      const rows = await residents.exportResidents(ctx, req.actor!, q);
      const list = table<ResidentSummary>({
        title: '长者名单',
        subtitle: '身份证号、电话只显示后 4 位',
        columns: [
          { header: '姓名', value: 'name' },
          { header: '性别', value: (r) => zh('genders', r.gender) },
          { header: '出生日期', value: 'birthDate', kind: 'date' },
          { header: '年龄', value: 'age', kind: 'int' },
          { header: '身份证号', value: 'idNumberMasked' },
          { header: '联系电话', value: (r) => r.phoneMasked ?? '' },
          { header: '户籍', value: (r) => r.hukouAreaName ?? (r.hukouAreaCode ? r.hukouAreaCode : '非本市') },
          { header: '居住地编码', value: 'residenceAreaCode' },
          { header: '类别', value: (r) => r.categories.map((c) => zh('categories', c)).join('、') },
          { header: '照护等级', value: 'careLevel', kind: 'int' },
          { header: '状态', value: (r) => zh('residentStatuses', r.status) },
          { header: '钱包余额', value: 'balanceFen', kind: 'money', total: true },
        ],
        rows,
        totals: true,
      });
      const meta: ExportMeta = { exportedBy: requireUser(req.actor).user.displayName, scope: q.q ? `搜索：${q.q}` : '全部可见长者' };
      return sendExport(reply, { filename: '长者名单', format: q.format, build: listExport(q.format, list, meta) });
    },
  );
  r.get(
    '/residents/:id',
    { schema: { tags: ['residents'], params: IdParams, response: { 200: ResidentDetail } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => residents.getResident(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/residents',
    { schema: { tags: ['residents'], body: CreateResidentRequest, response: { 201: ResidentDetail } }, config: { access: keepers } },
    async (req, reply) => reply.code(201).send(await residents.createResident(ctx, req.actor!, req.body)),
  );
  r.patch(
    '/residents/:id',
    { schema: { tags: ['residents'], params: IdParams, body: UpdateResidentRequest, response: { 200: ResidentDetail } }, config: { access: keepers } },
    async (req) => residents.updateResident(ctx, req.actor!, req.params.id, req.body),
  );
  r.post(
    '/residents/:id/reveal-id',
    {
      schema: { tags: ['residents'], params: IdParams, response: { 200: z.object({ idNumber: z.string() }) } },
      config: { access: { roles: ROLE_GROUPS.all }, rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req) => residents.revealIdNumber(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/residents/:id/cards',
    {
      schema: {
        tags: ['residents'],
        params: IdParams,
        body: AddCardRequest,
        response: { 201: z.object({ card: ResidentCard, qrToken: z.string().nullable() }) },
      },
      config: { access: keepers },
    },
    async (req, reply) => reply.code(201).send(await residents.addCard(ctx, req.actor!, req.params.id, req.body)),
  );
  r.delete(
    '/residents/:id/cards/:cardId',
    { schema: { tags: ['residents'], params: z.strictObject({ id: Id, cardId: Id }), response: { 200: Ok } }, config: { access: keepers } },
    async (req) => {
      await residents.revokeCard(ctx, req.actor!, req.params.id, req.params.cardId);
      return { ok: true as const };
    },
  );
  r.post(
    '/residents/:id/pin',
    { schema: { tags: ['residents'], params: IdParams, body: SetPinRequest, response: { 200: Ok } }, config: { access: keepers } },
    async (req) => {
      await residents.setPin(ctx, req.actor!, req.params.id, req.body.pin);
      return { ok: true as const };
    },
  );
  r.post(
    '/residents/:id/pin/unlock',
    { schema: { tags: ['residents'], params: IdParams, response: { 200: ResidentDetail } }, config: { access: keepers } },
    async (req) => residents.unlockPin(ctx, req.actor!, req.params.id),
  );
  r.get(
    '/residents/:id/wallet',
    { schema: { tags: ['wallet'], params: IdParams, response: { 200: WalletView } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => residents.walletOf(ctx, req.actor!, req.params.id),
  );
  r.get(
    '/residents/:id/wallet/entries',
    {
      schema: { tags: ['wallet'], params: IdParams, querystring: WalletEntryQuery, response: { 200: WalletEntryPage } },
      config: { access: { roles: ROLE_GROUPS.all } },
    },
    async (req) => residents.walletEntries(ctx, req.actor!, req.params.id, req.query),
  );
  /** A wallet history as a file: one resident's, or a canteen's entries between two days. */
  const walletExport = async (
    actor: Actor,
    reply: FastifyReply,
    scope: { residentId: string } | { canteenId: string },
    q: z.infer<typeof WalletExportQuery>,
  ) => {
    const { title, timeZone, rows } = await residents.exportWallet(ctx, actor, scope, q);
    const list = table<residents.WalletExportRow>({
      title,
      subtitle: q.from || q.to ? `${q.from ?? '最早'} 至 ${q.to ?? '今天'}` : undefined,
      columns: [
        { header: '时间', value: 'createdAt', kind: 'datetime' },
        { header: '长者', value: 'residentName' },
        { header: '类型', value: (e) => zh('walletKinds', e.kind) },
        { header: '金额', value: 'amountFen', kind: 'money', total: true },
        { header: '方式', value: (e) => (e.kind === 'payout' ? zh('payoutMethods', e.method) : zh('paymentMethods', e.method)) },
        { header: '单号 / 说明', value: (e) => e.reference ?? '' },
        { header: '收据号', value: (e) => e.receiptNo ?? '' },
        { header: '经办人', value: (e) => e.createdByName ?? '' },
      ],
      rows,
      totals: true,
    });
    const meta: ExportMeta = { exportedBy: requireUser(actor).user.displayName, scope: title, timeZone };
    return sendExport(reply, { filename: title.replace(' · ', '_'), format: q.format, build: listExport(q.format, list, meta) });
  };
  r.get(
    '/residents/:id/wallet/export',
    { schema: { tags: ['wallet', 'exports'], params: IdParams, querystring: WalletExportQuery }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req, reply) => walletExport(req.actor!, reply, { residentId: req.params.id }, req.query),
  );
  r.get(
    '/canteens/:id/wallet-entries/export',
    { schema: { tags: ['wallet', 'exports'], params: IdParams, querystring: WalletExportQuery }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req, reply) => walletExport(req.actor!, reply, { canteenId: req.params.id }, req.query),
  );
  r.get(
    '/wallet/entries/:id/receipt',
    { schema: { tags: ['wallet'], params: IdParams, response: { 200: WalletReceipt } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => residents.receipt(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/residents/:id/wallet/payout',
    {
      schema: { tags: ['wallet'], params: IdParams, body: PayoutRequest, response: { 200: WalletView } },
      config: { access: { roles: ROLE_GROUPS.canteenStaff } },
    },
    async (req) => residents.payOut(ctx, req.actor!, req.params.id, req.body),
  );
  r.post(
    '/cards/check',
    {
      schema: { tags: ['residents'], body: CardCheckRequest, response: { 200: CardCheckResponse } },
      config: { access: keepers, rateLimit: { max: 120, timeWindow: '1 minute' } },
    },
    async (req) => residents.checkCard(ctx, req.actor!, req.body),
  );
  r.post(
    '/wallet/topups',
    { schema: { tags: ['wallet'], body: TopupRequest, response: { 200: WalletView } }, config: { access: { roles: ROLE_GROUPS.canteenStaff } } },
    async (req) => residents.topup(ctx, req.actor!, req.body),
  );
  r.post(
    '/residents/:id/categories',
    { schema: { tags: ['residents'], params: IdParams, body: AddCategoryRequest, response: { 200: ResidentDetail } }, config: { access: keepers } },
    async (req) => residents.addCategory(ctx, req.actor!, req.params.id, req.body),
  );
  r.post(
    '/residents/:id/categories/:categoryId/end',
    {
      schema: { tags: ['residents'], params: z.strictObject({ id: Id, categoryId: Id }), body: EndCategoryRequest, response: { 200: ResidentDetail } },
      config: { access: keepers },
    },
    async (req) => residents.endCategory(ctx, req.actor!, req.params.id, req.params.categoryId, req.body),
  );
  const approvers = { roles: ROLE_GROUPS.eligibilityApprovers };
  r.get('/categories/pending', { schema: { tags: ['residents'], response: { 200: z.array(PendingCategory) } }, config: { access: approvers } }, async (req) =>
    residents.pendingCategories(ctx, req.actor!),
  );
  r.post(
    '/residents/:id/categories/:categoryId/approve',
    {
      schema: { tags: ['residents'], params: z.strictObject({ id: Id, categoryId: Id }), body: ApproveCategoryRequest, response: { 200: ResidentDetail } },
      config: { access: approvers },
    },
    async (req) => residents.approveCategory(ctx, req.actor!, req.params.id, req.params.categoryId, req.body),
  );
  r.post(
    '/residents/:id/categories/:categoryId/reject',
    {
      schema: { tags: ['residents'], params: z.strictObject({ id: Id, categoryId: Id }), body: RejectCategoryRequest, response: { 200: ResidentDetail } },
      config: { access: approvers },
    },
    async (req) => residents.rejectCategory(ctx, req.actor!, req.params.id, req.params.categoryId, req.body),
  );
}
