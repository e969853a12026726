/**
 * Meals taken to an elder's home: one delivery per delivery order, with the address and the care level at the
 * time of ordering (the delivery subsidy rests on it). Created in the order's own transaction. Only this module
 * reads or writes the deliveries table.
 */
import type { DeliveryState } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../db/client';
import * as repo from './deliveries.repo';

export interface NewDelivery {
  orderId: string;
  canteenId: string;
  residentId: string | null;
  address: string;
  careLevelAtOrder: number;
  /** A new order's delivery is pending; the demo history records ones already delivered. */
  state?: DeliveryState;
  dispatchedAt?: string | null;
  deliveredAt?: string | null;
  /** A stable id for replayable loads (the demo seed); a new one otherwise. */
  id?: string;
}

export function createForOrder(tx: Tx, d: NewDelivery): void {
  repo.insertDelivery(tx, {
    id: d.id ?? uuidv7(),
    orderId: d.orderId,
    canteenId: d.canteenId,
    residentId: d.residentId,
    address: d.address,
    state: d.state ?? 'pending',
    careLevelAtOrder: d.careLevelAtOrder,
    courier: null,
    dispatchedAt: d.dispatchedAt ?? null,
    deliveredAt: d.deliveredAt ?? null,
    note: null,
  });
}
