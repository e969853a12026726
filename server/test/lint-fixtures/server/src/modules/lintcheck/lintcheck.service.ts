import Database from 'better-sqlite3'; // error: no-restricted-imports
import { sql } from 'drizzle-orm/sql'; // error: no-restricted-imports
import * as ordersRepo from '../orders/orders.repo'; // error: no-restricted-imports
import { ordersRoutes } from '../orders/orders.routes'; // error: no-restricted-imports
import { issueQuoteId } from '../orders/quote-token'; // error: no-restricted-imports
import * as own from './lintcheck.repo';
import * as wallet from '../wallet/wallet.service';
import type { Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';

export function leaks(ctx: Ctx, tx: Tx) {
  const port = process.env.PORT; // error: no-restricted-syntax
  const { env } = process; // error: no-restricted-syntax
  ctx.db.writer.prepare('DELETE FROM orders').run(); // error: no-restricted-properties
  ctx.db.readerConn.prepare('SELECT 1').get(); // error: no-restricted-properties
  return [tx, port, env];
}

export const used = [Database, sql, ordersRepo, ordersRoutes, issueQuoteId, own, wallet];
