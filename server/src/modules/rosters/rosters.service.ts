/**
 * Roster imports (资格名册导入): a street office's or operator's spreadsheet of eligible elders becomes resident
 * records, all at once or not at all.
 *
 * The console reads the file in the browser and uploads its rows in chunks as cell text; each chunk is checked here
 * (ID check digit, birth date and gender against the ID number, known areas and categories, evidence for every
 * category, duplicates within the file and against registered ID numbers by their keyed hash) and staged, encrypted,
 * in roster_import_rows. Nothing reaches the resident tables until `commit`, which writes every row in ONE
 * transaction through the residents module's own insert path (so imported categories follow the same rules as the
 * single-resident form) and deletes the staging. A roster with any refused row is not committed.
 *
 * The commit's transaction yields to the event loop between pages of rows: other requests keep being answered
 * (reads see only committed data), other writes wait in the writer's queue until it commits.
 */
import {
  birthDateFromId,
  genderFromId,
  parseCareLevel,
  parseCategories,
  parseDatePeriod,
  parseGender,
  parseRosterDate,
  parseYesNo,
  ROLE_GROUPS,
  ROSTER_MAX_ROWS,
  type RosterField,
  type RosterRowErrorCode,
} from '@yishi/shared';
import {
  AppError,
  idNumberChecksumOk,
  type CommitRosterRequest,
  type CreateRosterImportRequest,
  type RosterDuplicate,
  type RosterImport,
  type RosterRowError,
  type RosterRowInput,
  type StageRosterRowsRequest,
} from '@yishi/shared/schemas';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { Tx } from '../../db/client';
import { actorId, areaContains, assertCanteen, canSeeResident, requireUser, roleIn, type Actor } from '../../lib/actor';
import type { Ctx } from '../../lib/context';
import { maskIdNumber } from '../../lib/crypto';
import * as audit from '../audit/audit.service';
import * as register from '../residents/register.service';
import { localToday, residentById } from '../residents/residents.service';
import * as sites from '../sites/sites.service';
import * as repo from './rosters.repo';

/** Staged imports older than this are dropped (a browser that went away mid-import). */
const STALE_HOURS = 24;
/** Rows written per turn of the event loop while committing. */
const COMMIT_PAGE = 500;

// ───────────── areas: names and codes as rosters write them ─────────────

interface Area {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parentCode: string | null;
}
const RANK = { city: 0, district: 1, street: 2, community: 3 } as const;

/** Finds the most specific known area a roster's text names ('天河区石牌街道华师社区', '石牌街', '440106004'). */
export class AreaIndex {
  private readonly byCode: Map<string, Area>;
  private readonly names: { text: string; area: Area }[] = [];
  readonly cityNames: string[];

  constructor(areas: Area[]) {
    this.byCode = new Map(areas.map((a) => [a.code, a]));
    for (const a of areas) {
      const variants = new Set([a.name]);
      if (a.name.endsWith('街')) variants.add(`${a.name}道`);
      if (a.name.endsWith('街道')) variants.add(a.name.slice(0, -1));
      if (a.name.endsWith('社区')) variants.add(`${a.name.slice(0, -2)}居委会`);
      if (a.name.endsWith('市')) variants.add(a.name.slice(0, -1));
      for (const text of variants) this.names.push({ text, area: a });
    }
    this.names.sort((x, y) => y.text.length - x.text.length);
    this.cityNames = areas.filter((a) => a.level === 'city').map((a) => a.name.replace(/市$/, ''));
  }

  byCodeOf(code: string): Area | undefined {
    return this.byCode.get(code);
  }

  match(text: string): Area | null {
    const t = text.replace(/\s+/g, '');
    if (/^\d{4,12}$/.test(t)) return this.byCode.get(t) ?? null;
    const hits = this.names.filter((n) => t.includes(n.text));
    const found = hits.map((n) => n.area);
    if (found.length === 0) return null;
    const deepest = Math.max(...found.map((a) => RANK[a.level]));
    // '天河区火星街道': a street or community the city does not know, inside a district it does, is not that district.
    const rest = hits.reduce((x, n) => x.split(n.text).join(''), t);
    if (deepest < RANK.street && /街|镇|社区|居委|村/.test(rest)) return null;
    const candidates = [...new Set(found.filter((a) => RANK[a.level] === deepest))];
    // Two places of one name: the one whose district or street the text also names.
    const codes = new Set(found.map((a) => a.code));
    return candidates.find((a) => a.parentCode !== null && (codes.has(a.parentCode) || codes.has(a.parentCode.slice(0, 6)))) ?? candidates[0]!;
  }
}

