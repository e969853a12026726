import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { identify } from '../actions';
import { useKiosk } from '../store';
import { NoticeBox, useSpeak } from '../ui';
import { Icon } from '../icons';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (opts?: { formats?: string[] }) => BarcodeDetectorLike;

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
    const Ctor = (window as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
    (async () => {
      try {
        if (!Ctor) throw new Error('no BarcodeDetector');
        const detector = new Ctor({ formats: ['qr_code'] });
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false });
        if (stopped || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        const tick = async () => {
          if (stopped || !video.current) return;
          try {
            const codes = await detector.detect(video.current);
            const value = codes[0]?.rawValue.trim();
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
      {failed ? (
        <p className="notice notice-error">{t('scan.noCamera')}</p>
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
