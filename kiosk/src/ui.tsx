import { useEffect, useRef, type ReactNode } from 'react';
import { formatYuan } from '@yishi/shared/money';
import { formatClock } from './format';
import { useCountdown, useLongPress, useServerNow, useSpeak, useT, useVoices } from './hooks';
import { Icon } from './icons';
import { isCantoneseVoice, speak } from './speech';
import { staffWords } from './staffWords';
import { useKiosk } from './store';

export function Money({ fen, testId, className }: { fen: number; testId?: string; className?: string }) {
  return (
    <span className={className ? `money ${className}` : 'money'} data-testid={testId} data-fen={fen}>
      {formatYuan(fen)}
    </span>
  );
}

export function TopBar() {
  const { t, lang } = useT();
  const kiosk = useKiosk((s) => s.kiosk);
  const offline = useKiosk((s) => s.network === 'offline');
  const pending = useKiosk((s) => s.pendingOrders);
  const voice = useKiosk((s) => s.voice);
  const toggleVoice = useKiosk((s) => s.toggleVoice);
  const setLang = useKiosk((s) => s.setLang);
  const callStaff = useKiosk((s) => s.callStaff);
  const openSettings = useKiosk((s) => s.openSettings);
  const now = useServerNow(10_000);
  // Staff open the kiosk's settings by holding the 颐 mark for three seconds.
  const hold = useLongPress(3000, openSettings);
  return (
    <header className="topbar">
      <div className="topbar-title">
        <span className="brand" aria-hidden="true" data-testid="brand" {...hold}>
          颐
        </span>
        <span className="canteen-name">{kiosk?.canteen.shortName ?? t('app.title')}</span>
        <span className="clock">
          {now && <span className="sr-only">{t('common.time')} </span>}
          <time data-testid="clock">{now ? formatClock(now) : ''}</time>
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
        <button type="button" className="btn btn-small btn-staff" data-testid="call-staff" onClick={() => void callStaff()}>
          <Icon name="staff" />
          {t('common.callStaff')}
        </button>
      </div>
      {(offline || pending > 0) && (
        <div className="banner banner-calm" role="status" data-testid={offline ? 'offline-banner' : 'pending-banner'}>
          {offline && <p>{t('common.offline')}</p>}
          {pending > 0 && (
            <p data-testid="pending-orders" data-count={pending}>
              {t('common.pending', { count: pending })}
            </p>
          )}
        </div>
      )}
    </header>
  );
}

/** Notices that must not be read aloud in a public room (balances, eligibility, registration): the screen shows them. */
const PRIVATE_NOTICES: ReadonlySet<string> = new Set([
  'error.insufficient_balance',
  'error.resident_inactive',
  'error.resident_not_found',
  'error.card_unknown',
]);

export function NoticeBox() {
  const { t } = useT();
  const notice = useKiosk((s) => s.notice);
  const text = notice ? t(notice.key, notice.params) : null;
  const spoken = notice?.kind === 'error' ? (PRIVATE_NOTICES.has(notice.key) ? t('common.seeScreen') : text) : null;
  useSpeak(spoken);
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

/** 呼叫工作人员: says truthfully whether the call reached staff, is being retried, or was acknowledged. */
export function StaffOverlay() {
  const { t, lang } = useT();
  const help = useKiosk((s) => s.help);
  const close = useKiosk((s) => s.closeHelp);
  const { title, sub, spoken } = staffWords(t, lang, help.status, help.attempts);
  // Speak when the call has reached staff, or when it has not (so the person knows to wave); once per state.
  useSpeak(help.overlay ? spoken : null);
  if (!help.overlay) return null;
  return (
    <Overlay labelledBy="staff-title" testId="staff-overlay">
      <p className="overlay-icon">
        <Icon name="staff" size="120px" />
      </p>
      <h2 id="staff-title" className="overlay-title" data-testid="staff-status" data-status={help.status} aria-live="polite">
        {title}
      </h2>
      {sub && <p className="overlay-body">{sub}</p>}
      <button type="button" className="btn btn-primary btn-wide" data-testid="call-staff-close" onClick={close}>
        {t('common.close')}
      </button>
    </Overlay>
  );
}

/** The kiosk's own settings, for staff: spoken dialect (Mandarin or Cantonese) and receipt paper. Kept on this kiosk. */
export function SettingsPanel() {
  const { t, lang } = useT();
  const open = useKiosk((s) => s.settingsOpen);
  const close = useKiosk((s) => s.closeSettings);
  const dialect = useKiosk((s) => s.speechDialect);
  const setDialect = useKiosk((s) => s.setSpeechDialect);
  const paper = useKiosk((s) => s.paperWidth);
  const setPaper = useKiosk((s) => s.setPaperWidth);
  const deviceId = useKiosk((s) => s.kiosk?.deviceId ?? null);
  const voices = useVoices();
  if (!open) return null;
  const cantonese = voices.find(isCantoneseVoice);
  const choice = (testId: string, chosen: boolean, label: string, onClick: () => void) => (
    <button type="button" className={`btn btn-choice${chosen ? ' chosen' : ''}`} aria-pressed={chosen} data-testid={testId} onClick={onClick}>
      <span aria-hidden="true">{chosen ? '● ' : '○ '}</span>
      {label}
    </button>
  );
  return (
    <Overlay labelledBy="settings-title" testId="settings-panel">
      <h2 id="settings-title" className="overlay-title">
        {t('settings.title')}
      </h2>
      <fieldset className="fulfil">
        <legend>{t('settings.speech')}</legend>
        {choice('dialect-mandarin', dialect === 'mandarin', t('settings.mandarin'), () => setDialect('mandarin'))}
        {choice('dialect-cantonese', dialect === 'cantonese', t('settings.cantonese'), () => setDialect('cantonese'))}
        <p className="dish-note" data-testid="cantonese-voice" data-available={cantonese ? 'true' : 'false'}>
          {cantonese ? t('settings.hasCantonese', { name: cantonese.name }) : t('settings.noCantonese')}
        </p>
        <button type="button" className="btn btn-secondary" data-testid="dialect-test" onClick={() => speak(t('settings.testText'), lang, dialect)}>
          <Icon name="voiceOn" />
          {t('settings.test')}
        </button>
      </fieldset>
      <fieldset className="fulfil">
        <legend>{t('settings.paper')}</legend>
        {choice('paper-58', paper === 58, t('settings.paper58'), () => setPaper(58))}
        {choice('paper-80', paper === 80, t('settings.paper80'), () => setPaper(80))}
      </fieldset>
      {deviceId && <p className="overlay-body">{t('settings.device', { id: deviceId.slice(-6).toUpperCase() })}</p>}
      <button type="button" className="btn btn-primary btn-wide" data-testid="settings-close" onClick={close}>
        {t('settings.close')}
      </button>
    </Overlay>
  );
}

/** While the server asks us to wait (Retry-After), a calm countdown. */
export function BusyCountdown({ until }: { until: number | null }) {
  const { t } = useT();
  const left = useCountdown(until);
  if (until === null || left <= 0) return null;
  return (
    <p className="notice notice-info" data-testid="busy-countdown">
      {t('common.busy', { s: left })}
    </p>
  );
}

export interface KeypadProps {
  onDigit: (d: string) => void;
  onDelete: () => void;
  onClear: () => void;
  disabled?: boolean;
}

export function Keypad({ onDigit, onDelete, onClear, disabled }: KeypadProps) {
  const { t } = useT();
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
