import * as ordersRepo from './modules/orders/orders.repo'; // error: no-restricted-imports
import { sql } from 'drizzle-orm'; // error: no-restricted-imports
import * as orders from './modules/orders/orders.service';

export const used = [ordersRepo, sql, orders];
