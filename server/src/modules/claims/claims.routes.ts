import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Anomaly,
  AnomalyResolveRequest,
  AnomalyScanRequest,
  AnomalyScanResult,
  ClaimDetail,
  ClaimExportQuery,
  ClaimListExportQuery,
  ClaimListQuery,
  ClaimNoteRequest,
  ClaimOrderPage,
  ClaimOrderQuery,
  ClaimPage,
  ClaimPaymentRequest,
  ClaimReasonRequest,
  Clearing,
  ClearingExportQuery,
  ClearingQuery,
  DisallowOrderRequest,
  EmptyRequest,
  GenerateClaimsRequest,
  GenerateClaimsResult,
  Id,
  PayerSetting,
  PayerSettingsQuery,
  SetPayerCadenceRequest,
} from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import { sendExport } from '../../lib/exports';
import * as claims from './claims.service';

export async function claimsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });
  const OrderParams = z.strictObject({ id: Id, orderId: Id });
  const tags = ['claims'];
  const all = { access: { roles: ROLE_GROUPS.all } };
  const reviewers = [...new Set([...ROLE_GROUPS.claimCheckers, ...ROLE_GROUPS.claimApprovers])];

  r.get('/claims', { schema: { tags, querystring: ClaimListQuery, response: { 200: ClaimPage } }, config: all }, async (req) =>
    claims.list(ctx, req.actor!, req.query),
  );
  r.get('/claims/export', { schema: { tags, querystring: ClaimListExportQuery }, config: all }, async (req, reply) => {
    const { format, ...q } = req.query;
    const file = claims.exportList(ctx, req.actor!, q, format);
    return sendExport(reply, { filename: file.filename, format, build: file.build });
  });
  const areaStaff = { access: { roles: ROLE_GROUPS.areaStaff } };
  r.get('/claims/clearing', { schema: { tags, querystring: ClearingQuery, response: { 200: Clearing } }, config: areaStaff }, async (req) =>
    claims.clearing(ctx, req.actor!, req.query),
  );
  r.get('/claims/clearing/export', { schema: { tags, querystring: ClearingExportQuery }, config: areaStaff }, async (req, reply) => {
    const { format, ...q } = req.query;
    const file = claims.exportClearing(ctx, req.actor!, q, format);
    return sendExport(reply, { filename: file.filename, format, build: file.build });
  });
  r.post(
    '/claims/generate',
    { schema: { tags, body: GenerateClaimsRequest, response: { 200: GenerateClaimsResult } }, config: { access: { roles: ROLE_GROUPS.claimants } } },
    async (req) => claims.generate(ctx, req.actor!, req.body),
  );
  r.get('/claims/settings', { schema: { tags, querystring: PayerSettingsQuery, response: { 200: z.array(PayerSetting) } }, config: all }, async (req) =>
    claims.payerSettings(ctx, req.actor!, req.query.month),
  );
  r.put(
    '/claims/settings',
    { schema: { tags, body: SetPayerCadenceRequest, response: { 200: z.array(PayerSetting) } }, config: { access: { roles: ROLE_GROUPS.claimSettings } } },
    async (req) => claims.setPayerCadence(ctx, req.actor!, req.body),
  );
  r.get('/claims/:id', { schema: { tags, params: IdParams, response: { 200: ClaimDetail } }, config: all }, async (req) =>
    claims.detail(ctx, req.actor!, req.params.id),
  );
  r.get(
    '/claims/:id/orders',
    { schema: { tags, params: IdParams, querystring: ClaimOrderQuery, response: { 200: ClaimOrderPage } }, config: all },
    async (req) => claims.claimOrders(ctx, req.actor!, req.params.id, req.query),
  );
  r.get('/claims/:id/export', { schema: { tags, params: IdParams, querystring: ClaimExportQuery }, config: all }, async (req, reply) => {
    const file = claims.exportClaim(ctx, req.actor!, req.params.id, req.query.format);
    return sendExport(reply, { filename: file.filename, format: req.query.format, build: file.build });
  });
  r.post(
    '/claims/:id/submit',
    { schema: { tags, params: IdParams, body: EmptyRequest, response: { 200: ClaimDetail } }, config: { access: { roles: ROLE_GROUPS.claimants } } },
    async (req) => claims.submit(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/claims/:id/check',
    { schema: { tags, params: IdParams, body: ClaimNoteRequest, response: { 200: ClaimDetail } }, config: { access: { roles: ROLE_GROUPS.claimCheckers } } },
    async (req) => claims.check(ctx, req.actor!, req.params.id, req.body.note),
  );
  r.post(
    '/claims/:id/return',
    { schema: { tags, params: IdParams, body: ClaimReasonRequest, response: { 200: ClaimDetail } }, config: { access: { roles: ROLE_GROUPS.claimCheckers } } },
    async (req) => claims.sendBack(ctx, req.actor!, req.params.id, req.body.reason),
  );
  r.post(
    '/claims/:id/approve',
    { schema: { tags, params: IdParams, body: ClaimNoteRequest, response: { 200: ClaimDetail } }, config: { access: { roles: ROLE_GROUPS.claimApprovers } } },
    async (req) => claims.approve(ctx, req.actor!, req.params.id, req.body.note),
  );
  r.post(
    '/claims/:id/reject',
    { schema: { tags, params: IdParams, body: ClaimReasonRequest, response: { 200: ClaimDetail } }, config: { access: { roles: ROLE_GROUPS.claimApprovers } } },
    async (req) => claims.reject(ctx, req.actor!, req.params.id, req.body.reason),
  );
  r.post(
    '/claims/:id/disallowances',
    { schema: { tags, params: IdParams, body: DisallowOrderRequest, response: { 200: ClaimDetail } }, config: { access: { roles: reviewers } } },
    async (req) => claims.disallow(ctx, req.actor!, req.params.id, req.body),
  );
  r.post(
    '/claims/:id/disallowances/:orderId/reinstate',
    { schema: { tags, params: OrderParams, body: ClaimReasonRequest, response: { 200: ClaimDetail } }, config: { access: { roles: reviewers } } },
    async (req) => claims.reinstate(ctx, req.actor!, req.params.id, req.params.orderId, req.body.reason),
  );
  r.post(
    '/claims/:id/payment',
    { schema: { tags, params: IdParams, body: ClaimPaymentRequest, response: { 200: ClaimDetail } }, config: { access: { roles: ROLE_GROUPS.claimPayers } } },
    async (req) => claims.recordPayment(ctx, req.actor!, req.params.id, req.body),
  );

  // Anomaly review: served here because confirming an anomaly changes claims (the anomalies module sits below).
  const review = { access: { roles: ROLE_GROUPS.reviewers } };
  r.post('/anomalies/scan', { schema: { tags: ['anomalies'], body: AnomalyScanRequest, response: { 200: AnomalyScanResult } }, config: review }, async (req) =>
    claims.scanAnomalies(ctx, req.actor!, req.body),
  );
  r.post(
    '/anomalies/:id/explain',
    { schema: { tags: ['anomalies'], params: IdParams, body: AnomalyResolveRequest, response: { 200: Anomaly } }, config: review },
    async (req) => claims.explainAnomaly(ctx, req.actor!, req.params.id, req.body.note),
  );
  r.post(
    '/anomalies/:id/confirm',
    { schema: { tags: ['anomalies'], params: IdParams, body: AnomalyResolveRequest, response: { 200: Anomaly } }, config: review },
    async (req) => claims.confirmAnomaly(ctx, req.actor!, req.params.id, req.body.note),
  );
}
