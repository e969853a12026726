/** Profile helper: 300 card taps at a kiosk; prints ms per identification. Run with --cpu-prof to see where. */
import { makeApp, pairKiosk, ORIGIN } from '../test/helpers';

const t = await makeApp();
const cookie = await pairKiosk(t.app);
const t0 = performance.now();
for (let i = 0; i < 300; i++) {
  // Each tap from its own address: the identify route is rate limited per address.
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/kiosk/identify',
    payload: { method: 'card', cardNumber: `4401${100001 + (i % 40)}` },
    headers: { cookie, origin: ORIGIN },
    remoteAddress: `10.1.${Math.floor(i / 50)}.${i % 50}`,
  });
  if (r.statusCode !== 200 && r.statusCode !== 409) throw new Error(r.body);
}
console.log(`${((performance.now() - t0) / 300).toFixed(2)} ms per card tap`);
await t.close();
