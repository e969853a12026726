import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { flushOutbox, loadState, startBackgroundJobs } from './actions';
import { config } from './config';
import { useCountdown } from './hooks';
import { connectLive } from './live';
import { useKiosk, type Screen } from './store';
import { ConfirmScreen } from './screens/Confirm';
import { MenuScreen } from './screens/Menu';
import { PairingScreen } from './screens/Pairing';
import { PhoneScreen } from './screens/Phone';
import { ScanScreen } from './screens/Scan';
import { StartScreen } from './screens/Start';
import { TicketScreen } from './screens/Ticket';
import { Overlay, StaffOverlay, TopBar, useSpeak } from './ui';

const IDLE_SCREENS: ReadonlySet<Screen['name']> = new Set(['menu', 'confirm', 'phone', 'scan']);

/** "Are you still there?" after a quiet spell; never while an order is being submitted. */
function IdleGuard() {
  const { t } = useTranslation();
  const screen = useKiosk((s) => s.screen.name);
  const status = useKiosk((s) => s.submitStatus);
  const endSession = useKiosk((s) => s.endSession);
  const [warnUntil, setWarnUntil] = useState<number | null>(null);
  const lastTouch = useRef(Date.now());
  const busy = status === 'submitting' || status === 'retrying';
  const active = IDLE_SCREENS.has(screen) && !busy;
  const left = useCountdown(warnUntil);

  useEffect(() => {
    const touch = () => {
      lastTouch.current = Date.now();
    };
    const opts = { capture: true, passive: true } as const;
    window.addEventListener('pointerdown', touch, opts);
    window.addEventListener('keydown', touch, opts);
    window.addEventListener('touchstart', touch, opts);
    window.addEventListener('wheel', touch, opts);
    return () => {
      window.removeEventListener('pointerdown', touch, opts);
      window.removeEventListener('keydown', touch, opts);
      window.removeEventListener('touchstart', touch, opts);
      window.removeEventListener('wheel', touch, opts);
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
      if (warnUntil === null) {
        if (Date.now() - lastTouch.current >= config.idleMs) setWarnUntil(Date.now() + config.idleWarnMs);
      } else if (Date.now() >= warnUntil) {
        setWarnUntil(null);
        endSession();
      }
    }, 250);
    return () => clearInterval(id);
  }, [active, warnUntil, endSession]);

  useSpeak(warnUntil !== null ? t('idle.title') : null);
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

function useLive() {
  const canteenId = useKiosk((s) => s.kiosk?.canteen.id ?? null);
  const paired = useKiosk((s) => s.screen.name !== 'pairing' && s.screen.name !== 'loading');
  useEffect(() => {
    if (!canteenId || !paired) return;
    let first = true;
    return connectLive(canteenId, {
      onOpen: () => {
        if (!first) {
          void loadState();
          void flushOutbox();
        }
        first = false;
      },
      onClose: () => undefined,
      onEvent: (ev) => {
        const s = useKiosk.getState();
        if (ev.type === 'stock.changed') {
          if (!s.applyStock(ev)) void loadState();
        } else if (ev.type === 'menu.changed') {
          void loadState();
        }
      },
    });
  }, [canteenId, paired]);
}

export function App() {
  const screen = useKiosk((s) => s.screen);
  const lang = useKiosk((s) => s.lang);
  const { i18n, t } = useTranslation();

  useEffect(() => {
    void loadState();
    return startBackgroundJobs();
  }, []);
  useEffect(() => {
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang, i18n, t]);
  useLive();

  return (
    <div className={`app app-${screen.name}`} lang={lang}>
      <TopBar />
      {screen.name === 'loading' && (
        <main className="screen" data-testid="loading-screen">
          <h1 className="title">{t('app.title')}</h1>
          <p className="lead">{t('common.loading')}</p>
        </main>
      )}
      {screen.name === 'pairing' && <PairingScreen revoked={screen.revoked} />}
      {screen.name === 'start' && <StartScreen />}
      {screen.name === 'phone' && <PhoneScreen />}
      {screen.name === 'scan' && <ScanScreen />}
      {screen.name === 'menu' && <MenuScreen />}
      {screen.name === 'confirm' && <ConfirmScreen />}
      {screen.name === 'ticket' && <TicketScreen key={screen.order.id} order={screen.order} />}
      <IdleGuard />
      <StaffOverlay />
    </div>
  );
}
