import type { OutboxStore } from './outbox';
import { kioskDb } from './db';

export function dexieOutbox(): OutboxStore {
  const t = () => kioskDb().outbox;
  return {
    put: async (row) => void (await t().put(row)),
    get: (id) => t().get(id),
    all: () => t().toArray(),
    delete: (id) => t().delete(id),
  };
}
