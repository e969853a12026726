import { api } from './api';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '@yishi/shared/money';
import { speak } from './speech';
import { useKiosk } from './store';
import { formatClock } from './format';
import { useNow } from './hooks';
import { Icon } from './icons';

export function Money({ fen, testId, className }: { fen: number; testId?: string; className?: string }) {
  return (
    <span className={className ? `money ${className}` : 'money'} data-testid={testId} data-fen={fen}>
      {formatYuan(fen)}
    </span>
  );
}

/** Speak `text` when it first appears or changes (if voice is on). */
export function useSpeak(text: string | null): void {
  const voice = useKiosk((s) => s.voice);
  const lang = useKiosk((s) => s.lang);
  useEffect(() => {
    if (text) speak(text, lang, voice);
  }, [text, lang, voice]);
}

export function TopBar() {
  const { t } = useTranslation();
  const kiosk = useKiosk((s) => s.kiosk);
  const offline = useKiosk((s) => s.offline);
  const pending = useKiosk((s) => s.pendingOrders);
  const voice = useKiosk((s) => s.voice);
  const lang = useKiosk((s) => s.lang);
  const toggleVoice = useKiosk((s) => s.toggleVoice);
  const setLang = useKiosk((s) => s.setLang);
  const setStaffCalled = useKiosk((s) => s.setStaffCalled);
  const now = useNow(15_000);
  return (
    <header className="topbar">
      <div className="topbar-title">
        <span className="brand" aria-hidden="true">
          颐
        </span>
        <span className="canteen-name">{kiosk?.canteen.shortName ?? t('app.title')}</span>
        <span className="clock" aria-label="time">
          {formatClock(now)}
        </span>
      </div>
      <div className="topbar-actions">
        <button
          type="button"
          className="btn btn-small btn-plain"
          data-testid="lang-toggle"
          lang={lang === 'en' ? 'zh-CN' : 'en'}
          onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
        >
          <Icon name="globe" />
          {t('common.langSwitch')}
        </button>
        <button type="button" className="btn btn-small btn-plain" data-testid="voice-toggle" aria-pressed={voice} onClick={toggleVoice}>
          <Icon name={voice ? 'voiceOn' : 'voiceOff'} />
          {voice ? t('common.voiceOn') : t('common.voiceOff')}
        </button>
        <button
          type="button"
          className="btn btn-small btn-staff"
          data-testid="call-staff"
          onClick={() => {
            setStaffCalled(true);
            // Best effort: the overlay tells the person to wait either way; staff nearby still see it.
            api.callStaff().catch(() => undefined);
          }}
        >
          <Icon name="staff" />
          {t('common.callStaff')}
        </button>
      </div>
      {offline && (
        <div className="banner banner-offline" role="status" data-testid="offline-banner">
          <Icon name="warn" />
          {t('common.offline')}
        </div>
      )}
      {pending > 0 && (
        <div className="banner banner-info" role="status" data-testid="pending-orders">
          {t('common.pending', { count: pending })}
        </div>
      )}
    </header>
  );
}

export function NoticeBox() {
  const { t } = useTranslation();
  const notice = useKiosk((s) => s.notice);
  const text = notice ? t(notice.key, notice.params ?? {}) : null;
  useSpeak(notice?.kind === 'error' ? text : null);
  return (
    <div className="notice-slot" aria-live="assertive" role="status">
      {notice && text && (
        <p className={`notice notice-${notice.kind}`} data-testid={`notice-${notice.kind}`} data-code={notice.key}>
          <Icon name={notice.kind === 'error' ? 'warn' : 'info'} />
          {text}
        </p>
      )}
    </div>
  );
}

export function Overlay({ labelledBy, children, testId }: { labelledBy: string; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, []);
  return (
    <div className="overlay" data-testid={testId}>
      <div className="overlay-card" role="alertdialog" aria-modal="true" aria-labelledby={labelledBy} ref={ref}>
        {children}
      </div>
    </div>
  );
}

export function StaffOverlay() {
  const { t } = useTranslation();
  const called = useKiosk((s) => s.staffCalled);
  const close = useKiosk((s) => s.setStaffCalled);
  useSpeak(called ? t('common.staffComing') : null);
  if (!called) return null;
  return (
    <Overlay labelledBy="staff-title" testId="staff-overlay">
      <p className="overlay-icon">
        <Icon name="staff" size="120px" />
      </p>
      <h2 id="staff-title" className="overlay-title">
        {t('common.staffComing')}
      </h2>
      <p className="overlay-body">{t('common.staffComingSub')}</p>
      <button type="button" className="btn btn-primary btn-wide" data-testid="call-staff-close" onClick={() => close(false)}>
        {t('common.close')}
      </button>
    </Overlay>
  );
}

export interface KeypadProps {
  onDigit: (d: string) => void;
  onDelete: () => void;
  onClear: () => void;
  disabled?: boolean;
}

export function Keypad({ onDigit, onDelete, onClear, disabled }: KeypadProps) {
  const { t } = useTranslation();
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
  return (
    <div className="keypad" role="group" aria-label="keypad">
      {keys.map((d) => (
        <button key={d} type="button" className="key" data-testid={`keypad-digit-${d}`} disabled={disabled} onClick={() => onDigit(d)}>
          {d}
        </button>
      ))}
      <button type="button" className="key key-fn" data-testid="keypad-clear" disabled={disabled} onClick={onClear}>
        {t('keypad.clear')}
      </button>
      <button type="button" className="key" data-testid="keypad-digit-0" disabled={disabled} onClick={() => onDigit('0')}>
        0
      </button>
      <button type="button" className="key key-fn" data-testid="keypad-delete" disabled={disabled} onClick={onDelete} aria-label={t('keypad.del')}>
        <Icon name="del" />
        {t('keypad.del')}
      </button>
    </div>
  );
}
