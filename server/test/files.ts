/**
 * The spreadsheet libraries, for tests outside the server package (the browser tests write rosters and read back
 * exported files with the same ExcelJS and papaparse the server uses).
 */
export { default as ExcelJS } from 'exceljs';
export { default as Papa } from 'papaparse';
