import type { Lang } from './i18n';

/** Read a step's main text aloud (Web Speech API). Silently does nothing where unsupported. */
export function speak(text: string, lang: Lang, enabled: boolean): void {
  if (!enabled || typeof window === 'undefined' || !('speechSynthesis' in window)) return;
  try {
    const synth = window.speechSynthesis;
    synth.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.lang = lang === 'en' ? 'en-US' : 'zh-CN';
    u.rate = 0.85; // a little slower for older listeners
    const voice = synth.getVoices().find((v) =>
      v.lang
        .replace('_', '-')
        .toLowerCase()
        .startsWith(lang === 'en' ? 'en' : 'zh'),
    );
    if (voice) u.voice = voice;
    synth.speak(u);
  } catch {
    /* speech is a help, never a failure */
  }
}

export function stopSpeaking(): void {
  if (typeof window !== 'undefined' && 'speechSynthesis' in window) window.speechSynthesis.cancel();
}
