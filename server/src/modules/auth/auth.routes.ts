import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChangePasswordRequest, CreateUserRequest, Id, LoginRequest, LoginResponse, Me, Ok, UserSummary } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import { SESSION_COOKIE } from '../../lib/cookies';
import * as auth from './auth.service';
import * as usersService from './users.service';

export async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  r.post(
    '/auth/login',
    {
      schema: { tags: ['auth'], body: LoginRequest, response: { 200: LoginResponse } },
      config: { access: { public: true }, rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const { token, me } = await auth.login(ctx, req.body.username, req.body.password, req.headers['user-agent']);
      // A duration (Max-Age), never an instant from the business clock: a demo or test clock set in the past or
      // the future must not hand the browser a cookie that is already expired (or lives for a year).
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: req.protocol === 'https',
        maxAge: ctx.config.sessionHours * 3600,
      });
      return { user: me };
    },
  );

  r.post(
    '/auth/logout',
    { schema: { tags: ['auth'], response: { 200: Ok } }, config: { access: { roles: ROLE_GROUPS.all, duringPasswordChange: true } } },
    async (req, reply) => {
      await auth.logout(ctx, req.actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  r.post(
    '/auth/logout-all',
    { schema: { tags: ['auth'], response: { 200: Ok } }, config: { access: { roles: ROLE_GROUPS.all, duringPasswordChange: true } } },
    async (req, reply) => {
      const me = auth.me(req.actor);
      await auth.logoutEverywhere(ctx, me.id, req.actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  r.get(
    '/auth/me',
    { schema: { tags: ['auth'], response: { 200: Me } }, config: { access: { roles: ROLE_GROUPS.all, duringPasswordChange: true } } },
    async (req) => auth.me(req.actor),
  );

  r.post(
    '/auth/password',
    {
      schema: { tags: ['auth'], body: ChangePasswordRequest, response: { 200: Ok } },
      config: { access: { roles: ROLE_GROUPS.all, duringPasswordChange: true }, rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req) => {
      await auth.changePassword(ctx, req.actor, req.body.currentPassword, req.body.newPassword);
      return { ok: true as const };
    },
  );

  const admins = { roles: ROLE_GROUPS.accountManagers };
  r.get('/users', { schema: { tags: ['users'], response: { 200: z.array(UserSummary) } }, config: { access: admins } }, async (req) =>
    usersService.listUsers(ctx, req.actor),
  );
  r.post('/users', { schema: { tags: ['users'], body: CreateUserRequest, response: { 201: UserSummary } }, config: { access: admins } }, async (req, reply) => {
    const u = await usersService.createUserChecked(ctx, req.actor, req.body);
    return reply.code(201).send(u);
  });
  const IdParams = z.strictObject({ id: Id });
  for (const action of ['disable', 'enable', 'unlock'] as const) {
    r.post(`/users/:id/${action}`, { schema: { tags: ['users'], params: IdParams, response: { 200: UserSummary } }, config: { access: admins } }, async (req) =>
      usersService.setUserFlag(ctx, req.actor, req.params.id, action),
    );
  }
}
