import type { Tx } from '../../db/client';
import { preparedInsert } from '../../db/client';
import { deliveries } from '../../db/schema';

export type DeliveryRow = typeof deliveries.$inferSelect;

const insertQ = preparedInsert(deliveries);

/** Insert a delivery (every column named). */
export function insertDelivery(tx: Tx, row: DeliveryRow): void {
  insertQ(tx).run(row);
}