// ───────────── one row ─────────────

/** A checked row: what a new record (or an update of a registered one) is made of. */
export interface CheckedRow {
  name: string;
  idNumber: string;
  gender: 'female' | 'male';
  birthDate: string;
  hukouAreaCode: string | null;
  residenceAreaCode: string | null;
  address: string | null;
  phone: string | null;
  careLevel: number | null;
  livesAlone: boolean | null;
  categories: register.CategoryRecord[];
  /** The fields the row gave (an update changes only these). */
  given: RosterField[];
}

export interface RowEnv {
  areas: AreaIndex;
  today: string;
  /** A street clerk's street: residences outside it are refused. */
  streetScope: string | null;
}

const NON_LOCAL = /非本市|外地|外省|外市|非广州/;
const cut = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** Check one roster row; every problem is reported, not only the first. */
export function checkRow(input: RosterRowInput, env: RowEnv): { errors: RosterRowError[]; row: CheckedRow | null } {
  const errors: RosterRowError[] = [];
  const fail = (field: RosterField | null, code: RosterRowErrorCode, value?: string | null, otherRow?: number) =>
    errors.push({ row: input.rowNumber, field, code, value: value == null ? null : cut(value), otherRow: otherRow ?? null });
  const cell = (f: RosterField) => (input[f] ?? '').replace(/\u00a0/g, ' ').trim();
  const given = (Object.keys(input) as (keyof RosterRowInput)[]).filter((k): k is RosterField => k !== 'rowNumber' && cell(k) !== '');

  const name = cell('name').replace(/\s+/g, '');
  if (!name) fail('name', 'required');
  else if (name.length > 30) fail('name', 'too_long', name);

  const idNumber = cell('idNumber').replace(/\s+/g, '').toUpperCase();
  let idBirth: string | null = null;
  if (!idNumber) fail('idNumber', 'required');
  else if (!/^\d{17}[\dX]$/.test(idNumber)) fail('idNumber', 'id_format', idNumber.length > 4 ? `…${idNumber.slice(-4)}` : idNumber);
  else if (!idNumberChecksumOk(idNumber)) fail('idNumber', 'id_checksum', maskIdNumber(idNumber.slice(-4)));
  else {
    idBirth = birthDateFromId(idNumber);
    if (!idBirth) fail('idNumber', 'id_format', maskIdNumber(idNumber.slice(-4)));
  }

  let birthDate = idBirth;
  if (cell('birthDate')) {
    const b = parseRosterDate(cell('birthDate'));
    if (!b) fail('birthDate', 'bad_date', cell('birthDate'));
    else if (idBirth && b !== idBirth) fail('birthDate', 'birth_mismatch', b);
    else birthDate ??= b;
  }
  let gender = idBirth ? genderFromId(idNumber) : null;
  if (cell('gender')) {
    const g = parseGender(cell('gender'));
    if (!g) fail('gender', 'bad_yes_no', cell('gender'));
    else if (gender && g !== gender) fail('gender', 'gender_mismatch', cell('gender'));
    else gender ??= g;
  }

  let hukouAreaCode: string | null = null;
  const hukou = cell('hukouArea');
  if (!hukou) fail('hukouArea', 'required');
  else if (!NON_LOCAL.test(hukou)) {
    const a = env.areas.match(hukou);
    if (a) hukouAreaCode = a.level === 'community' ? (a.parentCode ?? a.code) : a.code;
    else if (/[省市县州]/.test(hukou) && !env.areas.cityNames.some((c) => hukou.includes(c)))
      hukouAreaCode = null; // another city: non-local
    else fail('hukouArea', 'unknown_area', hukou);
  }

  let residenceAreaCode: string | null = null;
  const residence = cell('residenceArea');
  if (residence) {
    const a = env.areas.match(residence);
    if (!a || RANK[a.level] < RANK.street) fail('residenceArea', 'unknown_area', residence);
    else if (env.streetScope && !areaContains(env.streetScope, a.code)) fail('residenceArea', 'area_out_of_scope', residence);
    else residenceAreaCode = a.code;
  }

  const address = cell('address') || null;
  if (address && address.length > 200) fail('address', 'too_long', address);

  let phone: string | null = null;
  if (cell('phone')) {
    phone = cell('phone')
      .replace(/[\s-]/g, '')
      .replace(/^\+?86/, '');
    if (!/^1\d{10}$/.test(phone)) fail('phone', 'bad_phone', cell('phone'));
  }

  const careLevel = cell('careLevel') ? parseCareLevel(cell('careLevel')) : null;
  if (cell('careLevel') && careLevel === null) fail('careLevel', 'bad_care_level', cell('careLevel'));
  let livesAlone = cell('livesAlone') ? parseYesNo(cell('livesAlone')) : null;
  if (cell('livesAlone') && livesAlone === null) fail('livesAlone', 'bad_yes_no', cell('livesAlone'));

  const categories: register.CategoryRecord[] = [];
  const words = cell('categories');
  if (words) {
    const { codes, unknown } = parseCategories(words);
    if (unknown.length) fail('categories', 'unknown_category', unknown.join('、'));
    let validFrom = env.today;
    let validTo: string | null = null;
    if (cell('categoryPeriod')) {
      const p = parseDatePeriod(cell('categoryPeriod'));
      if (!p) fail('categoryPeriod', 'bad_date', cell('categoryPeriod'));
      else ({ from: validFrom, to: validTo } = p);
    }
    if (cell('categoryFrom')) {
      const d = parseRosterDate(cell('categoryFrom'));
      if (!d) fail('categoryFrom', 'bad_date', cell('categoryFrom'));
      else validFrom = d;
    }
    if (cell('categoryTo')) {
      const d = parseRosterDate(cell('categoryTo'));
      if (!d) fail('categoryTo', 'bad_date', cell('categoryTo'));
      else validTo = d;
    }
    if (validTo !== null && validTo < validFrom) fail(cell('categoryPeriod') ? 'categoryPeriod' : 'categoryTo', 'category_dates', `${validFrom} → ${validTo}`);
    const evidence = cell('evidence');
    if (codes.length && !evidence) fail('evidence', 'missing_evidence');
    else if (evidence.length > 200) fail('evidence', 'too_long', evidence);
    else if (evidence.length === 1) fail('evidence', 'missing_evidence', evidence);
    for (const code of codes) categories.push({ code: code, validFrom, validTo, evidence });
    if (codes.includes('lives_alone')) livesAlone = true;
  }

  if (errors.length || !birthDate || !gender) return { errors, row: null };
  return {
    errors,
    row: { name, idNumber, gender, birthDate, hukouAreaCode, residenceAreaCode, address, phone, careLevel, livesAlone, categories, given },
  };
}

