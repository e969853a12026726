import { useEffect, useRef, useState } from 'react';
import { useSpeak, useT } from '../hooks';
import { Icon } from '../icons';
import { makeQrReader } from '../qr';
import { useKiosk } from '../store';
import { NoticeBox } from '../ui';

export function ScanScreen() {
  const { t } = useT();
  const endSession = useKiosk((s) => s.endSession);
  const identifyQr = useKiosk((s) => s.identifyQr);
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  // Aloud what the screen says now: once the camera cannot open, not "point the code at the camera" but what to do instead.
  useSpeak(failed ? t('scan.noCamera') : t('scan.title'));

  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    (async () => {
      try {
        const read = await makeQrReader();
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
              const ok = await identifyQr(value);
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
  }, [identifyQr]);

  return (
    <main className="screen screen-scan" data-testid="scan-screen">
      <h1 className="title">{t('scan.title')}</h1>
      {failed ? (
        <p className="notice notice-error" role="alert" data-testid="scan-no-camera">
          {t('scan.noCamera')}
        </p>
      ) : (
        <video ref={video} className="scan-video" muted playsInline aria-hidden="true" />
      )}
      <NoticeBox />
      <button type="button" className="btn btn-secondary btn-wide" data-testid="scan-cancel" onClick={endSession}>
        <Icon name="back" />
        {t('scan.cancel')}
      </button>
    </main>
  );
}
