import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { openDb } from './db/client';
import { TestClock } from './lib/clock';
import { createContext } from './lib/context';
import { LUNCH_MONDAY, testConfig } from '../test/helpers';

describe('buildApp', () => {
  it('neither migrates nor seeds: the database it is given stays as it was', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-app-'));
    const file = path.join(dir, 'untouched.db');
    const db = openDb(file);
    const { app } = await buildApp(createContext(db, testConfig(file, new TestClock(new Date(LUNCH_MONDAY)))));
    await app.ready();
    const tables = db.readerConn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    expect(tables).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
