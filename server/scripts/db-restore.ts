/**
 * `pnpm db:restore <backup file>`: replace the database named by DB_PATH with a backup. Refuses while the server
 * has the database open, checks the backup (integrity, audit chain) first, and keeps the replaced database as
 * `<db>.before-restore-<time>`.
 */
import { readEnv, resolveFromCwd } from '../src/env';
import { describeSummary, restoreDatabase } from './db-backup-restore';

const env = readEnv();
const dbPath = resolveFromCwd(env.DB_PATH, env);
const file = process.argv[2];
if (!file) {
  console.error('usage: pnpm db:restore <backup file>');
  process.exit(2);
}
try {
  const { restored, keptAs } = restoreDatabase(dbPath, resolveFromCwd(file, env));
  console.log(`restored: ${describeSummary(restored)}`);
  if (keptAs) console.log(`the database it replaced is kept as ${keptAs}`);
} catch (err) {
  console.error(`restore refused: ${(err as Error).message}`);
  process.exit(1);
}
