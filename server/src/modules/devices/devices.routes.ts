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
import { DEVICE_COOKIE } from '../auth/auth.plugin';
import * as devices from './devices.service';

export async function devicesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });
  const operators = { roles: ['operator', 'admin'] as const };

  r.get(
    '/canteens/:id/devices',
    { schema: { tags: ['devices'], params: IdParams, response: { 200: z.array(DeviceSummary) } }, config: { access: operators } },
    async (req) => devices.listDevices(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/devices/pairing',
    { schema: { tags: ['devices'], body: CreatePairingRequest, response: { 201: PairingCode } }, config: { access: operators } },
    async (req, reply) => reply.code(201).send(await devices.createPairing(ctx, req.actor!, req.body.canteenId, req.body.name)),
  );
  r.post(
    '/devices/:id/revoke',
    { schema: { tags: ['devices'], params: IdParams, response: { 200: DeviceSummary } }, config: { access: operators } },
    async (req) => devices.revoke(ctx, req.actor!, req.params.id),
  );

  r.post(
    '/kiosk/pair',
    {
      schema: { tags: ['kiosk'], body: PairRequest, response: { 200: PairResponse } },
      config: { access: { public: true }, rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const { credential, deviceId, canteen } = await devices.pair(ctx, req.body.code);
      reply.setCookie(DEVICE_COOKIE, credential, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: req.protocol === 'https',
        maxAge: 10 * 365 * 24 * 3600,
      });
      return { deviceId, credential, canteen: devices.kioskCanteen(canteen) };
    },
  );
  r.get('/kiosk/state', { schema: { tags: ['kiosk'], response: { 200: KioskState } }, config: { access: { roles: [], device: true } } }, async (req) => {
    const a = req.actor!;
    if (a.kind !== 'device') throw new AppError('forbidden', 'kiosks only');
    return devices.kioskState(ctx, a);
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
      return devices.identify(ctx, a, req.body);
    },
  );
  r.post(
    '/kiosk/help',
    { schema: { tags: ['kiosk'], response: { 200: Ok } }, config: { access: { roles: [], device: true }, rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (req) => {
      const a = req.actor!;
      if (a.kind !== 'device') throw new AppError('forbidden', 'kiosks only');
      return devices.requestHelp(ctx, a);
    },
  );
}
