import { useState } from 'react';
import { useSpeak, useT } from '../hooks';
import { Icon } from '../icons';
import { entryHint, ENTRY_LENGTH } from '../phoneEntry';
import { speak } from '../speech';
import { useKiosk } from '../store';
import { Keypad, NoticeBox } from '../ui';

export function PhoneScreen() {
  const { t, lang } = useT();
  const voice = useKiosk((s) => s.voice);
  const dialect = useKiosk((s) => s.speechDialect);
  const endSession = useKiosk((s) => s.endSession);
  const identifyPhonePin = useKiosk((s) => s.identifyPhonePin);
  const setNotice = useKiosk((s) => s.setNotice);
  const [step, setStep] = useState<'phone' | 'pin'>('phone');
  const [phone, setPhone] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const title = step === 'phone' ? t('phone.titlePhone') : t('phone.titlePin');
  useSpeak(title);

  const max = ENTRY_LENGTH[step];
  const value = step === 'phone' ? phone : pin;
  const setValue = step === 'phone' ? setPhone : setPin;
  // Why the button cannot be pressed yet (还差 1 位数字), or that it can: beside it, updated with every digit.
  const hint = entryHint(step, value);
  const ready = hint.ready;
  const hintText = t(hint.key, hint.params);

  const ok = async () => {
    if (busy) return;
    if (!ready) {
      // Still tappable (aria-disabled, not disabled): a tap on the grey button says why, aloud too.
      if (voice) speak(hintText, lang, dialect);
      return;
    }
    if (step === 'phone') {
      setNotice(null);
      setStep('pin');
      return;
    }
    setBusy(true);
    const done = await identifyPhonePin(phone, pin);
    setBusy(false);
    if (!done) setPin('');
  };

  return (
    <main className="screen screen-phone" data-testid="phone-screen">
      <h1 className="title">{title}</h1>
      <label className="field-label" htmlFor="phone-value">
        {step === 'phone' ? t('phone.phoneLabel') : t('phone.pinLabel')}
      </label>
      <output id="phone-value" className="code-display" data-testid={step === 'phone' ? 'phone-input' : 'pin-input'} aria-live="polite">
        {step === 'phone'
          ? phone.replace(/^(\d{3})(\d{0,4})(\d{0,4})$/, (_m, a: string, b: string, c: string) => [a, b, c].filter(Boolean).join(' ')) || '\u00a0'
          : '●'.repeat(pin.length) + '○'.repeat(6 - pin.length)}
      </output>
      <NoticeBox />
      <Keypad
        disabled={busy}
        onDigit={(d) => setValue((v) => (v.length < max ? v + d : v))}
        onDelete={() => setValue((v) => v.slice(0, -1))}
        onClear={() => setValue('')}
      />
      <div className="row-actions">
        <p id="entry-hint" className={`entry-hint${ready ? ' entry-ready' : ''}`} data-testid="entry-hint" data-ready={ready} aria-live="polite">
          <Icon name={ready ? 'check' : 'info'} />
          {hintText}
        </p>
        <button
          type="button"
          className="btn btn-secondary btn-big"
          data-testid="keypad-back"
          onClick={() => {
            if (step === 'pin') {
              setPin('');
              setStep('phone');
            } else endSession();
          }}
        >
          <Icon name="back" />
          {t('common.back')}
        </button>
        <button
          type="button"
          className="btn btn-primary btn-big"
          data-testid="keypad-ok"
          aria-disabled={!ready}
          aria-describedby="entry-hint"
          disabled={busy}
          onClick={() => void ok()}
        >
          {step === 'phone' ? t('phone.next') : t('phone.login')}
        </button>
      </div>
      <span className="sr-only" aria-live="polite">
        {value.length}/{max}
      </span>
    </main>
  );
}
