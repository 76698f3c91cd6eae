// Organisation use cases (ORG-1..4): one transaction each, authorization first, audited.
import { parse } from 'csv-parse/sync';
import type { Deps } from '../platform/deps.ts';
import type { Db } from '../db/index.ts';
import { audit } from '../platform/audit.ts';
import { looksLikeFormula, toCsv } from '../platform/csv.ts';
import { authorize, type Actor, type Scope } from '../access/authorize.ts';
import { HttpError } from '../platform/http/errors.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { parentOf, compareOids, isValidOid, isWithin, lastArc, rebase } from './oid.ts';
import { ORG_CSV_COLUMNS, validateOrgRow, type OrgFieldError, type OrgRow } from './csv.ts';
import { parseSetting, validateSettings, type SettingError } from './policy.ts';
import { getOrg, orgExists } from './store.ts';
import {
  countUnder, insertOrg, lockOrgs, orgCsvRows, orgParents, parentOfNode, rebaseGrants, rebaseSystemOwners, registeredAmong, renameOrg, setParent,
  subtreeOids, tenantCodeTaken, updateOrg,
} from './tree-store.ts';
import { deletePolicy, lockNode, lockPolicy, upsertPolicy } from './policy-store.ts';
import { anyOrgUnder, searchOrgs, type OidMatch } from './lookup-queries.ts';

/** A refused input: re-rendered by the page as a localised message; nothing was written. */
export interface Problem { key: MessageKey; settings?: SettingError[] }
export type Outcome<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };
const refuse = (...keys: MessageKey[]): { ok: false; problems: Problem[] } => ({ ok: false, problems: keys.map((key) => ({ key })) });
// Row validation speaks in message keys; this fails to compile if one is missing from the catalog.
const fieldErrorKey = (e: OrgFieldError): MessageKey => e;

function deny(actor: Actor | null, action: 'org.manage' | 'policy.manage'): void {
  // A denied administrative action looks like "not found" (ARCHITECTURE, Authorization).
  if (!authorize(actor, action)) throw new HttpError(404, 'error.notFound');
}

/** `warnings`: cells a spreadsheet would run as a formula, imported as typed (issue 9 item 4). */
export interface ImportResult { created: number; updated: number; unchanged: number; errors: { line: number; message: string }[]; warnings: { line: number; message: string }[] }

/** Recomputes every node's parent (longest registered proper prefix); writes only the changes. */
export async function reparentAll(trx: Db): Promise<number> {
  const rows = await orgParents(trx);
  const registered = new Set(rows.map((r) => r.oid));
  let changed = 0;
  for (const r of rows) {
    const parent = parentOf(r.oid, (c) => registered.has(c));
    if (parent !== r.parent_oid) {
      await setParent(trx, r.oid, parent);
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
  const result: ImportResult = { created: 0, updated: 0, unchanged: 0, errors: [], warnings: [] };
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
    for (const [column, value] of Object.entries(record)) {
      if (value && looksLikeFormula(value)) result.warnings.push({ line: info.lines, message: `${column} starts with = + - @ and may be run as a spreadsheet formula` });
    }
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
    if (!opts.dryRun) await lockOrgs(trx);
    const existing = new Map((await orgCsvRows(trx)).map((r) => [r.oid, r]));
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
        if (!opts.dryRun) await insertOrg(trx, row, now);
      } else if (sameRow(old, row)) {
        result.unchanged++;
      } else {
        result.updated++;
        // Free the tenant codes first so swapping codes between two rows does not collide.
        if (!opts.dryRun) await updateOrg(trx, row, now);
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
  const rows = await orgCsvRows(deps.db);
  rows.sort((a, b) => compareOids(a.oid, b.oid));
  return toCsv(rows, ORG_CSV_COLUMNS);
}

export interface OrgInput { oid?: string; name?: string; agencyCode?: string; tenantCode?: string; kind?: string }

/** ORG-1: registers a node; its parent (and any registered descendants' parents) follow the prefix rule. */
export async function createOrg(deps: Deps, actor: Actor, input: OrgInput, ip: string | null): Promise<Outcome<OrgRow>> {
  deny(actor, 'org.manage');
  const v = validateOrgRow({ oid: input.oid, name: input.name, agency_code: input.agencyCode, tenant_code: input.tenantCode, kind: input.kind });
  if (!v.row) return refuse(...v.errors.map(fieldErrorKey));
  const row = v.row;
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    await lockOrgs(trx);
    if (await orgExists(trx, row.oid)) return refuse('orgs.exists');
    if (row.tenant_code && await tenantCodeTaken(trx, row.tenant_code)) return refuse('orgs.tenantTaken');
    await insertOrg(trx, row, now);
    // A node inserted in the middle adopts the registered nodes below it.
    await reparentAll(trx);
    const parent = await parentOfNode(trx, row.oid);
    await audit(trx, now, {
      actor: actor.accountId, action: 'org.create', targetType: 'org', targetId: row.oid, orgOid: row.oid, ip,
      details: { before: null, after: { ...row, parent_oid: parent } },
    });
    return { ok: true as const, value: row };
  });
}

export interface MoveResult { oldOid: string; newOid: string; nodes: number; accounts: number; policies: number; grants: number }

/**
 * ORG-4: moves a node under another parent. The node is re-keyed to newParent.lastArc and its
 * whole subtree rebased. orgs.parent_oid, policies.oid and accounts.unit_oid follow through
 * ON UPDATE CASCADE (checked by test/orgs/orgs.test.ts); parents are then recomputed by prefix.
 */
