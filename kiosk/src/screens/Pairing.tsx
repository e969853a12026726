import { useState } from 'react';
import { useSpeak, useT } from '../hooks';
import { useKiosk } from '../store';
import { Keypad, NoticeBox } from '../ui';

export function PairingScreen({ revoked }: { revoked: boolean }) {
  const { t } = useT();
  const pair = useKiosk((s) => s.pair);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  useSpeak(t('pairing.title'));
  const submit = async () => {
    if (code.length !== 8 || busy) return;
    setBusy(true);
    await pair(code);
    setBusy(false);
    setCode('');
  };
  return (
    <main className="screen screen-pairing" data-testid="pairing-screen">
      <h1 className="title">{t('pairing.title')}</h1>
      {revoked && <p className="notice notice-error">{t('pairing.revoked')}</p>}
      <p className="lead">{t('pairing.hint')}</p>
      <label className="field-label" htmlFor="pairing-code">
        {t('pairing.code')}
      </label>
      <input
        id="pairing-code"
        className="code-display"
        data-testid="pairing-code-input"
        inputMode="numeric"
        autoComplete="off"
        maxLength={8}
        value={code}
        onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 8))}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void submit();
        }}
      />
      <NoticeBox />
      <Keypad
        disabled={busy}
        onDigit={(d) => setCode((c) => (c.length < 8 ? c + d : c))}
        onDelete={() => setCode((c) => c.slice(0, -1))}
        onClear={() => setCode('')}
      />
      <button type="button" className="btn btn-primary btn-wide" data-testid="pair-submit" disabled={code.length !== 8 || busy} onClick={() => void submit()}>
        {t('pairing.submit')}
      </button>
    </main>
  );
}