// ───────────── the import ─────────────

function view(i: repo.RosterImportRow): RosterImport {
  return {
    id: i.id,
    canteenId: i.canteenId,
    fileName: i.fileName,
    state: i.state,
    stagedRows: i.stagedRows,
    okRows: i.stagedRows - i.errorRows - i.duplicateRows,
    errorRows: i.errorRows,
    duplicateRows: i.duplicateRows,
    createdRows: i.createdRows,
    updatedRows: i.updatedRows,
    skippedRows: i.skippedRows,
    createdAt: i.createdAt,
    committedAt: i.committedAt,
  };
}

/** Who may import for a canteen: operators of it (their residents), street staff whose street it is in, the administrator. */
function importScope(ctx: Ctx, actor: Actor, canteenId: string) {
  register.assertCanEdit(actor);
  const u = requireUser(actor);
  const canteen = sites.canteenById(ctx.db.read, canteenId);
  assertCanteen(actor, canteen);
  if (!roleIn(u.user.role, ROLE_GROUPS.recordKeepers)) throw new AppError('forbidden', 'resident records are kept by operators and street offices');
  return { canteen, streetScope: u.user.role === 'street' ? (u.user.scopeAreaCode ?? '-') : null };
}

/** The import, for the user who started it (anyone else: not found). */
function ownImport(ctx: Ctx, actor: Actor, id: string): repo.RosterImportRow {
  const i = repo.importById(ctx.db.read, id);
  if (!i || i.createdBy !== actorId(actor)) throw new AppError('not_found', 'no such import');
  return i;
}

