import { z } from 'zod';
import { ROSTER_DUPLICATE_ACTIONS, ROSTER_FIELDS, ROSTER_IMPORT_STATES, ROSTER_MAX_ROWS, ROSTER_ROW_ERRORS } from '../domain/roster';
import { Id, singleLine } from './common';
import { CONTROL_MESSAGE, SINGLE_LINE } from './text';

/**
 * Importing an eligibility roster (资格名册): the console reads the file (Excel or CSV) in the browser, maps its
 * columns to fields, and uploads the rows in chunks as the cells' text; the server checks every row, shows what is
 * wrong and what is already registered, and writes nothing until the import is committed, all at once.
 */

/** POST /roster-imports */
export const CreateRosterImportRequest = z.strictObject({
  canteenId: Id,
  fileName: singleLine(200),
  /** Header → field as mapped (kept with the import for the audit). */
  mapping: z
    .record(z.string().max(100).regex(SINGLE_LINE, CONTROL_MESSAGE), z.enum(ROSTER_FIELDS))
    .refine((m) => Object.keys(m).length <= 60, 'at most 60 columns'),
});

const Cell = z.string().max(1000).regex(SINGLE_LINE, CONTROL_MESSAGE).optional();

/** One row as the file has it: each mapped field's cell as text ('' or absent when empty); dates already as text. */
export const RosterRowInput = z.strictObject({
  /** The row's number as the spreadsheet shows it. */
  rowNumber: z.number().int().min(1).max(10_000_000),
  name: Cell,
  idNumber: Cell,
  gender: Cell,
  birthDate: Cell,
  hukouArea: Cell,
  residenceArea: Cell,
  address: Cell,
  phone: Cell,
  categories: Cell,
  categoryPeriod: Cell,
  categoryFrom: Cell,
  categoryTo: Cell,
  evidence: Cell,
  careLevel: Cell,
  livesAlone: Cell,
});
export type RosterRowInput = z.infer<typeof RosterRowInput>;

/** POST /roster-imports/:id/rows: the next chunk, from row index `start` (a resent chunk replaces what it covers). */
export const StageRosterRowsRequest = z.strictObject({
  start: z.number().int().min(0).max(ROSTER_MAX_ROWS),
  rows: z.array(RosterRowInput).min(1).max(1000),
});

export const RosterRowError = z.object({
  row: z.number().int(),
  field: z.enum(ROSTER_FIELDS).nullable(),
  code: z.enum(ROSTER_ROW_ERRORS),
  /** The offending text (cut to 40 characters); never an ID number in full. */
  value: z.string().nullable(),
  /** For duplicate_in_file: the row it repeats. */
  otherRow: z.number().int().nullable(),
});
export type RosterRowError = z.infer<typeof RosterRowError>;

/** A row whose ID number is already registered. */
export const RosterDuplicate = z.object({
  row: z.number().int(),
  name: z.string(),
  idNumberMasked: z.string(),
  /** The registered resident, when the caller may see them (otherwise only that the ID number is taken). */
  existing: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** The caller may update that record from this row. */
  canUpdate: z.boolean(),
});
export type RosterDuplicate = z.infer<typeof RosterDuplicate>;

export const RosterImport = z.object({
  id: z.string(),
  canteenId: z.string(),
  fileName: z.string(),
  state: z.enum(ROSTER_IMPORT_STATES),
  stagedRows: z.number().int(),
  okRows: z.number().int(),
  errorRows: z.number().int(),
  duplicateRows: z.number().int(),
  createdRows: z.number().int(),
  updatedRows: z.number().int(),
  skippedRows: z.number().int(),
  createdAt: z.string(),
  committedAt: z.string().nullable(),
});
export type RosterImport = z.infer<typeof RosterImport>;

export const StageRosterRowsResponse = z.object({ import: RosterImport, errors: z.array(RosterRowError), duplicates: z.array(RosterDuplicate) });

/** POST /roster-imports/:id/commit: how many rows the file had, and what to do with registered ID numbers. */
export const CommitRosterRequest = z.strictObject({
  totalRows: z.number().int().min(1).max(ROSTER_MAX_ROWS),
  duplicates: z.enum(ROSTER_DUPLICATE_ACTIONS),
  /** Row numbers that take the other action. */
  exceptRows: z.array(z.number().int().min(1)).max(5000).default([]),
});
