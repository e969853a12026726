import { useEffect, useState } from 'react';
import { serverNow } from './serverClock';

/** Re-render every `ms` so clocks and "current meal" stay right on a screen left open all day; returns the server's now. */
export function useTick(ms: number): number {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    const id = setInterval(() => setNow(serverNow()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
