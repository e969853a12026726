import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreatePairingRequest,
  HelpCall,
  HelpCallList,
  HelpRequest,
  KioskHeartbeat,
  KioskHeartbeatResponse,
  KioskPricing,
  OfflineSnapshot,
  DeviceSummary,
  Id,
  IdentifyRequest,
  IdentifyResponse,
  KioskState,
  PairingCode,
  PairRequest,
  PairResponse,
} from '@yishi/shared/schemas';
import { AppError } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import type { Actor, DeviceActor } from '../../lib/actor';
import { DEVICE_COOKIE } from '../../lib/cookies';
import * as kiosk from './kiosk.service';

export async function kioskRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });
  const operators = { roles: ROLE_GROUPS.canteenStaff };

  r.get(
    '/canteens/:id/devices',
    { schema: { tags: ['kiosk'], params: IdParams, response: { 200: z.array(DeviceSummary) } }, config: { access: operators } },
    async (req) => kiosk.listDevices(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/devices/pairing',
    { schema: { tags: ['kiosk'], body: CreatePairingRequest, response: { 201: PairingCode } }, config: { access: operators } },
    async (req, reply) => reply.code(201).send(await kiosk.createPairing(ctx, req.actor!, req.body.canteenId, req.body.name)),
  );
  r.post(
    '/devices/:id/revoke',
    { schema: { tags: ['kiosk'], params: IdParams, response: { 200: DeviceSummary } }, config: { access: operators } },
    async (req) => kiosk.revoke(ctx, req.actor!, req.params.id),
  );

  r.post(
    '/kiosk/pair',
    {
      schema: { tags: ['kiosk'], body: PairRequest, response: { 200: PairResponse } },
      config: { access: { public: true }, rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const { credential, deviceId, canteen } = await kiosk.pair(ctx, req.body.code);
      reply.setCookie(DEVICE_COOKIE, credential, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: req.protocol === 'https',
        maxAge: 10 * 365 * 24 * 3600,
      });
      return { deviceId, credential, canteen: kiosk.kioskCanteen(canteen) };
    },
  );
  r.get('/kiosk/state', { schema: { tags: ['kiosk'], response: { 200: KioskState } }, config: { access: { roles: [], device: true } } }, async (req) => {
    const a = req.actor!;
    if (a.kind !== 'device') throw new AppError('forbidden', 'kiosks only');
    return kiosk.kioskState(ctx, a);
  });
  r.post(
    '/kiosk/identify',
    {
      schema: { tags: ['kiosk'], body: IdentifyRequest, response: { 200: IdentifyResponse } },
      config: { access: { roles: [], device: true }, rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req) => {
      const a = req.actor!;
      if (a.kind !== 'device') throw new AppError('forbidden', 'kiosks only');
      return kiosk.identify(ctx, a, req.body);
    },
  );
  r.post(
    '/kiosk/help',
    {
      schema: { tags: ['kiosk'], body: HelpRequest, response: { 200: HelpCall } },
      config: { access: { roles: [], device: true }, rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req) => kiosk.requestHelp(ctx, deviceOf(req.actor), req.body.requestId),
  );
  r.get('/kiosk/pricing', { schema: { tags: ['kiosk'], response: { 200: KioskPricing } }, config: { access: { roles: [], device: true } } }, async (req) =>
    kiosk.kioskPricing(ctx, deviceOf(req.actor)),
  );
  r.get(
    '/kiosk/offline-cache',
    {
      schema: { tags: ['kiosk'], response: { 200: OfflineSnapshot } },
      config: { access: { roles: [], device: true }, rateLimit: { max: 6, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return kiosk.offlineSnapshot(ctx, deviceOf(req.actor));
    },
  );
  r.post(
    '/kiosk/heartbeat',
    { schema: { tags: ['kiosk'], body: KioskHeartbeat, response: { 200: KioskHeartbeatResponse } }, config: { access: { roles: [], device: true } } },
    async (req) => kiosk.heartbeat(ctx, deviceOf(req.actor), req.body),
  );

  // The console: open calls for staff on every page, and 已处理.
  const HelpQuery = z.strictObject({ canteenId: Id.optional() });
  r.get(
    '/help-calls',
    { schema: { tags: ['kiosk'], querystring: HelpQuery, response: { 200: HelpCallList } }, config: { access: operators } },
    async (req) => ({ items: kiosk.openHelpCalls(ctx, req.actor!, req.query.canteenId) }),
  );
  r.post(
    '/help-calls/:id/acknowledge',
    { schema: { tags: ['kiosk'], params: z.strictObject({ id: z.uuid() }), response: { 200: HelpCall } }, config: { access: operators } },
    async (req) => kiosk.acknowledgeHelp(ctx, req.actor!, req.params.id),
  );
}

function deviceOf(actor: Actor | null): DeviceActor {
  if (actor?.kind !== 'device') throw new AppError('forbidden', 'kiosks only');
  return actor;
}
