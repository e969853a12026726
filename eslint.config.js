/**
 * Lint keeps the house's shape (README → Architecture):
 *   - inside the server, routes → their own service → their own repo; another module only through its service;
 *     only repos and src/db speak SQL (drizzle-orm, better-sqlite3, db/schema, the raw connections);
 *   - web and kiosk never import the server or each other; shared imports nothing of ours and nothing of Node;
 *   - process.env is read only in server/src/env.ts;
 *   - type-aware rules (floating and misused promises, unsafe any, …) on server/ and shared/.
 * server/test/lint.test.ts proves each rule fires, on fixtures in server/test/lint-fixtures (not linted here).
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const TESTS = ['server/**/*.test.ts', 'shared/**/*.test.ts', 'server/test/**'];

// Import specifiers as a file in server/src/modules/<area>/ writes them.
const re = (regex, message) => ({ regex, caseSensitive: true, message });
const SQL = [
  re('^drizzle-orm(/.*)?$', 'SQL lives in repositories (<area>.repo.ts) and src/db only.'),
  re('^better-sqlite3$', 'SQL lives in repositories (<area>.repo.ts) and src/db only.'),
  re('(^|/)db/schema$', 'Tables are read and written only by their module’s repo.'),
];
const OTHER_MODULE = re('^\\.\\./(?!\\.)[^/]+/', 'A route answers through its own module’s service only.');
const OTHER_MODULE_BUT_ITS_SERVICE = re(
  '^\\.\\./(?!\\.)[^/]+/(?![^/]*\\.service$)[^/]+$',
  'Another module is reached through its service (../<area>/<area>.service), never its repo, routes or helpers.',
);
const OWN_REPO = re('^\\./[^/]*\\.repo$', 'Routes call their service, never the repo.');
const ANY_MODULE = re('(^|/)modules/', 'This layer sits under the modules and must not import them.');
const ANY_REPO = re('\\.repo$', 'A repo is only for its own module’s service.');
const SERVER = re('(^|/)server/|^@yishi/server', 'The browser apps talk to the server over HTTP only.');
const WEB = re('(^|/)web/|^@yishi/web', 'The kiosk and the console never import each other.');
const KIOSK = re('(^|/)kiosk/|^@yishi/kiosk', 'The kiosk and the console never import each other.');
const OURS = re('^@yishi/|(^|/)(server|web|kiosk)/', 'shared imports nothing of ours: everything else imports shared.');
const NODE = re(`^(node:.*|${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`, 'shared runs in browsers too: no Node modules.');

const imports = (...patterns) => ['error', { patterns }];

const NO_ENV = {
  selector: "MemberExpression[object.name='process'][property.name='env'], VariableDeclarator[init.name='process'] > ObjectPattern > Property[key.name='env']",
  message: 'process.env is read only in server/src/env.ts (readEnv); everything else receives a Config.',
};
const NO_RAW_DB = ['writer', 'readerConn'].map((property) => ({
  property,
  message: 'Raw database connections belong to src/db and repositories.',
}));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'migrations/**', 'e2e/screenshots/**', 'data/**', 'server/test/lint-fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  { files: ['server/src/main.ts', 'server/src/cli/**', 'server/bench/**', 'e2e/**', 'scripts/**', 'server/scripts/**'], rules: { 'no-console': 'off' } },

  // ───────────── type-aware rules: server and shared ─────────────
  {
    files: ['server/**/*.{ts,mts}', 'shared/**/*.ts'],
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['server/drizzle.config.ts'] }, tsconfigRootDir: import.meta.dirname } },
  },
  ...tseslint.configs.recommendedTypeCheckedOnly.map((c) => ({ ...c, files: ['server/**/*.{ts,mts}', 'shared/**/*.ts'], ignores: TESTS })),
  {
    files: ['server/**/*.{ts,mts}', 'shared/**/*.ts'],
    ignores: TESTS,
    // Fastify handlers are async whether or not they await: a sync service answer is fine.
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // Tests handle untyped JSON answers freely, but a promise they forget to await is a test that cannot fail.
    files: TESTS,
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  // The policy engine's owner enables this one there (shared/src/policy/testkit.ts has one).
  { files: ['shared/src/policy/**'], rules: { '@typescript-eslint/no-unnecessary-type-assertion': 'off' } },

  // ───────────── the server's layers and modules ─────────────
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/env.ts', ...TESTS],
    rules: { 'no-restricted-syntax': ['error', NO_ENV] },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/db/**', 'server/src/modules/*/*.repo.ts', ...TESTS],
    rules: { 'no-restricted-properties': ['error', ...NO_RAW_DB] },
  },
  {
    files: ['server/src/modules/*/*.routes.ts'],
    rules: { 'no-restricted-imports': imports(...SQL, OWN_REPO, OTHER_MODULE) },
  },
  {
    files: ['server/src/modules/*/*.ts'],
    ignores: ['server/src/modules/*/*.routes.ts', 'server/src/modules/*/*.repo.ts', ...TESTS],
    rules: { 'no-restricted-imports': imports(...SQL, OTHER_MODULE_BUT_ITS_SERVICE) },
  },
  {
    files: ['server/src/modules/*/*.repo.ts'],
    rules: { 'no-restricted-imports': imports(OTHER_MODULE_BUT_ITS_SERVICE, re('\\.service$', 'A repo only queries: it calls no service.')) },
  },
  {
    files: ['server/src/lib/**/*.ts', 'server/src/db/**/*.ts'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': imports(ANY_MODULE) },
  },
  {
    // The demo seed loads reference rows through the modules' repos and writes history through their services.
    files: ['server/src/seed/**/*.ts'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': imports(...SQL) },
  },
  {
    // The top floor (app, main, routes, cli) wires modules together; it still speaks no SQL and uses no repo.
    files: ['server/src/*.ts', 'server/src/cli/**/*.ts'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': imports(...SQL, ANY_REPO) },
  },

  // ───────────── the workspaces ─────────────
  {
    files: ['shared/src/**/*.ts'],
    rules: {
      'no-restricted-imports': imports(OURS, NODE),
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname', '__filename', 'global'],
    },
  },
  { files: ['web/src/**/*.{ts,tsx}'], rules: { 'no-restricted-imports': imports(SERVER, KIOSK) } },
  { files: ['kiosk/src/**/*.{ts,tsx}'], rules: { 'no-restricted-imports': imports(SERVER, WEB) } },
);