function assertStaging(i: repo.RosterImportRow) {
  if (i.state !== 'staging') throw new AppError('invalid_state', `this import is ${i.state}`, 409, { state: i.state });
}

/** `POST /roster-imports`: start an import for a canteen (its residents' home canteen). */
export async function createImport(ctx: Ctx, actor: Actor, input: z.infer<typeof CreateRosterImportRequest>): Promise<RosterImport> {
  const { canteen } = importScope(ctx, actor, input.canteenId);
  const now = ctx.clock.now();
  const id = uuidv7();
  const stale = repo.staleImports(ctx.db.read, new Date(now.getTime() - STALE_HOURS * 3_600_000).toISOString());
  await ctx.db.write((tx) => {
    for (const s of stale) {
      repo.deleteRows(tx, s);
      repo.updateImport(tx, s, { state: 'abandoned' });
    }
    repo.insertImport(tx, {
      id,
      canteenId: canteen.id,
      fileName: input.fileName,
      mapping: input.mapping,
      state: 'staging',
      createdBy: actorId(actor),
      createdAt: now.toISOString(),
    });
  });
  return view(repo.importById(ctx.db.read, id)!);
}

export function getImport(ctx: Ctx, actor: Actor, id: string): RosterImport {
  return view(ownImport(ctx, actor, id));
}

interface StagedPayload extends CheckedRow {
  /** Where the row points when its ID number is registered. */
  existingResidentId: string | null;
}

/**
 * `POST /roster-imports/:id/rows`: check a chunk and stage it. Chunks come in file order; a chunk that starts at or
 * before the rows already staged replaces them from there (a retried upload), one that leaves a gap is refused.
 */
