import { useState } from 'react';
import { useSpeak, useT } from '../hooks';
import { Icon } from '../icons';
import { useKiosk } from '../store';
import { Keypad, NoticeBox } from '../ui';

export function PhoneScreen() {
  const { t } = useT();
  const endSession = useKiosk((s) => s.endSession);
  const identifyPhonePin = useKiosk((s) => s.identifyPhonePin);
  const setNotice = useKiosk((s) => s.setNotice);
  const [step, setStep] = useState<'phone' | 'pin'>('phone');
  const [phone, setPhone] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const title = step === 'phone' ? t('phone.titlePhone') : t('phone.titlePin');
  useSpeak(title);

  const max = step === 'phone' ? 11 : 6;
  const value = step === 'phone' ? phone : pin;
  const setValue = step === 'phone' ? setPhone : setPin;
  const ready = step === 'phone' ? /^1\d{10}$/.test(phone) : /^\d{6}$/.test(pin);

  const ok = async () => {
    if (!ready || busy) return;
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
        <button type="button" className="btn btn-primary btn-big" data-testid="keypad-ok" disabled={!ready || busy} onClick={() => void ok()}>
          {step === 'phone' ? t('phone.next') : t('phone.login')}
        </button>
      </div>
      <span className="sr-only" aria-live="polite">
        {value.length}/{max}
      </span>
    </main>
  );
}
