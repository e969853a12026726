/**
 * How a name is shown where a full name must not be kept (a kiosk's offline cache): 陈秀英 → 陈*英, 张三 → 张*,
 * 欧阳明华 → 欧**华. At most the first and last character are shown, and at least one is masked.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '*';
  if (chars.length <= 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 陈*英, 张*, 欧阳** — at least one '*', at most two characters shown, never starting with '*'. */
export function isMaskedName(name: string): boolean {
  const chars = [...name];
  const shown = chars.filter((c) => c !== '*').length;
  return chars.length >= 2 && chars[0] !== '*' && shown >= 1 && shown <= 2 && shown < chars.length;
}
