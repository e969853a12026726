/** Profile helper: 400 guest orders through inject, one at a time; prints ms per order. Run with --cpu-prof. */
import { v7 as uuidv7 } from 'uuid';
import { makeApp, pairKiosk, as } from '../test/helpers';

const t = await makeApp();
const kiosk = as(t.app, await pairKiosk(t.app));
const t0 = performance.now();
for (let i = 0; i < 400; i++) {
  const r = await kiosk.post('/api/v1/orders', {
    id: uuidv7(),
    identifyMethod: 'guest',
    lines: [{ dishId: 'ct-shipai-huashi__mifan', quantity: 1 }],
    paymentMethod: 'cash',
  });
  if (r.statusCode !== 201) throw new Error(r.body);
}
console.log(`${((performance.now() - t0) / 400).toFixed(2)} ms per order`);
await t.close();
