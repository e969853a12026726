/**
 * Which kiosks have a live socket open right now, in this process (the console's 设备 page shows a kiosk as
 * online while it does). Kept per app context, so tests with several apps never mix.
 */
const registry = new WeakMap<object, Map<string, number>>();

function of(ctx: object): Map<string, number> {
  let m = registry.get(ctx);
  if (!m) registry.set(ctx, (m = new Map<string, number>()));
  return m;
}

export function socketOpened(ctx: object, deviceId: string): void {
  const m = of(ctx);
  m.set(deviceId, (m.get(deviceId) ?? 0) + 1);
}

export function socketClosed(ctx: object, deviceId: string): void {
  const m = of(ctx);
  const n = (m.get(deviceId) ?? 0) - 1;
  if (n > 0) m.set(deviceId, n);
  else m.delete(deviceId);
}

export function hasSocket(ctx: object, deviceId: string): boolean {
  return (of(ctx).get(deviceId) ?? 0) > 0;
}
