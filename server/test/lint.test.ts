/**
 * The lint rules that keep the house's shape really fire: every file in lint-fixtures/ is linted with the real
 * eslint.config.js as if it stood at its path in the repo, and each line marked `// error: <rule>` must be
 * reported with that rule, and nothing else may be (so a rule that flags everything fails too).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'server/test/lint-fixtures');

function fixtures(dir = FIXTURES): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? fixtures(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const eslint = new ESLint({
  cwd: ROOT,
  // The fixtures' pretend paths are in no tsconfig: the type-aware rules read them in a default project with the
  // server's compiler options.
  overrideConfig: [
    {
      files: ['server/**', 'shared/**'],
      languageOptions: {
        parserOptions: {
          projectService: {
            allowDefaultProject: ['server/src/modules/lintcheck/*.ts', 'server/src/lib/*.ts', 'server/src/*.ts', 'shared/src/lintcheck/*.ts'],
            defaultProject: 'server/tsconfig.json',
          },
        },
      },
    },
  ],
});

describe('lint keeps the boundaries', () => {
  const files = fixtures();

  it('has fixtures for every kind of file the rules tell apart', () => {
    const where = files.map((f) => path.relative(FIXTURES, f));
    for (const kind of ['.routes.ts', '.service.ts', '.repo.ts', 'server/src/lib/', 'shared/src/', 'web/src/', 'kiosk/src/']) {
      expect(
        where.some((w) => w.includes(kind)),
        kind,
      ).toBe(true);
    }
  });

  for (const file of files) {
    const pretend = path.relative(FIXTURES, file);
    it(`${pretend}: exactly the marked lines are refused`, async () => {
      const text = fs.readFileSync(file, 'utf8');
      const expected = text
        .split('\n')
        .flatMap((line, i) => [...line.matchAll(/\/\/ error: (\S+)/g)].map((m) => `${i + 1} ${m[1]}`))
        .sort();
      const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, pretend) });
      const reported = result!.messages.map((m) => `${m.line} ${m.ruleId ?? `fatal: ${m.message}`}`).sort();
      expect(reported).toEqual(expected);
    });
  }
});
