// Organisation use cases (ORG-1..4): one transaction each, authorization first, audited.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Deps } from '../platform/deps.ts';
import type { Db } from '../db/index.ts';
import { audit } from '../platform/audit.ts';
import { authorize, type Actor } from '../admin/authorize.ts';
import { HttpError } from '../platform/http/errors.ts';
import { parentOf, compareOids } from './oid.ts';
import { ORG_CSV_COLUMNS, validateOrgRow, type OrgRow } from './csv.ts';

export interface ImportResult { created: number; updated: number; unchanged: number; errors: { line: number; message: string }[] }

/** Recomputes every node's parent (longest registered proper prefix); writes only the changes. */
export async function reparentAll(trx: Db): Promise<number> {
  const rows = await trx.selectFrom('orgs').select(['oid', 'parent_oid']).execute();
  const registered = new Set(rows.map((r) => r.oid));
  let changed = 0;
  for (const r of rows) {
    const parent = parentOf(r.oid, (c) => registered.has(c));
    if (parent !== r.parent_oid) {
      await trx.updateTable('orgs').set({ parent_oid: parent }).where('oid', '=', r.oid).execute();
      changed++;
    }
  }
  return changed;
}

const sameRow = (a: OrgRow, b: OrgRow) =>
  a.name === b.name && a.agency_code === b.agency_code && a.tenant_code === b.tenant_code && a.kind === b.kind;

/**
 * Imports organisations from CSV (header: oid,name,agency_code,tenant_code,kind). Idempotent:
 * existing OIDs are updated, identical rows left alone. Any error → nothing is written.
 * `actor` null means the operator's CLI (or first start), which has full authority.
 */
export async function importOrgs(deps: Deps, actor: Actor | null, csv: string, opts: { dryRun: boolean },
  progress?: (done: number, total: number) => void): Promise<ImportResult> {
  if (actor && !authorize(actor, 'org.manage')) throw new HttpError(404, 'error.notFound');
  const result: ImportResult = { created: 0, updated: 0, unchanged: 0, errors: [] };
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: false });
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 1;
    result.errors.push({ line, message: `CSV syntax: ${(e as Error).message}` });
    return result;
  }
  const header = csv.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].split(',').map((s) => s.trim());
  const missing = ORG_CSV_COLUMNS.filter((c) => c !== 'agency_code' && c !== 'tenant_code' && !header.includes(c));
  if (missing.length) { result.errors.push({ line: 1, message: `missing columns: ${missing.join(', ')}` }); return result; }

  const rows: { line: number; row: OrgRow }[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const v = validateOrgRow(record);
    if (!v.row) { result.errors.push({ line: info.lines, message: v.errors.join(', ') }); continue; }
    if (seen.has(v.row.oid)) { result.errors.push({ line: info.lines, message: `orgs.duplicateInFile (first on line ${seen.get(v.row.oid)})` }); continue; }
    seen.set(v.row.oid, info.lines);
    rows.push({ line: info.lines, row: v.row });
  }
  const tenantLines = new Map<string, number>();
  for (const { line, row } of rows) {
    if (!row.tenant_code) continue;
    if (tenantLines.has(row.tenant_code)) result.errors.push({ line, message: `orgs.tenantTaken (also on line ${tenantLines.get(row.tenant_code)})` });
    tenantLines.set(row.tenant_code, line);
  }
  if (result.errors.length) return result;

  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const existing = new Map((await trx.selectFrom('orgs').select(['oid', 'name', 'agency_code', 'tenant_code', 'kind']).execute()).map((r) => [r.oid, r]));
    const tenantOwner = new Map([...existing.values()].filter((r) => r.tenant_code).map((r) => [r.tenant_code!, r.oid]));
    for (const { line, row } of rows) {
      const owner = row.tenant_code ? tenantOwner.get(row.tenant_code) : undefined;
      if (owner && owner !== row.oid && !seen.has(owner)) result.errors.push({ line, message: `orgs.tenantTaken (${owner})` });
    }
    if (result.errors.length) return;
    let done = 0;
    for (const { row } of rows) {
      const old = existing.get(row.oid);
      if (!old) {
        result.created++;
        if (!opts.dryRun) await trx.insertInto('orgs').values({ ...row, parent_oid: null, created_at: now, updated_at: now }).execute();
      } else if (sameRow(old, row)) {
        result.unchanged++;
      } else {
        result.updated++;
        // Free the tenant codes first so swapping codes between two rows does not collide.
        if (!opts.dryRun) await trx.updateTable('orgs').set({ name: row.name, agency_code: row.agency_code, tenant_code: row.tenant_code, kind: row.kind, updated_at: now }).where('oid', '=', row.oid).execute();
      }
      progress?.(++done, rows.length);
    }
    if (opts.dryRun || result.created + result.updated === 0) return;
    await reparentAll(trx);
    await audit(trx, now, {
      actor: actor?.accountId ?? null, action: 'org.import', targetType: 'org',
      details: { created: result.created, updated: result.updated, unchanged: result.unchanged },
    });
  });
  if (result.errors.length) { result.created = result.updated = result.unchanged = 0; }
  return result;
}

/** The whole registry as CSV in tree order; importing it again changes nothing. */
export async function exportOrgs(deps: Deps): Promise<string> {
  const rows = await deps.db.selectFrom('orgs').select([...ORG_CSV_COLUMNS]).execute();
  rows.sort((a, b) => compareOids(a.oid, b.oid));
  return '\uFEFF' + stringify(rows, { header: true, columns: [...ORG_CSV_COLUMNS] });
}
