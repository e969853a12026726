/**
 * `pnpm audit:verify`: walk the hash-chained audit log of the database at DB_PATH (read-only, safe beside a
 * running server). Exit 0 when the chain is intact; 1 naming the first broken row; 2 when there is no database.
 */
import fs from 'node:fs';
import { readEnv, resolveFromCwd } from '../env';
import { openReadOnly } from '../db/client';
import { verify } from '../modules/audit/audit.service';

const env = readEnv();
const file = resolveFromCwd(env.DB_PATH, env);
if (!fs.existsSync(file)) {
  console.error(`audit:verify: no database at ${file} (set DB_PATH)`);
  process.exit(2);
}
const db = openReadOnly(file);
try {
  const result = verify(db.read);
  if (result.ok) {
    console.log(`audit:verify: ${file}: ${result.message}`);
  } else {
    console.error(`audit:verify: ${file}: BROKEN at row ${result.brokenAt}: ${result.message}`);
    process.exitCode = 1;
  }
} finally {
  db.close();
}
