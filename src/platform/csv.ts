// The one CSV writer of every export (accounts, audit trail, organisations): UTF-8 with a BOM so
// Excel reads it, and no cell that a spreadsheet would run as a formula (GOV-1, issue 9 item 4).
import { stringify } from 'csv-stringify/sync';

/** A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** True when a spreadsheet would run this value as a formula; imports warn about such values. */
export const looksLikeFormula = (value: string): boolean => FORMULA_START.test(value);

/** OWASP's neutralisation: a leading single quote makes the cell text; the value stays readable. */
export const neutraliseCell = (value: string): string => (looksLikeFormula(value) ? `'${value}` : value);

/** Rows as CSV with a header row (the given columns, in order), every text cell neutralised. */
export function toCsv<Row extends object>(rows: Row[], columns: readonly string[]): string {
  return '\uFEFF' + stringify(rows, {
    header: true, columns: [...columns],
    // Numbers are never formulas; they are written as digits, text goes through the guard.
    cast: { number: String, string: neutraliseCell },
  });
}