export async function moveOrg(deps: Deps, actor: Actor, oid: string, newParentOid: string, ip: string | null): Promise<Outcome<MoveResult>> {
  deny(actor, 'org.manage');
  const target = newParentOid.trim();
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    await lockOrgs(trx);
    const node = await getOrg(trx, oid);
    if (!node) throw new HttpError(404, 'error.notFound');
    if (!isValidOid(target)) return refuse('orgs.invalidOid');
    if (isWithin(target, oid)) return refuse('orgs.moveIntoSelf');
    if (!await orgExists(trx, target)) return refuse('orgs.parentMissing');
    const newOid = `${target}.${lastArc(oid)}`;
    if (newOid === oid) return refuse('orgs.sameParent');

    const subtree = await subtreeOids(trx, oid);
    // Shallow first: when a node moves up onto its own OIDs (1.5.5 under 1 becomes 1.5), the
    // OID a deeper node takes (1.5.5.5 → 1.5.5) has already been vacated by a shallower one.
    subtree.sort((a, b) => a.split('.').length - b.split('.').length || compareOids(a, b));
    const renames = subtree.map((o) => ({ from: o, to: rebase(o, oid, newOid) }));
    if (renames.some((r) => !isValidOid(r.to))) return refuse('orgs.invalidOid');
    // The old subtree's OIDs are vacated shallow-first, so only nodes outside it can collide.
    const vacated = new Set(subtree);
    const clash = await registeredAmong(trx, renames.map((r) => r.to));
    if (clash.some((c) => !vacated.has(c.oid))) return refuse('orgs.exists');

    for (const r of renames) await renameOrg(trx, r.from, r.to, now);
    // Grants name their jurisdiction by OID without a foreign key: rebase them too, so a grant
    // neither strands on a vanished OID nor covers whatever is registered there later.
    const grants = await rebaseGrants(trx, oid, newOid);
    // A system's owner likewise (SSO-1): its administrators follow the organisation that owns it.
    await rebaseSystemOwners(trx, oid, newOid);
    await reparentAll(trx);

    const result: MoveResult = {
      oldOid: oid, newOid, nodes: renames.length,
      accounts: await countUnder(trx, 'accounts', 'unit_oid', newOid), policies: await countUnder(trx, 'policies', 'oid', newOid), grants,
    };
    const afterParent = await parentOfNode(trx, newOid);
    await audit(trx, now, {
      actor: actor.accountId, action: 'org.move', targetType: 'org', targetId: newOid, orgOid: newOid, ip,
      details: {
        before: { oid, parent_oid: node.parent_oid }, after: { oid: newOid, parent_oid: afterParent },
        nodes: result.nodes, accounts: result.accounts, policies: result.policies, grants: result.grants,
      },
    });
    return { ok: true as const, value: result };
  });
}

/**
 * ORG-3: sets (or, with '', removes) settings on one node; keys not mentioned stay as they are.
 * Any invalid value refuses the whole change, naming every bad key.
 */
export async function setPolicy(deps: Deps, actor: Actor, oid: string, rawSettings: Record<string, string>, ip: string | null): Promise<Outcome<Record<string, unknown>>> {
  deny(actor, 'policy.manage');
  const changes: Record<string, unknown> = {};
  const errors: SettingError[] = [];
  for (const [key, raw] of Object.entries(rawSettings)) {
    const r = parseSetting(key, raw);
    if (r.error) errors.push(r.error); else changes[key] = r.value;
  }
  if (errors.length) return { ok: false, problems: [{ key: 'policy.invalid', settings: errors }] };
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    // Row lock: the node cannot be moved or removed while its policy changes.
    if (!await lockNode(trx, oid)) throw new HttpError(404, 'error.notFound');
    const row = await lockPolicy(trx, oid);
    const before: Record<string, unknown> = row ? validateSettings(row.settings).settings : {};
    const after: Record<string, unknown> = { ...before };
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) delete after[key]; else after[key] = value;
    }
    if (JSON.stringify(sortKeys(before)) === JSON.stringify(sortKeys(after))) return { ok: true as const, value: after };
    if (Object.keys(after).length === 0) await deletePolicy(trx, oid);
    else await upsertPolicy(trx, oid, JSON.stringify(sortKeys(after)), now);
    await audit(trx, now, {
      actor: actor.accountId, action: 'policy.set', targetType: 'org', targetId: oid, orgOid: oid, ip,
      details: { before, after },
    });
    return { ok: true as const, value: after };
  });
}

const sortKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

export interface OrgSummary { oid: string; name: string; agencyCode: string | null; tenantCode: string | null; kind: string; parentOid: string | null }
export const MAX_LOOKUP = 50;

/**
 * ORG-2 OID look-up: name fragment (trigram-indexed ILIKE), agency code (exact, any case),
 * tenant code (exact) or OID prefix; `scope` keeps it inside an administrator's jurisdiction, in SQL. Digits-and-dots match whole arcs first (the subtree of q);
 * only when no node lies there is q read as a partial arc ("2.16.886.101.900" → 90027…).
 */
export async function lookupOrgs(db: Db, q: string, limit = MAX_LOOKUP, scope: Scope = { all: true }): Promise<OrgSummary[]> {
  const text = q.trim().slice(0, 200);
  if (!text) return [];
  const n = Math.max(1, Math.min(limit, MAX_LOOKUP));
  let oid: OidMatch = null;
  if (/^[0-9]+(\.[0-9]+)*\.?$/.test(text)) {
    const root = text.replace(/\.$/, '');
    oid = await anyOrgUnder(db, root) ? { subtree: root } : { prefix: text };
  }
  const rows = await searchOrgs(db, text, oid, scope, n);
  return rows.map((r) => ({ oid: r.oid, name: r.name, agencyCode: r.agency_code, tenantCode: r.tenant_code, kind: r.kind, parentOid: r.parent_oid }));
}
