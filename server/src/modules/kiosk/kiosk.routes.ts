import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Ok,
  CreatePairingRequest,
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
    { schema: { tags: ['kiosk'], response: { 200: Ok } }, config: { access: { roles: [], device: true }, rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (req) => {
      const a = req.actor!;
      if (a.kind !== 'device') throw new AppError('forbidden', 'kiosks only');
      return kiosk.requestHelp(ctx, a);
    },
  );
}