export async function stageRows(
  ctx: Ctx,
  actor: Actor,
  id: string,
  body: z.infer<typeof StageRosterRowsRequest>,
): Promise<{ import: RosterImport; errors: RosterRowError[]; duplicates: RosterDuplicate[] }> {
  const imp = ownImport(ctx, actor, id);
  assertStaging(imp);
  const { streetScope } = importScope(ctx, actor, imp.canteenId);
  if (body.start > imp.stagedRows)
    throw new AppError('conflict', `rows are uploaded in order: the next chunk starts at ${imp.stagedRows}`, 409, { expected: imp.stagedRows });
  if (body.start + body.rows.length > ROSTER_MAX_ROWS)
    throw new AppError('bad_request', `a roster holds at most ${ROSTER_MAX_ROWS} rows`, 400, { field: 'rows' });

  const env: RowEnv = { areas: new AreaIndex(sites.listAreas(ctx)), today: localToday(ctx), streetScope };
  const checked = body.rows.map((r) => ({ input: r, ...checkRow(r, env) }));
  const hashOf = (idNumber: string) => ctx.crypto.lookupHash('id', idNumber);
  const hashes = checked.map((c) => (c.row ? hashOf(c.row.idNumber) : null));
  const registered = register.registeredByIdHashes(ctx.db.read, [...new Set(hashes.filter((h): h is string => h !== null))]);

  const errors: RosterRowError[] = [];
  const duplicates: RosterDuplicate[] = [];
  const staged: repo.StagedRow[] = [];
  await ctx.db.write((tx) => {
    // Checked again in the write: a commit or an abandon may have finished since the read above.
    const current = repo.importById(tx, id)!;
    assertStaging(current);
    if (body.start > current.stagedRows)
      throw new AppError('conflict', `rows are uploaded in order: the next chunk starts at ${current.stagedRows}`, 409, { expected: current.stagedRows });
    const earlier = repo.firstRowsWithHashes(tx, id, [...new Set(hashes.filter((h): h is string => h !== null))], body.start);
    const seen = new Map<string, number>();
    checked.forEach((c, n) => {
      const hash = hashes[n] ?? null;
      const rowErrors = [...c.errors];
      if (hash) {
        const first = earlier.get(hash) ?? seen.get(hash);
        if (first !== undefined)
          rowErrors.push({
            row: c.input.rowNumber,
            field: 'idNumber',
            code: 'duplicate_in_file',
            value: maskIdNumber(c.row!.idNumber.slice(-4)),
            otherRow: first,
          });
        else seen.set(hash, c.input.rowNumber);
      }
      const existing = hash ? registered.get(hash) : undefined;
      let status: repo.StagedRow['status'] = 'ok';
      if (rowErrors.length) {
        status = 'error';
        errors.push(...rowErrors);
      } else if (existing) {
        status = 'duplicate';
        const visible = canSeeResident(actor, existing);
        duplicates.push({
          row: c.input.rowNumber,
          name: c.row!.name,
          idNumberMasked: maskIdNumber(c.row!.idNumber.slice(-4)),
          existing: visible ? { id: existing.id, name: existing.name } : null,
          canUpdate: visible,
        });
      }
      const payload: StagedPayload | null = c.row && status !== 'error' ? { ...c.row, existingResidentId: existing?.id ?? null } : null;
      staged.push({
        importId: id,
        rowIndex: body.start + n,
        rowNumber: c.input.rowNumber,
        status,
        idNumberHash: hash,
        payloadEnc: payload ? ctx.crypto.encrypt(JSON.stringify(payload)) : null,
        errors: rowErrors.map(({ field, code, value, otherRow }) => ({
          field,
          code,
          ...(value !== null ? { value } : {}),
          ...(otherRow !== null ? { otherRow } : {}),
        })),
        existingResidentId: existing?.id ?? null,
      });
    });
    repo.deleteRowsFrom(tx, id, body.start);
    repo.insertRows(tx, staged);
    const counts = repo.countsOf(tx, id);
    repo.updateImport(tx, id, { stagedRows: counts.staged, errorRows: counts.errors, duplicateRows: counts.duplicates });
  });
  return { import: view(repo.importById(ctx.db.read, id)!), errors, duplicates };
}

/**
 * `POST /roster-imports/:id/commit`: write every staged row in one transaction, or nothing. Refused while any row
 * is refused (import_has_errors) or rows are missing (import_incomplete). Registered ID numbers are skipped or
 * update their record, as asked, where the caller may edit that record.
 */
export async function commit(ctx: Ctx, actor: Actor, id: string, body: z.infer<typeof CommitRosterRequest>): Promise<RosterImport> {
  const imp = ownImport(ctx, actor, id);
  assertStaging(imp);
  const { canteen, streetScope } = importScope(ctx, actor, imp.canteenId);
  if (imp.stagedRows !== body.totalRows)
    throw new AppError('import_incomplete', `${imp.stagedRows} of ${body.totalRows} rows were uploaded`, 409, {
      stagedRows: imp.stagedRows,
      totalRows: body.totalRows,
    });
  if (imp.errorRows > 0) throw new AppError('import_has_errors', `${imp.errorRows} rows are refused; nothing was imported`, 409, { errorRows: imp.errorRows });
  const except = new Set(body.exceptRows);
  const now = ctx.clock.now();
  await ctx.db.write(async (tx) => {
    const current = repo.importById(tx, id)!;
    assertStaging(current);
    let created = 0;
    let updated = 0;
    let skipped = 0;
    for (let from = 0; from < current.stagedRows; from += COMMIT_PAGE) {
      for (const staged of repo.rowsBetween(tx, id, from, from + COMMIT_PAGE - 1)) {
        const payload = JSON.parse(ctx.crypto.decrypt(staged.payloadEnc!)) as StagedPayload;
        if (staged.status === 'ok') {
          insertNew(tx, ctx, actor, now, payload, canteen.id, canteen.areaCode, streetScope, { rosterImportId: id, row: staged.rowNumber });
          created++;
        } else {
          const wanted = except.has(staged.rowNumber) ? (body.duplicates === 'skip' ? 'update' : 'skip') : body.duplicates;
          const existing = payload.existingResidentId ? residentById(tx, payload.existingResidentId) : undefined;
          const allowed = !!existing && canSeeResident(actor, existing);
          if (wanted === 'update' && !allowed && except.has(staged.rowNumber))
            throw new AppError('forbidden', `row ${staged.rowNumber}: that resident is not yours to update`, 403, { row: staged.rowNumber });
          if (wanted === 'update' && allowed) {
            register.updateResidentFromRoster(tx, ctx, actor, now, existing.id, changesOf(payload, streetScope), payload.categories, {
              rosterImportId: id,
              row: staged.rowNumber,
            });
            updated++;
          } else skipped++;
        }
      }
      // Let other requests be answered between pages; this transaction stays open (and invisible) meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
    }
    repo.deleteRows(tx, id);
    repo.updateImport(tx, id, { state: 'committed', committedAt: now.toISOString(), createdRows: created, updatedRows: updated, skippedRows: skipped });
    audit.record(tx, actor, now, {
      action: 'roster.imported',
      entityType: 'roster_import',
      entityId: id,
      details: { canteenId: canteen.id, fileName: current.fileName, mapping: current.mapping, rows: current.stagedRows, created, updated, skipped },
    });
  });
  return view(repo.importById(ctx.db.read, id)!);
}

