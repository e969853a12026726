/**
 * Roster imports: every row is checked and shown, nothing is written until the import is committed, and a roster
 * with a refused row writes nothing at all; registered ID numbers are matched by their keyed hash and skipped or
 * updated as asked; scope holds (operators: their canteen's residents; street staff: their street).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, login, makeApp, type TestApp } from '../../../test/helpers';
import { checkRow, AreaIndex } from './rosters.service';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

const CANTEEN = 'ct-shipai-huashi';

/** A valid ID number born on `birth` (check digit computed); odd `seq` is a man, even a woman. */
export function idFor(birth: string, seq: number, area = '440106'): string {
  const body = `${area}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i]!;
  return body + '10X98765432'[sum % 11];
}

const count = (sql: string, ...args: unknown[]) => (t.ctx.db.readerConn.prepare(sql).get(...args) as { n: number }).n;

function row(n: number, over: Record<string, string> = {}) {
  return {
    rowNumber: n + 2,
    name: `测试长者${n}`,
    idNumber: idFor('1948-03-0' + ((n % 9) + 1), 100 + n * 2),
    gender: '女',
    hukouArea: '广州市天河区石牌街道',
    residenceArea: '华师社区',
    address: `石牌东路${n}号`,
    phone: `1370000${String(n).padStart(4, '0')}`,
    categories: '低保',
    categoryPeriod: '2026-01-01至2026-12-31',
    evidence: `穗天民低字第2026-${n}号`,
    careLevel: '2级',
    livesAlone: '否',
    ...over,
  };
}

async function startImport(api: ReturnType<typeof as>, canteenId = CANTEEN) {
  const res = await api.post('/api/v1/roster-imports', { canteenId, fileName: '石牌街道2026年助餐名册.xlsx', mapping: { 姓名: 'name', 身份证号: 'idNumber' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe('checking a roster row', () => {
  const env = () => ({
    areas: new AreaIndex(t.ctx.db.readerConn.prepare('SELECT code, name, level, parent_code AS parentCode FROM areas').all() as never),
    today: '2026-11-23',
    streetScope: null,
  });

  it('says everything wrong with a row, in codes the console shows in Chinese', () => {
    const good = checkRow(row(1), env());
    expect(good.errors).toEqual([]);
    expect(good.row).toMatchObject({
      gender: 'female',
      birthDate: '1948-03-02',
      hukouAreaCode: '440106004',
      residenceAreaCode: '440106004001',
      careLevel: 2,
      livesAlone: false,
      categories: [{ code: 'dibao', validFrom: '2026-01-01', validTo: '2026-12-31', evidence: '穗天民低字第2026-1号' }],
    });
    const id = idFor('1948-03-02', 102);
    const badCheck = id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');
    const bad = checkRow(
      row(1, { idNumber: badCheck, hukouArea: '天河区火星街道', categories: '低保、特护', evidence: '', phone: '12345', careLevel: '七级', residenceArea: '' }),
      env(),
    );
    expect(bad.row).toBeNull();
    expect(bad.errors.map((e) => [e.field, e.code])).toEqual([
      ['idNumber', 'id_checksum'],
      ['hukouArea', 'unknown_area'],
      ['phone', 'bad_phone'],
      ['careLevel', 'bad_care_level'],
      ['categories', 'unknown_category'],
      ['evidence', 'missing_evidence'],
    ]);
    expect(bad.errors[0]!.value).toBe(`**************${badCheck.slice(-4)}`); // never the ID number in full
    const mismatch = checkRow(row(1, { birthDate: '1948-03-03', gender: '男' }), env());
    expect(mismatch.errors.map((e) => e.code)).toEqual(['birth_mismatch', 'gender_mismatch']);
    // Another city's 户籍 is a non-local elder, not an error; 非本市 likewise.
    expect(checkRow(row(1, { hukouArea: '湖南省长沙市岳麓区' }), env()).row?.hukouAreaCode).toBeNull();
    expect(checkRow(row(1, { hukouArea: '非本市户籍' }), env()).row?.hukouAreaCode).toBeNull();
    expect(checkRow(row(1, { categoryPeriod: '2026-12-31至2026-01-01' }), env()).errors[0]).toMatchObject({ code: 'category_dates' });
  });
});

describe('importing a roster', () => {
  it('a roster with a bad row is shown and writes nothing; fixed, it writes every row with its categories, audited', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const residentsBefore = count('SELECT count(*) AS n FROM residents');
    const categoriesBefore = count('SELECT count(*) AS n FROM resident_categories');
    const auditBefore = count('SELECT count(*) AS n FROM audit_log');
    const id = await startImport(op);
    const rows = [row(1), row(2, { idNumber: '44010619480302123' }), row(3), row(4, { idNumber: row(1).idNumber })];
    const staged = await op.post(`/api/v1/roster-imports/${id}/rows`, { start: 0, rows });
    expect(staged.statusCode, staged.body).toBe(200);
    expect(staged.json().import).toMatchObject({ stagedRows: 4, okRows: 2, errorRows: 2, duplicateRows: 0 });
    expect(staged.json().errors).toEqual([
      { row: 4, field: 'idNumber', code: 'id_format', value: '…2123', otherRow: null },
      { row: 6, field: 'idNumber', code: 'duplicate_in_file', value: expect.stringMatching(/^\*+/), otherRow: 3 },
    ]);
    const refused = await op.post(`/api/v1/roster-imports/${id}/commit`, { totalRows: 4, duplicates: 'skip' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'import_has_errors', details: { errorRows: 2 } });
    // Nothing reached the residents' tables; the staging holds no readable ID numbers.
    expect(count('SELECT count(*) AS n FROM residents')).toBe(residentsBefore);
    expect(count('SELECT count(*) AS n FROM resident_categories')).toBe(categoriesBefore);
    expect(count("SELECT count(*) AS n FROM roster_import_rows WHERE payload_enc LIKE '%4401%'")).toBe(0);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'resident.%'")).toBe(
      (t.ctx.db.readerConn.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'resident.%' AND seq <= ?").get(auditBefore) as { n: number }).n,
    );

    // The fixed roster: a new import, every row written in one go.
    const again = await startImport(op);
    const fixed = [row(1), row(2), row(3), row(4, { categories: '特困、独居', evidence: '特困供养证 2025-88号', livesAlone: '' })];
    const ok = await op.post(`/api/v1/roster-imports/${again}/rows`, { start: 0, rows: fixed });
    expect(ok.json()).toMatchObject({ errors: [], duplicates: [], import: { okRows: 4 } });
    expect((await op.post(`/api/v1/roster-imports/${again}/commit`, { totalRows: 5, duplicates: 'skip' })).json().error.code).toBe('import_incomplete');
    const done = await op.post(`/api/v1/roster-imports/${again}/commit`, { totalRows: 4, duplicates: 'skip' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ state: 'committed', createdRows: 4, updatedRows: 0, skippedRows: 0 });
    expect(count('SELECT count(*) AS n FROM residents')).toBe(residentsBefore + 4);
    expect(count('SELECT count(*) AS n FROM resident_categories')).toBe(categoriesBefore + 5);
    expect(count('SELECT count(*) AS n FROM roster_import_rows WHERE import_id = ?', again)).toBe(0);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'roster.imported'")).toBe(1);
    const r4 = (await op.get(`/api/v1/residents?q=${encodeURIComponent('测试长者4')}`)).json().items[0];
    expect(r4).toMatchObject({ homeCanteenId: CANTEEN });
    // Recorded as the form records them: a subsidy category (特困) waits for street approval like any other.
    const cats = t.ctx.db.readerConn.prepare('SELECT code, state FROM resident_categories WHERE resident_id = ? ORDER BY code').all(r4.id);
    expect(cats).toEqual([
      { code: 'lives_alone', state: expect.any(String) },
      { code: 'tekun', state: 'pending' },
    ]);
    expect((await op.get(`/api/v1/residents/${r4.id}`)).json()).toMatchObject({ livesAlone: true, careLevel: 2, hukouAreaCode: '440106004' });
    // A committed import is done.
    expect((await op.post(`/api/v1/roster-imports/${again}/commit`, { totalRows: 4, duplicates: 'skip' })).json().error.code).toBe('invalid_state');
  });

  it('registered ID numbers are shown masked; skip leaves them, update changes what the row says and adds its categories', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const first = await startImport(op);
    await op.post(`/api/v1/roster-imports/${first}/rows`, { start: 0, rows: [row(1), row(2)] });
    await op.post(`/api/v1/roster-imports/${first}/commit`, { totalRows: 2, duplicates: 'skip' });

    const second = await startImport(op);
    const staged = await op.post(`/api/v1/roster-imports/${second}/rows`, {
      start: 0,
      rows: [row(1, { phone: '13799998888', categories: '特困', evidence: '特困证 2026-1', categoryPeriod: '2026-06-01至' }), row(2), row(3)],
    });
    const dups = staged.json().duplicates;
    expect(dups).toHaveLength(2);
    expect(dups[0]).toMatchObject({ row: 3, name: '测试长者1', idNumberMasked: `**************${row(1).idNumber.slice(-4)}`, canUpdate: true });
    expect(JSON.stringify(staged.json())).not.toContain(row(1).idNumber);
    // Update the first, skip the second (an exception to the default), create the third.
    const done = await op.post(`/api/v1/roster-imports/${second}/commit`, { totalRows: 3, duplicates: 'update', exceptRows: [4] });
    expect(done.json()).toMatchObject({ createdRows: 1, updatedRows: 1, skippedRows: 1 });
    const r1 = (await op.get(`/api/v1/residents/${dups[0].existing.id}`)).json();
    expect(r1.phoneMasked).toBe('*******8888');
    expect(r1.categoryEntries.map((c: { code: string }) => c.code).sort()).toEqual(['dibao', 'tekun']);
  });

  it('scope: a street clerk imports only residents of their street; another operator cannot touch the import', async () => {
    const street = as(t.app, await login(t.app, 'shipai'));
    const id = await startImport(street);
    const staged = await street.post(`/api/v1/roster-imports/${id}/rows`, { start: 0, rows: [row(1), row(2, { residenceArea: '员村街' })] });
    expect(staged.json().errors).toEqual([{ row: 4, field: 'residenceArea', code: 'area_out_of_scope', value: '员村街', otherRow: null }]);
    const other = as(t.app, await login(t.app, 'jiajia'));
    expect((await other.post(`/api/v1/roster-imports/${id}/commit`, { totalRows: 2, duplicates: 'skip' })).statusCode).toBe(404);
    expect((await other.post('/api/v1/roster-imports', { canteenId: CANTEEN, fileName: 'x.csv', mapping: {} })).statusCode).toBe(404);
    expect(
      (await as(t.app, await login(t.app, 'tianhe')).post('/api/v1/roster-imports', { canteenId: CANTEEN, fileName: 'x.csv', mapping: {} })).statusCode,
    ).toBe(403);
  });

  it('chunks come in order; a resent chunk replaces itself; a duplicate across chunks is caught', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const id = await startImport(op);
    expect((await op.post(`/api/v1/roster-imports/${id}/rows`, { start: 2, rows: [row(1)] })).json().error).toMatchObject({
      code: 'conflict',
      details: { expected: 0 },
    });
    await op.post(`/api/v1/roster-imports/${id}/rows`, { start: 0, rows: [row(1), row(2)] });
    const resent = await op.post(`/api/v1/roster-imports/${id}/rows`, { start: 0, rows: [row(1), row(2)] });
    expect(resent.json().import).toMatchObject({ stagedRows: 2, errorRows: 0 });
    const next = await op.post(`/api/v1/roster-imports/${id}/rows`, { start: 2, rows: [row(3), row(5, { idNumber: row(2).idNumber })] });
    expect(next.json().errors).toEqual([expect.objectContaining({ row: 7, code: 'duplicate_in_file', otherRow: 4 })]);
  });

  it('abandoning or uploading while the commit runs is refused: a committed import stays committed, with its rows', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const id = await startImport(op);
    const rows = Array.from({ length: 300 }, (_, n) => row(n, { phone: '', categories: '', categoryPeriod: '', evidence: '' }));
    const staged = await op.post(`/api/v1/roster-imports/${id}/rows`, { start: 0, rows });
    expect(staged.json().import, staged.body).toMatchObject({ stagedRows: 300, errorRows: 0 });
    // The commit writes page by page in one transaction; while it is open, 放弃 is tapped and a slow upload resends a chunk.
    const commit = op.post(`/api/v1/roster-imports/${id}/commit`, { totalRows: 300, duplicates: 'skip' });
    while (!t.ctx.db.writer.inTransaction) await new Promise((r) => setImmediate(r));
    const [committed, abandoned, restaged] = await Promise.all([
      commit,
      op.delete(`/api/v1/roster-imports/${id}`),
      op.post(`/api/v1/roster-imports/${id}/rows`, { start: 0, rows: rows.slice(0, 1) }),
    ]);
    expect(committed.statusCode, committed.body).toBe(200);
    expect(abandoned.statusCode, abandoned.body).toBe(409);
    expect(abandoned.json().error).toMatchObject({ code: 'invalid_state', details: { state: 'committed' } });
    expect(restaged.statusCode, restaged.body).toBe(409);
    const after = (await op.get(`/api/v1/roster-imports/${id}`)).json();
    expect(after).toMatchObject({ state: 'committed', stagedRows: 300, createdRows: 300 });
    expect(count("SELECT count(*) AS n FROM residents WHERE name LIKE '测试长者%'")).toBe(300);
  });

  it('an ID number registered meanwhile by someone else makes the whole commit fail, and nothing of it stays', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const id = await startImport(op);
    await op.post(`/api/v1/roster-imports/${id}/rows`, { start: 0, rows: [row(1), row(2), row(3)] });
    const before = count('SELECT count(*) AS n FROM residents');
    // 长者2 is registered through the form between staging and commit.
    const r2 = row(2);
    const form = await op.post('/api/v1/residents', {
      name: r2.name,
      gender: 'female',
      birthDate: '1948-03-03',
      idNumber: r2.idNumber,
      hukouAreaCode: '440106004',
      residenceAreaCode: '440106004001',
      homeCanteenId: CANTEEN,
    });
    expect(form.statusCode, form.body).toBe(201);
    const failed = await op.post(`/api/v1/roster-imports/${id}/commit`, { totalRows: 3, duplicates: 'skip' });
    expect(failed.json().error).toMatchObject({ code: 'conflict', details: { field: 'idNumber', row: 4 } });
    expect(count('SELECT count(*) AS n FROM residents')).toBe(before + 1);
    expect(count("SELECT count(*) AS n FROM residents WHERE name = '测试长者1'")).toBe(0);
  });
});
