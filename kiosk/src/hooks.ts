import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { billFromQuote, listBill, type Bill } from './basket';
import type { DishPrice } from './offlinePricing';
import { translate, translateOr, type Lang, type Params, type Translate } from './i18n';
import { deviceVoices, speak } from './speech';
import { basketKey, dishPricesFor, serverNow, useKiosk } from './store';

/** The words in the person's language (the language lives in the store, nowhere else). */
export function useT(): { t: Translate; tOr: (key: string, fallback: string, params?: Params) => string; lang: Lang } {
  const lang = useKiosk((s) => s.lang);
  return useMemo(
    () => ({
      t: (key: string, params?: Params) => translate(lang, key, params),
      tOr: (key: string, fallback: string, params?: Params) => translateOr(lang, key, fallback, params),
      lang,
    }),
    [lang],
  );
}

/** Speak `text` when it first appears or changes (if this person has voice on). Only ever pass words meant to be heard. */
export function useSpeak(text: string | null): void {
  const voice = useKiosk((s) => s.voice);
  const lang = useKiosk((s) => s.lang);
  const dialect = useKiosk((s) => s.speechDialect);
  useEffect(() => {
    if (text && voice) speak(text, lang, dialect);
  }, [text, lang, voice, dialect]);
}

/** The server's time, ticking; null until the kiosk has heard the server (then nothing is shown). */
export function useServerNow(everyMs: number): Date | null {
  const offset = useKiosk((s) => s.serverOffsetMs);
  const [tick, setTick] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setTick(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return serverNow({ serverOffsetMs: offset }, tick);
}

/** Seconds left until `deadline` (ms epoch), ticking each quarter second. */
export function useCountdown(deadline: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [deadline]);
  if (deadline === null) return 0;
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/**
 * The bill for the basket as it is now: the server's quote when it is for exactly this basket; for a guest
 * while the server cannot be reached, list prices; otherwise null (nothing is shown rather than a stale figure).
 */
export function useBill(): Bill | null {
  const quote = useKiosk((s) => s.quote);
  const quoteKey = useKiosk((s) => s.quoteKey);
  const quoteStatus = useKiosk((s) => s.quoteStatus);
  const cart = useKiosk((s) => s.cart);
  const fulfilment = useKiosk((s) => s.fulfilment);
  const ticket = useKiosk((s) => s.residentTicket);
  const offlineId = useKiosk((s) => s.offlineId);
  const resident = useKiosk((s) => s.resident);
  const menu = useKiosk((s) => s.kiosk?.menu);
  return useMemo(() => {
    const key = basketKey({ cart, fulfilment, residentTicket: ticket, offlineId });
    if (quote && quoteKey === key) return billFromQuote(quote);
    if (!resident && fulfilment === 'dine_in' && quoteStatus === 'unreachable') return listBill(cart, menu);
    return null;
  }, [quote, quoteKey, quoteStatus, cart, fulfilment, ticket, offlineId, resident, menu]);
}

/** Press and hold for `ms` (staff gestures); returns pointer handlers. */
export function useLongPress(ms: number, onLong: () => void) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancel = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);
  useEffect(() => cancel, [cancel]);
  return {
    onPointerDown: () => {
      cancel();
      timer.current = setTimeout(onLong, ms);
    },
    onPointerUp: cancel,
    onPointerLeave: cancel,
    onPointerCancel: cancel,
  };
}

/** The device's speech voices (they arrive asynchronously in Chromium). */
export function useVoices(): SpeechSynthesisVoice[] {
  const [voices, setVoices] = useState(deviceVoices);
  useEffect(() => {
    if (typeof window === 'undefined' || !('speechSynthesis' in window)) return;
    const update = () => setVoices(deviceVoices());
    window.speechSynthesis.addEventListener('voiceschanged', update);
    update();
    return () => window.speechSynthesis.removeEventListener('voiceschanged', update);
  }, []);
  return voices;
}

/** What one more of each dish adds to what the identified person pays (dish id → fen); null: show list prices. */
export function useDishPrices(): Map<string, DishPrice> | null {
  const kiosk = useKiosk((s) => s.kiosk);
  const resident = useKiosk((s) => s.resident);
  const offlineId = useKiosk((s) => s.offlineId);
  const offlinePricing = useKiosk((s) => s.offlinePricing);
  const mealPricing = useKiosk((s) => s.mealPricing);
  const cart = useKiosk((s) => s.cart);
  const fulfilment = useKiosk((s) => s.fulfilment);
  return useMemo(
    () => dishPricesFor({ kiosk, resident, offlineId, offlinePricing, mealPricing, cart, fulfilment }),
    [kiosk, resident, offlineId, offlinePricing, mealPricing, cart, fulfilment],
  );
}