function insertNew(
  tx: Tx,
  ctx: Ctx,
  actor: Actor,
  now: Date,
  p: StagedPayload,
  canteenId: string,
  canteenArea: string,
  streetScope: string | null,
  via: { rosterImportId: string; row: number },
) {
  const residenceAreaCode = p.residenceAreaCode ?? canteenArea;
  if (streetScope && !areaContains(streetScope, residenceAreaCode))
    throw new AppError('forbidden', `row ${via.row}: this resident lives outside your street`, 403, { row: via.row });
  register.insertResidentRecord(
    tx,
    ctx,
    actor,
    now,
    {
      name: p.name,
      gender: p.gender,
      birthDate: p.birthDate,
      idNumber: p.idNumber,
      phone: p.phone,
      hukouAreaCode: p.hukouAreaCode,
      residenceAreaCode,
      address: p.address,
      careLevel: p.careLevel ?? 0,
      disabilityGrade: null,
      disabilityLevel: 'none',
      livesAlone: p.livesAlone ?? false,
      dietNeeds: [],
      allergies: [],
      homeCanteenId: canteenId,
      categories: p.categories,
    },
    via,
  );
}

/** What a row changes on a registered resident: only the fields it gave. */
function changesOf(p: StagedPayload, streetScope: string | null): register.RosterChanges {
  const c: register.RosterChanges = {};
  const has = (f: RosterField) => p.given.includes(f);
  if (has('phone')) c.phone = p.phone;
  if (has('hukouArea')) c.hukouAreaCode = p.hukouAreaCode;
  if (has('residenceArea') && p.residenceAreaCode && (!streetScope || areaContains(streetScope, p.residenceAreaCode)))
    c.residenceAreaCode = p.residenceAreaCode;
  if (has('address')) c.address = p.address;
  if (has('careLevel') && p.careLevel !== null) c.careLevel = p.careLevel;
  if (p.livesAlone !== null && (has('livesAlone') || p.livesAlone)) c.livesAlone = p.livesAlone;
  return c;
}

/** `DELETE /roster-imports/:id`: give up an import; its staged rows go. */
export async function abandon(ctx: Ctx, actor: Actor, id: string): Promise<RosterImport> {
  const imp = ownImport(ctx, actor, id);
  assertStaging(imp);
  await ctx.db.write((tx) => {
    // Checked again in the write: a commit still writing when the read above ran must not be marked abandoned after.
    assertStaging(repo.importById(tx, id)!);
    repo.deleteRows(tx, id);
    repo.updateImport(tx, id, { state: 'abandoned' });
  });
  return view(repo.importById(ctx.db.read, id)!);
}
