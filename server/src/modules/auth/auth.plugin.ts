/**
 * Resolves who is calling (session cookie, device cookie or `Authorization: Device …`) and enforces each
 * route's declared access rule and the origin check for cookie-authenticated writes (CSRF).
 */
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@yishi/shared/schemas';
import type { Actor } from '../../lib/actor';
import { DEVICE_COOKIE, SESSION_COOKIE } from '../../lib/cookies';
import { resolveDevice } from '../kiosk/kiosk.service';
import { resolveSession } from './auth.service';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originAllowed(req: FastifyRequest, allowed: string[]): boolean {
  const origin = req.headers.origin ?? (req.headers.referer ? safeOrigin(req.headers.referer) : undefined);
  if (!origin) return false;
  const host = req.headers.host;
  if (host && (origin === `http://${host}` || origin === `https://${host}`)) return true;
  return allowed.includes(origin);
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export const authPlugin = fp(async (app) => {
  app.decorateRequest('actor', null);

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!req.url.startsWith('/api/v1') || !access) return;
    const ctx = app.ctx;

    if ('public' in access) {
      if (UNSAFE.has(req.method) && req.headers.origin && !originAllowed(req, ctx.config.allowedOrigins)) {
        throw new AppError('csrf_rejected', 'cross-site request refused: the Origin header must be this site');
      }
      return;
    }

    let actor: Actor | null = null;
    let viaCookie = false;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Device ')) {
      actor = await resolveDevice(ctx, auth.slice(7).trim());
      if (!actor) throw new AppError('unauthenticated', 'this kiosk is not paired or was revoked');
    } else if (req.cookies[SESSION_COOKIE]) {
      actor = await resolveSession(ctx, req.cookies[SESSION_COOKIE]);
      viaCookie = actor !== null;
    }
    if (!actor && req.cookies[DEVICE_COOKIE] && access.device) {
      actor = await resolveDevice(ctx, req.cookies[DEVICE_COOKIE]);
      viaCookie = actor !== null;
    }
    req.actor = actor;

    if (viaCookie && UNSAFE.has(req.method) && !originAllowed(req, ctx.config.allowedOrigins)) {
      throw new AppError('csrf_rejected', 'cross-site request refused: the Origin header must be this site');
    }
    // Cross-site WebSocket hijacking: browsers always send Origin on an upgrade; a foreign one is refused.
    if (viaCookie && req.headers.upgrade?.toLowerCase() === 'websocket' && req.headers.origin && !originAllowed(req, ctx.config.allowedOrigins)) {
      throw new AppError('csrf_rejected', 'cross-site WebSocket refused: the Origin header must be this site');
    }
    if (!actor) throw new AppError('unauthenticated', 'please log in');
    if (actor.kind === 'device') {
      if (!access.device) throw new AppError('forbidden', 'a kiosk cannot do this');
      return;
    }
    if (actor.user.mustChangePassword && !access.duringPasswordChange) {
      throw new AppError('password_change_required', 'change your password first');
    }
    if (!access.roles.includes(actor.user.role)) {
      throw new AppError('forbidden', `this needs one of the roles: ${access.roles.join(', ') || '(kiosk only)'}`);
    }
  });
});
