// Account CSV import and export (issue 3: "Account CSV import (dry run, line-numbered errors) and
// export inside the caller's jurisdiction, UTF-8 with BOM so Excel opens it").
//
// Import header (any order; unknown columns refused; all but username/unit_oid/name optional as
// the unit's policy allows):
//   username, name, national_id, birth_month, birth_day, email, mobile, title, department,
//   office_phone, office_ext, unit_oid
// Every row goes through exactly the rules of 公務員新增作業 (prepareAccount in accounts.ts: the
// unit inside the actor's jurisdiction for account.create, the unit policy, the username scheme,
// uniqueness), plus uniqueness inside the file. Any error → nothing is written; errors name the
// line. The real run writes every account in ONE transaction, each with its initial password or
// set-password link and its audit event, as addAccount does.
// Export: the accounts inside the actor's account.view jurisdiction (SQL predicate), national ID
// masked, no secrets, UTF-8 with a BOM.
import { parse } from 'csv-parse/sync';
import type { Deps } from '../platform/deps.ts';
import { isMessageKey, type Lang, type Translate } from '../messages.ts';
import { notFound } from '../platform/http/errors.ts';
import { audit } from '../platform/audit.ts';
import { looksLikeFormula, toCsv } from '../platform/csv.ts';
import { maskNationalId } from '../accounts/national-id.ts';
import { normaliseUsername } from '../accounts/username.ts';
import { scopeFor, scopeIsEmpty, type Actor } from '../access/authorize.ts';
import { accountExportRows } from './account-queries.ts';
import { initialHashFor, isUniqueViolation, prepareAccount, writeAccount, type AccountField, type AccountInput, type Prepared, type Scheme } from './accounts.ts';

/** CSV column → form field of addAccount. */
export const ACCOUNT_CSV_COLUMNS = {
  username: 'username', name: 'name', national_id: 'nationalId', birth_month: 'birthMonth', birth_day: 'birthDay', email: 'email',
  mobile: 'mobile', title: 'title', department: 'department', office_phone: 'officePhone', office_ext: 'officeExt', unit_oid: 'unitOid',
} as const satisfies Record<string, AccountField>;
export type AccountCsvColumn = keyof typeof ACCOUNT_CSV_COLUMNS;
const COLUMNS = Object.keys(ACCOUNT_CSV_COLUMNS) as AccountCsvColumn[];
const REQUIRED_COLUMNS: AccountCsvColumn[] = ['username', 'name', 'unit_oid'];
const COLUMN_OF = Object.fromEntries(Object.entries(ACCOUNT_CSV_COLUMNS).map(([c, f]) => [f, c])) as Record<string, AccountCsvColumn>;

/** At most this many rows per import: one transaction, one argon2 hash per birthday-scheme row. */
export const MAX_IMPORT_ROWS = 2000;

/** One refusal: the line (1 = header), the column when a field is at fault, a message key (or text) and its variables. */
export interface CsvError { line: number; column?: string; error: string; vars?: Record<string, string> }
export interface CsvRow { line: number; username: string; unitOid: string; scheme: Scheme }
/** `warnings` name cells a spreadsheet would run as a formula: shown, not refused (docs/decisions.md). */
export interface AccountImportResult { dryRun: boolean; created: CsvRow[]; errors: CsvError[]; warnings: CsvError[] }

/**
 * Imports accounts from CSV as `actor` (see the header comment). Nothing is written when dryRun
 * is set or when any row is refused. Throws "not found" when the actor may create no account.
 */
