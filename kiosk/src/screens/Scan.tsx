import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { identify } from '../actions';
import { useKiosk } from '../store';
import { NoticeBox, useSpeak } from '../ui';
import { Icon } from '../icons';
import { makeQrReader } from '../qr';

export function ScanScreen() {
  const { t } = useTranslation();
  const endSession = useKiosk((s) => s.endSession);
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  useSpeak(t('scan.title'));

  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    (async () => {
      try {
        const read = makeQrReader();
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false });
        if (stopped || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        const tick = async () => {
          if (stopped || !video.current) return;
          try {
            const value = await read(video.current);
            if (value) {
              stopped = true;
              const ok = await identify('qr', () => api.identifyQr(value));
              if (!ok) {
                stopped = false;
                timer = setTimeout(() => void tick(), 1500);
              }
              return;
            }
          } catch {
            /* frame not ready */
          }
          timer = setTimeout(() => void tick(), 250);
        };
        void tick();
      } catch {
        setFailed(true);
      }
    })();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);

  return (
    <main className="screen screen-scan" data-testid="scan-screen">
      <h1 className="title">{t('scan.title')}</h1>
      {failed ? <p className="notice notice-error">{t('scan.noCamera')}</p> : <video ref={video} className="scan-video" muted playsInline aria-hidden="true" />}
      <NoticeBox />
      <button type="button" className="btn btn-secondary btn-wide" data-testid="scan-cancel" onClick={endSession}>
        <Icon name="back" />
        {t('scan.cancel')}
      </button>
    </main>
  );
}
