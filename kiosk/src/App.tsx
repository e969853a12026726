import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { config } from './config';
import { idleTick } from './idle';
import { useCountdown, useSpeak, useT } from './hooks';
import { connectLive } from './live';
import { StartScreen } from './screens/Start';
import { useKiosk, useKioskStore, type Screen } from './store';
import { Overlay, SettingsPanel, StaffOverlay, TopBar } from './ui';

// The start screen is in the first load; the rest comes in its own chunks (precached by the service worker,
// and fetched right after the start screen is up), so the first paint waits for as little as possible.
const loadMenu = () => import('./screens/Menu');
const loadConfirm = () => import('./screens/Confirm');
const loadTicket = () => import('./screens/Ticket');
const loadPhone = () => import('./screens/Phone');
const loadScan = () => import('./screens/Scan');
const loadPairing = () => import('./screens/Pairing');
const MenuScreen = lazy(() => loadMenu().then((m) => ({ default: m.MenuScreen })));
const ConfirmScreen = lazy(() => loadConfirm().then((m) => ({ default: m.ConfirmScreen })));
const TicketScreen = lazy(() => loadTicket().then((m) => ({ default: m.TicketScreen })));
const PhoneScreen = lazy(() => loadPhone().then((m) => ({ default: m.PhoneScreen })));
const ScanScreen = lazy(() => loadScan().then((m) => ({ default: m.ScanScreen })));
const PairingScreen = lazy(() => loadPairing().then((m) => ({ default: m.PairingScreen })));

const IDLE_SCREENS: ReadonlySet<Screen['name']> = new Set(['menu', 'confirm', 'phone', 'scan']);

/** "Are you still there?" after a quiet spell, with time to answer; never while an order is being sent. */
function IdleGuard() {
  const { t } = useT();
  const screen = useKiosk((s) => s.screen.name);
  const status = useKiosk((s) => s.submitStatus);
  const endSession = useKiosk((s) => s.endSession);
  const [warnUntil, setWarnUntil] = useState<number | null>(null);
  const lastTouch = useRef(Date.now());
  const busy = status === 'submitting' || status === 'retrying';
  const active = IDLE_SCREENS.has(screen) && !busy;
  const left = useCountdown(warnUntil);
  // Told "staff are on their way": the quiet spell before the question is much longer (config.helpIdleMs).
  const waitingForStaff = useKiosk((s) => s.help.overlay);
  const waitingRef = useRef(waitingForStaff);
  waitingRef.current = waitingForStaff;

  useEffect(() => {
    const touch = () => {
      lastTouch.current = Date.now();
    };
    const opts = { capture: true, passive: true } as const;
    const events = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;
    for (const ev of events) window.addEventListener(ev, touch, opts);
    return () => {
      for (const ev of events) window.removeEventListener(ev, touch, opts);
    };
  }, []);

  useEffect(() => {
    lastTouch.current = Date.now();
    setWarnUntil(null);
  }, [screen]);

  useEffect(() => {
    if (!active) {
      setWarnUntil(null);
      return;
    }
    const id = setInterval(() => {
      const next = idleTick({ now: Date.now(), lastTouch: lastTouch.current, warnUntil, waitingForStaff: waitingRef.current }, config);
      if (next.kind === 'warn') setWarnUntil(next.until);
      else if (next.kind === 'dismiss') setWarnUntil(null);
      else if (next.kind === 'end') {
        setWarnUntil(null);
        endSession();
      }
    }, 250);
    return () => clearInterval(id);
  }, [active, warnUntil, endSession]);

  // On the start screen a refusal (an unknown card, a wrong PIN) is for the person who just tried: it goes after a
  // while, so that the next person does not find it there.
  const notice = useKiosk((s) => s.notice);
  const setNotice = useKiosk((s) => s.setNotice);
  useEffect(() => {
    if (screen !== 'start' || notice?.kind !== 'error') return;
    const id = setTimeout(() => setNotice(null), config.startNoticeMs);
    return () => clearTimeout(id);
  }, [screen, notice, setNotice]);

  useSpeak(warnUntil !== null ? t('idle.spoken') : null);
  if (warnUntil === null || !active) return null;
  return (
    <Overlay labelledBy="idle-title" testId="idle-overlay">
      <h2 id="idle-title" className="overlay-title">
        {t('idle.title')}
      </h2>
      <p className="overlay-body" aria-live="polite">
        {t('idle.body', { s: left })}
      </p>
      <button
        type="button"
        className="btn btn-primary btn-wide"
        data-testid="idle-continue"
        onClick={() => {
          lastTouch.current = Date.now();
          setWarnUntil(null);
        }}
      >
        {t('idle.continue')}
      </button>
    </Overlay>
  );
}

/** One WebSocket to the canteen's live events: stock and menu changes arrive without a reload. */
function useLive() {
  const store = useKioskStore();
  const canteenId = useKiosk((s) => s.kiosk?.canteen.id ?? null);
  const paired = useKiosk((s) => s.screen.name !== 'pairing' && s.screen.name !== 'loading');
  useEffect(() => {
    if (!canteenId || !paired) return;
    let first = true;
    return connectLive(canteenId, {
      onOpen: () => {
        // A reconnection: the server is there again; refresh and send what waited.
        if (!first) store.getState().noteOnline();
        first = false;
      },
      onClose: () => undefined,
      onEvent: (ev) => store.getState().onLiveEvent(ev),
    });
  }, [canteenId, paired, store]);
}

export function App() {
  const store = useKioskStore();
  const screen = useKiosk((s) => s.screen);
  const { t, lang } = useT();

  useEffect(() => {
    const s = store.getState();
    void s.loadState();
    return s.startBackgroundJobs();
  }, [store]);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang, t]);
  // Once the start screen is up, fetch the other screens so the first tap never waits for the network.
  useEffect(() => {
    if (screen.name !== 'start') return;
    const id = setTimeout(() => {
      for (const load of [loadMenu, loadConfirm, loadTicket, loadPhone]) void load().catch(() => undefined);
    }, 500);
    return () => clearTimeout(id);
  }, [screen.name]);
  // Staff shortcut to the kiosk's settings from a keyboard (the touch way is holding the 颐 mark).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.altKey && e.key.toLowerCase() === 's') store.getState().openSettings();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
  useLive();

  const loading = (
    <main className="screen" data-testid="loading-screen">
      <p className="lead">{t('common.loading')}</p>
    </main>
  );

  return (
    <div className={`app app-${screen.name}`} lang={lang}>
      <TopBar />
      {screen.name === 'loading' && (
        <main className="screen" data-testid="loading-screen">
          <h1 className="title">{t('app.title')}</h1>
          <p className="lead">{t('common.loading')}</p>
        </main>
      )}
      <Suspense fallback={loading}>
        {screen.name === 'pairing' && <PairingScreen revoked={screen.revoked} />}
        {screen.name === 'start' && <StartScreen />}
        {screen.name === 'phone' && <PhoneScreen />}
        {screen.name === 'scan' && <ScanScreen />}
        {screen.name === 'menu' && <MenuScreen />}
        {screen.name === 'confirm' && <ConfirmScreen />}
        {screen.name === 'ticket' && <TicketScreen key={screen.order.id} order={screen.order} />}
      </Suspense>
      <StaffOverlay />
      {/* After the staff overlay, so that "are you still there?" is never hidden beneath it. */}
      <IdleGuard />
      <SettingsPanel />
    </div>
  );
}