export async function importAccounts(deps: Deps, actor: Actor, csv: string, opts: { dryRun: boolean; ip?: string | null; lang?: Lang },
  progress?: (done: number, total: number) => void): Promise<AccountImportResult> {
  if (scopeIsEmpty(scopeFor(actor, 'account.create'))) throw notFound();
  const result: AccountImportResult = { dryRun: opts.dryRun, created: [], errors: [], warnings: [] };
  const text = csv.replace(/^\uFEFF/, '');
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: false });
  } catch (e) {
    result.errors.push({ line: (e as { lines?: number }).lines ?? 1, error: 'admin.csv.syntax', vars: { detail: (e as Error).message } });
    return result;
  }
  const header = (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
  const unknown = header.filter((c) => !(COLUMNS as string[]).includes(c));
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (unknown.length || missing.length) {
    result.errors.push({ line: 1, error: 'admin.csv.header', vars: { missing: missing.join(', ') || '—', unknown: unknown.join(', ') || '—', columns: COLUMNS.join(',') } });
    return result;
  }
  if (records.length === 0) { result.errors.push({ line: 1, error: 'admin.csv.empty' }); return result; }
  if (records.length > MAX_IMPORT_ROWS) { result.errors.push({ line: 1, error: 'admin.csv.tooMany', vars: { max: String(MAX_IMPORT_ROWS) } }); return result; }

  const rows: { line: number; p: Prepared }[] = [];
  const usernames = new Map<string, number>();
  const nationalIds = new Map<string, number>();
  let done = 0;
  for (const { record, info } of records) {
    const line = info.lines;
    for (const c of COLUMNS) if (record[c] && looksLikeFormula(record[c])) result.warnings.push({ line, column: c, error: 'admin.csv.formula' });
    const input: AccountInput = Object.fromEntries(COLUMNS.filter((c) => record[c] !== undefined).map((c) => [ACCOUNT_CSV_COLUMNS[c], record[c]]));
    const r = await prepareAccount(deps, actor, input);
    progress?.(++done, records.length * (opts.dryRun ? 1 : 2));
    if (!r.ok) {
      const domains = r.domains?.join(', ') ?? '';
      for (const [field, error] of Object.entries(r.errors)) result.errors.push({ line, column: COLUMN_OF[field] ?? field, error: error!, vars: { domains } });
      continue;
    }
    const u = normaliseUsername(r.value.username);
    const nid = r.value.profile.nationalId;
    if (usernames.has(u)) result.errors.push({ line, column: 'username', error: 'admin.csv.duplicate', vars: { first: String(usernames.get(u)) } });
    else usernames.set(u, line);
    if (nid && nationalIds.has(nid)) result.errors.push({ line, column: 'national_id', error: 'admin.csv.duplicate', vars: { first: String(nationalIds.get(nid)) } });
    else if (nid) nationalIds.set(nid, line);
    rows.push({ line, p: r.value });
  }
  if (result.errors.length) return result;
  const planned = rows.map(({ line, p }) => ({ line, username: p.username, unitOid: p.unitOid, scheme: p.scheme }));
  if (opts.dryRun) { result.created = planned; return result; }

  // argon2 outside the transaction (slow; the transaction holds the audit lock).
  const hashes: (string | null)[] = [];
  for (const { p } of rows) { hashes.push(await initialHashFor(deps, p)); progress?.(++done, rows.length * 2); }
  const now = deps.clock.now();
  let current = 0;
  try {
    await deps.db.transaction().execute(async (trx) => {
      for (const [i, { line, p }] of rows.entries()) {
        current = line;
        await writeAccount(trx, deps, actor, p, hashes[i], now, opts.ip ?? null, opts.lang ?? 'zh-TW', { via: 'csv', line });
      }
      await audit(trx, now, { actor: actor.accountId, action: 'account.import', targetType: 'account', ip: opts.ip ?? null, details: { created: rows.length } });
    });
  } catch (e) {
    // Someone else took a username or national ID meanwhile: the unique index decides, nothing was written.
    if (isUniqueViolation(e)) { result.errors.push({ line: current, column: 'username', error: 'username.taken' }); return result; }
    throw e;
  }
  result.created = planned;
  return result;
}

/** The export's columns: the import's, the national ID masked, plus the state. */
export const ACCOUNT_EXPORT_COLUMNS = [...COLUMNS, 'state'] as const;

/** The accounts inside the actor's jurisdiction as CSV (UTF-8 with BOM), national ID masked; "not found" without account.view. */
export async function exportAccounts(deps: Deps, actor: Actor): Promise<string> {
  const scope = scopeFor(actor, 'account.view');
  if (scopeIsEmpty(scope)) throw notFound();
  const rows = await accountExportRows(deps.db, scope);
  const out = rows.map(({ national_id_enc, ...r }) => ({ ...r, national_id: national_id_enc ? maskNationalId(deps.keyring.decrypt(national_id_enc)) : '' }));
  return toCsv(out, ACCOUNT_EXPORT_COLUMNS);
}

/** A refusal as one line of text in the reader's language: "第 3 行 national_id：…" / "Line 3, national_id: …". */
export function csvErrorText(t: Translate, e: CsvError): string {
  const vars = e.vars ?? {};
  const what = isMessageKey(e.error) ? t(e.error, vars) : e.error;
  return t(e.column ? 'admin.csv.lineColumn' : 'admin.csv.line', { line: e.line, column: e.column ?? '', message: what });
}
