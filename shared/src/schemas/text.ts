import { z } from 'zod';

/**
 * THE free-text string types. Every field a person types (names, addresses, reasons, notes, evidence,
 * references) is one of these, so none of them stores a NUL or another control character:
 *
 * - C0 and C1 control characters (NUL, escape, backspace, bell …) and DEL;
 * - line breaks, except in the multi-line kinds (a newline only; a CR or CRLF becomes a newline);
 * - the line and paragraph separators (U+2028, U+2029);
 * - the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make text display in another
 *   order than it is stored ("Trojan Source"), e.g. a reference that reads differently on screen and in the file;
 * - lone UTF-16 surrogates (not text at all; they break exports and some databases).
 *
 * Names (`nameText`) may also not start with = + - @: a spreadsheet runs such a cell as a formula. Other text
 * (notes, reasons) keeps them, and the export library neutralises them when it writes a cell.
 */

const CONTROL = '\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';

/** One line of text: no control characters, no line breaks, no bidi overrides, no lone surrogates. */
export const SINGLE_LINE = new RegExp(`^(?:(?!\\p{Cs})[^${CONTROL}\\n])*$`, 'u');
/** Several lines: as SINGLE_LINE, but a newline (\n) is allowed. */
export const MULTI_LINE = new RegExp(`^(?:(?!\\p{Cs})[^${CONTROL}])*$`, 'u');
/** What a spreadsheet treats as the start of a formula. */
export const FORMULA_START = /^[=+\-@]/;

export const CONTROL_MESSAGE = 'no control characters or line breaks';
export const CONTROL_MESSAGE_MULTI = 'no control characters';
export const FORMULA_MESSAGE = 'may not start with = + - or @';

/** A single line of free text, trimmed, `min`–`max` characters (min 1 by default: blank is refused). */
export function singleLine(max: number, min = 1) {
  return z.string().trim().min(min).max(max).regex(SINGLE_LINE, CONTROL_MESSAGE);
}

/** Free text that may span lines (reasons, notes, descriptions): trimmed, CR/CRLF become \n, no other control characters. */
export function multiLine(max: number, min = 1) {
  return z
    .string()
    .overwrite((s) => s.replace(/\r\n?/g, '\n'))
    .trim()
    .min(min)
    .max(max)
    .regex(MULTI_LINE, CONTROL_MESSAGE_MULTI);
}

/** A name (of a person, a dish, a kiosk, an account): one line that a spreadsheet cannot mistake for a formula. */
export function nameText(max: number, min = 1) {
  return singleLine(max, min).refine((s) => !FORMULA_START.test(s), FORMULA_MESSAGE);
}

/** Whether a string is clean one-line text (for checks outside a schema). */
export function isSingleLine(s: string): boolean {
  return SINGLE_LINE.test(s);
}
