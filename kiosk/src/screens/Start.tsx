import { useEffect, useRef } from 'react';
import { createCardBuffer } from '../cardReader';
import { formatOpens, formatServiceDate } from '../format';
import { useSpeak, useT } from '../hooks';
import { Icon } from '../icons';
import { canUseCamera } from '../qr';
import { sentences } from '../speech';
import { useKiosk } from '../store';
import { NoticeBox } from '../ui';

export function StartScreen() {
  const { t, lang } = useT();
  const kiosk = useKiosk((s) => s.kiosk);
  const go = useKiosk((s) => s.go);
  const setNotice = useKiosk((s) => s.setNotice);
  const startGuest = useKiosk((s) => s.startGuest);
  const identifyCard = useKiosk((s) => s.identifyCard);
  const identifyQr = useKiosk((s) => s.identifyQr);
  const buffer = useRef(createCardBuffer());

  // A keyboard-wedge card reader types the number and Enter anywhere on this screen.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
      const scan = buffer.current.key(e.key, e.timeStamp || performance.now());
      if (scan) {
        e.preventDefault();
        if (scan.kind === 'card') void identifyCard(scan.cardNumber);
        else void identifyQr(scan.token);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [identifyCard, identifyQr]);

  const period = kiosk?.mealPeriod ? t(`period.${kiosk.mealPeriod}`) : null;
  const status = kiosk?.canteen.status !== undefined && kiosk.canteen.status !== 'open' ? t('start.closed') : null;
  const serving = period
    ? t('start.nowServing', { period })
    : kiosk?.next
      ? t('start.opensAt', { period: t(`period.${kiosk.next.mealPeriod}`), time: formatOpens(kiosk.next.opens) })
      : kiosk
        ? t('start.noService')
        : '';
  useSpeak(sentences(lang, t('start.swipe'), status ?? serving));

  return (
    <main className="screen screen-start" data-testid="start-screen">
      <div className="start-head">
        <h1 className="title canteen-title">{kiosk?.canteen.name ?? t('app.title')}</h1>
        {kiosk && <p className="lead">{t('start.today', { date: formatServiceDate(kiosk.serviceDate, lang) })}</p>}
        <p className="serving" data-testid="meal-period" aria-live="polite">
          {status ?? serving}
        </p>
      </div>
      <section className="swipe-panel" aria-labelledby="swipe-title" data-testid="card-input">
        <p className="swipe-icon">
          <Icon name="card" size="160px" />
        </p>
        <h2 id="swipe-title" className="swipe-title">
          {t('start.swipe')}
        </h2>
        <p className="lead">{t('start.swipeHint')}</p>
      </section>
      <NoticeBox />
      <div className="start-actions">
        {canUseCamera() && (
          <button
            type="button"
            className="btn btn-secondary btn-big"
            data-testid="scan-button"
            onClick={() => {
              setNotice(null);
              go({ name: 'scan' });
            }}
          >
            <Icon name="camera" />
            {t('start.scan')}
          </button>
        )}
        <button
          type="button"
          className="btn btn-secondary btn-big"
          data-testid="phone-pin-button"
          onClick={() => {
            setNotice(null);
            go({ name: 'phone' });
          }}
        >
          <Icon name="phone" />
          {t('start.phonePin')}
        </button>
        <button type="button" className="btn btn-primary btn-big" data-testid="guest-button" onClick={startGuest}>
          <span>{t('start.guest')}</span>
          <span className="btn-sub">{t('start.guestHint')}</span>
        </button>
      </div>
    </main>
  );
}
