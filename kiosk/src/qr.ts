/**
 * Reading a resident's QR code from the camera. Uses the browser's BarcodeDetector where it exists
 * (Android, ChromeOS, macOS) and otherwise decodes frames with jsQR (pure JavaScript, nothing downloaded),
 * so the camera works on a Linux or Windows kiosk too. jsQR is loaded only when the scan screen needs it,
 * never with the start screen.
 */

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (opts?: { formats?: string[] }) => BarcodeDetectorLike;

export type QrReader = (video: HTMLVideoElement) => Promise<string | null>;

export function canUseCamera(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
}

export async function makeQrReader(): Promise<QrReader> {
  const Native = (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  if (Native) {
    const detector = new Native({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video))[0]?.rawValue.trim() || null;
  }
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  return async (video) => {
    if (!ctx || video.videoWidth === 0) return null;
    // Half resolution is plenty for a code held up to the screen, and four times cheaper.
    const w = Math.max(1, Math.floor(video.videoWidth / 2));
    const h = Math.max(1, Math.floor(video.videoHeight / 2));
    canvas.width = w;
    canvas.height = h;
    ctx.drawImage(video, 0, 0, w, h);
    const code = jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'dontInvert' });
    return code?.data.trim() || null;
  };
}
