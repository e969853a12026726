import type { Lang } from './i18n';

/** How Chinese is read aloud at this kiosk (a staff setting kept on the kiosk). */
export type SpeechDialect = 'mandarin' | 'cantonese';

export interface VoiceLike {
  name: string;
  lang: string;
  localService?: boolean;
  default?: boolean;
}

const norm = (tag: string) => tag.replace(/_/g, '-').toLowerCase();

/** Cantonese voices: yue, yue-HK, zh-HK, zh-yue (and zh-Hant-HK). */
export function isCantoneseVoice(v: VoiceLike): boolean {
  const l = norm(v.lang);
  return l === 'yue' || l.startsWith('yue-') || l === 'zh-hk' || l === 'zh-yue' || l === 'zh-hant-hk' || /cantonese|粤|粵/i.test(v.name);
}

function isMandarinVoice(v: VoiceLike): boolean {
  const l = norm(v.lang);
  return (
    !isCantoneseVoice(v) &&
    (l === 'zh' || l === 'zh-cn' || l.startsWith('zh-cn') || l === 'cmn' || l.startsWith('cmn-') || l === 'zh-hans' || l === 'zh-sg' || l === 'zh-tw')
  );
}

export interface VoiceChoice<V extends VoiceLike> {
  voice: V | null;
  /** The BCP 47 tag the utterance is spoken with. */
  lang: string;
  /** What is actually spoken: Cantonese only when the device has a voice for it. */
  dialect: SpeechDialect | 'english';
}

/**
 * The voice for the words on screen: English for English; for Chinese, Cantonese when the kiosk is set to it and
 * the device has a Cantonese voice, otherwise Mandarin (the text is the same written Chinese either way).
 * Local voices first (they work with the network down).
 */
export function pickVoice<V extends VoiceLike>(voices: readonly V[], lang: Lang, dialect: SpeechDialect): VoiceChoice<V> {
  const local = (list: V[]) => list.find((v) => v.localService !== false) ?? list[0] ?? null;
  if (lang === 'en') {
    const en = voices.filter((v) => norm(v.lang).startsWith('en'));
    return { voice: local(en), lang: 'en-US', dialect: 'english' };
  }
  if (dialect === 'cantonese') {
    const yue = voices.filter(isCantoneseVoice);
    const v = local(yue);
    if (v) return { voice: v, lang: v.lang.replace(/_/g, '-'), dialect: 'cantonese' };
  }
  const zh = voices.filter(isMandarinVoice);
  return { voice: local(zh), lang: 'zh-CN', dialect: 'mandarin' };
}

/** Sentences to be read aloud as one text, with the full stop of the language on screen (。 never inside English). */
export function sentences(lang: Lang, ...parts: (string | null | undefined)[]): string {
  const list = parts.map((p) => p?.trim()).filter((p): p is string => !!p);
  if (lang !== 'en') return list.map((p, i) => (i < list.length - 1 && !/[。！？!?.]$/.test(p) ? `${p}。` : p)).join('');
  return list.map((p, i) => (i < list.length - 1 && !/[.!?]$/.test(p) ? `${p}.` : p)).join(' ');
}

function synth(): SpeechSynthesis | null {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null;
}

/** The device's voices (may be empty until the browser has loaded them). */
export function deviceVoices(): SpeechSynthesisVoice[] {
  try {
    return synth()?.getVoices() ?? [];
  } catch {
    return [];
  }
}

/** Read a step's words aloud (Web Speech API). Silently does nothing where unsupported: speech is a help, never a failure. */
export function speak(text: string, lang: Lang, dialect: SpeechDialect): void {
  const s = synth();
  if (!s) return;
  try {
    s.cancel();
    const u = new SpeechSynthesisUtterance(text);
    const choice = pickVoice(s.getVoices(), lang, dialect);
    u.lang = choice.lang;
    if (choice.voice) u.voice = choice.voice;
    u.rate = 0.85; // a little slower for older listeners
    s.speak(u);
  } catch {
    /* ignore */
  }
}

export function stopSpeaking(): void {
  try {
    synth()?.cancel();
  } catch {
    /* ignore */
  }
}
