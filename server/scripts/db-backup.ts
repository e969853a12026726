/**
 * `pnpm db:backup [folder]`: a consistent copy of the database named by DB_PATH (default ./data/yishi.db),
 * taken while the server runs, into `folder` (default: backups/ beside the database), named with the real time.
 * Keep data/yishi.key (or YISHI_SECRET) apart from the backups: the ID numbers in them are encrypted with it.
 */
import { readEnv, resolveFromCwd } from '../src/env';
import { backupDatabase, describeSummary } from './db-backup-restore';

const env = readEnv();
const dbPath = resolveFromCwd(env.DB_PATH, env);
const folder = process.argv[2] ? resolveFromCwd(process.argv[2], env) : undefined;
backupDatabase(dbPath, folder)
  .then((s) => console.log(`backup written: ${describeSummary(s)}`))
  .catch((err: Error) => {
    console.error(`backup failed: ${err.message}`);
    process.exit(1);
  });
