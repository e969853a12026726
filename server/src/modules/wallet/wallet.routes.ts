import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, TopupRequest, WalletView } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import * as wallet from './wallet.service';

export async function walletRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  r.get(
    '/residents/:id/wallet',
    { schema: { tags: ['wallet'], params: z.strictObject({ id: Id }), response: { 200: WalletView } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => wallet.walletOf(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/wallet/topups',
    { schema: { tags: ['wallet'], body: TopupRequest, response: { 200: WalletView } }, config: { access: { roles: ROLE_GROUPS.canteenStaff } } },
    async (req) => wallet.topup(ctx, req.actor!, req.body),
  );
}
