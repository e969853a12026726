/**
 * The console's words, one file per area in each language: i18n/zh/<area>.ts (the first language) and
 * i18n/en/<area>.ts (typed against its zh file, so a missing key does not compile). A new area adds its two files;
 * nothing else needs to change: every file found here is loaded, and its top-level keys are the keys' first part.
 */
type Tree = { [key: string]: string | Tree };
type AreaModule = { default: Tree };

const zhAreas = import.meta.glob<AreaModule>('./zh/*.ts', { eager: true });
const enAreas = import.meta.glob<AreaModule>('./en/*.ts', { eager: true });

/** The areas' top-level keys merged into one dictionary; a key claimed by two areas is a mistake, refused at once. */
export function merge(areas: Record<string, AreaModule>): Tree {
  const out: Tree = {};
  const owner = new Map<string, string>();
  for (const [file, mod] of Object.entries(areas)) {
    for (const [key, value] of Object.entries(mod.default)) {
      const before = owner.get(key);
      if (before) throw new Error(`i18n: "${key}" is defined in both ${before} and ${file}`);
      owner.set(key, file);
      out[key] = value;
    }
  }
  return out;
}

export const zh = merge(zhAreas);
export const en = merge(enAreas);

/** The area files each language has (a test checks both have the same, with the same keys). */
export const areaFiles = {
  zh: Object.keys(zhAreas).map((f) => f.replace('./zh/', '')),
  en: Object.keys(enAreas).map((f) => f.replace('./en/', '')),
};
