// Everything a service may do: its own repo, another module's service, the database's types, shared.
import { AppError } from '@yishi/shared/schemas';
import type { Reader } from '../../db/client';
import type { Ctx } from '../../lib/context';
import * as wallet from '../wallet/wallet.service';
import * as repo from './lintcheck.repo';

export function balance(ctx: Ctx, db: Reader, residentId: string): number {
  if (!residentId) throw new AppError('bad_request', 'who?');
  return wallet.balanceOf(db, residentId) + ctx.clock.now().getTime() * 0;
}

export { repo };
