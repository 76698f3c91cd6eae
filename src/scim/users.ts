// SSO-6 ADM-2 ADM-3 ADM-5: SCIM Users as use cases. Reads carry the token's subtree in SQL
// (user-queries.ts); writes call the administration use cases themselves (addAccount,
// updateAccount, setAccountState, deleteAccounts) with the token's narrowed actor, so the rules,
// the jurisdiction checks and the audit events are the admin API's, not a copy of them.
import type { Deps } from '../platform/deps.ts';
import type { Lang } from '../platform/web/messages.ts';
import { HttpError } from '../platform/http/errors.ts';
import { scopeFor, scopeIsEmpty, type Scope } from '../access/authorize.ts';
import { initialHashFor, isUniqueViolation, prepareAccount, updateAccount, writeAccount, type AccountErrors, type TxGuard } from '../admin/accounts.ts';
import { deleteAccounts, setAccountState } from '../admin/account-actions.ts';
import { normaliseUsername } from '../accounts/username.ts';
import { ScimError, invalidValue, scimNotFound } from './errors.ts';
import { parseFilter } from './filter/parse.ts';
import { parseAttrPath } from './filter/parse.ts';
import { compileFilter, sortExpression, SQL_TRUE } from './filter/filter-sql.ts';
import { countUsers, externalIdHolder, lockUserRow, pageUserRows, setExternalIdRow, userAttrs, userRows } from './user-queries.ts';
import { reconcileNames, userInput, userResource, type Json } from './user-resource.ts';
import { applyPatch, type PatchOperation } from './patch.ts';
import { CORE_USER, MAX_RESULTS } from './schemas.ts';
import type { ScimCaller } from './tokens.ts';
import { checkVersion } from './etag.ts';

/** Message text for a key (the caller's language). */
export type Translate = (key: string, vars?: Record<string, string>) => string;

export interface ListQuery { filter?: string; sortBy?: string; sortOrder?: string; startIndex?: number; count?: number }

const viewScope = (c: ScimCaller): Scope => scopeFor(c.actor, 'account.view');

async function resources(deps: Deps, c: ScimCaller, base: string, ids: number[]): Promise<Json[]> {
  const rows = await userRows(deps.db, viewScope(c), ids, c.systemCode);
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return ids.flatMap((id) => { const r = byId.get(id); return r ? [userResource({ ...r, id: Number(r.id) }, base)] : []; });
}

/**
 * If-Match again inside the write's own transaction (RFC 7644 §3.14): the account's row locked
 * (FOR UPDATE), its representation read there and its version compared, so of two writes sent with
 * one version exactly one goes ahead and the other is 412 (the pre-check outside answers early).
 */
function versionUnderLock(deps: Deps, c: ScimCaller, base: string, id: number, ifMatch: string | undefined): TxGuard | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  return async (trx) => {
    await lockUserRow(trx, id);
    const [r] = await userRows(trx, viewScope(c), [id], c.systemCode);
    if (!r) throw scimNotFound();
    checkVersion(userResource({ ...r, id: Number(r.id) }, base), ifMatch);
  };
}

/** One User inside the token's subtree, or 404 (unknown and outside look the same). */
export async function getUser(deps: Deps, c: ScimCaller, base: string, id: string): Promise<Json> {
  const n = /^[1-9][0-9]{0,9}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(n) || n > 2_147_483_647) throw scimNotFound();
  const [r] = await resources(deps, c, base, [n]);
  if (!r) throw scimNotFound();
  return r;
}

/**
 * A page of Users (RFC 7644 §3.4.2): filter, sortBy/sortOrder, 1-based startIndex (below 1 counts as
 * 1), count (0: totalResults only; capped at MAX_RESULTS; negative counts as 0).
 */
export async function listUsers(deps: Deps, c: ScimCaller, base: string, q: ListQuery): Promise<{ total: number; startIndex: number; resources: Json[] }> {
  const scope = viewScope(c);
  const startIndex = Math.max(1, Math.trunc(q.startIndex ?? 1));
  const count = Math.min(MAX_RESULTS, Math.max(0, Math.trunc(q.count ?? MAX_RESULTS)));
  const attrs = userAttrs(c.systemCode);
  const where = q.filter?.trim() ? compileFilter(parseFilter(q.filter), attrs) : SQL_TRUE;
  let sort = null;
  if (q.sortBy?.trim()) {
    const path = parseAttrPath(q.sortBy.trim());
    if (!path) throw invalidValue(`Not an attribute: '${q.sortBy}'`);
    try { sort = sortExpression(path, attrs); } catch (e) { throw e instanceof ScimError ? invalidValue(e.detail) : e; }
  }
  const descending = /^descending$/i.test(q.sortOrder ?? '');
  if (scopeIsEmpty(scope)) return { total: 0, startIndex, resources: [] };
  // The page first, in one statement with its columns; the count only when the page cannot tell
  // it (a short page after the first row is the end, so `userName eq` costs one query, not three).
  const rows = count === 0 ? [] : await pageUserRows(deps.db, scope, { where, sort, descending, limit: count, offset: startIndex - 1 }, c.systemCode);
  const total = rows.length > 0 && rows.length < count ? startIndex - 1 + rows.length
    : startIndex === 1 && count > 0 && rows.length === 0 ? 0
    : await countUsers(deps.db, scope, where);
  return { total, startIndex, resources: rows.map((r) => userResource({ ...r, id: Number(r.id) }, base)) };
}


/** The admin use case's field refusals as a SCIM error: a taken username is 409 uniqueness, the rest 400 invalidValue. */
function refusal(errors: AccountErrors, t: Translate, domains: string[] = []): ScimError {
  if (errors.username === 'username.taken') return new ScimError(409, 'uniqueness', t('username.taken'));
  const detail = Object.entries(errors).map(([field, key]) => `${field}: ${t(key!, { domains: domains.join(', ') })}`).join('; ');
  return invalidValue(detail);
}

function stateRefusal(error: string, t: Translate): ScimError { return invalidValue(t(error)); }

async function setActive(deps: Deps, c: ScimCaller, id: number, active: boolean | undefined, current: boolean | undefined, ip: string | null, t: Translate, guard?: TxGuard): Promise<void> {
  if (active === undefined || active === current) return;
  const r = await setAccountState(deps, c.actor, id, active ? 'enabled' : 'disabled', ip, guard);
  if (!r.ok) throw stateRefusal(r.error, t);
}

/** 404 from the admin use cases (out of reach) as the SCIM 404. */
async function scim<T>(f: () => Promise<T>): Promise<T> {
  try { return await f(); } catch (e) {
    if (e instanceof HttpError && e.status === 404) throw scimNotFound();
    if (e instanceof HttpError && e.status === 403) throw new ScimError(403, undefined, 'Not allowed');
    throw e;
  }
}

const externalIdTaken = () => new ScimError(409, 'uniqueness', 'Another user of this service has this externalId');
const isExternalIdClash = (e: unknown) => isUniqueViolation(e) && (e as { constraint?: string }).constraint === 'scim_external_ids_unique';

/** Refuses an externalId another live account of this system holds (the unique index decides races). */
async function checkExternalId(deps: Deps, c: ScimCaller, externalId: string | null, self?: number): Promise<void> {
  if (externalId === null) return;
  const holder = await externalIdHolder(deps.db, c.systemCode, externalId);
  if (holder !== undefined && holder !== self) throw externalIdTaken();
}

/**
 * POST /Users: the admin API's add-account rules (prepareAccount, writeAccount: ADM-3) in the
 * given unit (default: the token's subtree root), the system's externalId in the same
 * transaction; then `active: false` disables.
 */
export async function createUser(deps: Deps, c: ScimCaller, base: string, body: Json, ip: string | null, lang: Lang, t: Translate): Promise<Json> {
  const w = userInput(body);
  if (!w.userName?.trim()) throw invalidValue('userName is required');
  if (scopeIsEmpty(scopeFor(c.actor, 'account.create'))) throw scimNotFound();
  await checkExternalId(deps, c, w.externalId);
  const r = await prepareAccount(deps, c.actor, { ...w.input, unitOid: w.input.unitOid || c.root, username: w.userName });
  if (!r.ok) throw refusal(r.errors, t, r.domains);
  const hash = await initialHashFor(deps, r.value);
  const now = deps.clock.now();
  let id: number;
  try {
    id = await deps.db.transaction().execute(async (trx) => {
      const added = await writeAccount(trx, deps, c.actor, r.value, hash, now, ip, lang);
      if (w.externalId !== null) await setExternalIdRow(trx, c.systemCode, added, w.externalId);
      return added;
    });
  } catch (e) {
    if (isExternalIdClash(e)) throw externalIdTaken();
    // Two clients adding the same username at once: the unique index decides.
    if (isUniqueViolation(e)) throw refusal({ username: 'username.taken' }, t);
    throw e;
  }
  await scim(() => setActive(deps, c, id, w.active, true, ip, t));
  return getUser(deps, c, base, String(id));
}

/**
 * The fields (updateAccount), the system's externalId, then `active` (setAccountState): each step
 * its own transaction. The first that writes carries the client's If-Match under the row lock;
 * each later one, the version the step before it left (so nothing slipped in between). The fields
 * go first: a refusal there leaves everything as it was.
 */
async function replaceWith(deps: Deps, c: ScimCaller, base: string, current: Json, next: Json, ifMatch: string | undefined, ip: string | null, t: Translate): Promise<Json> {
  const id = Number(current.id);
  const w = userInput(next);
  if (w.userName !== undefined && normaliseUsername(w.userName) !== normaliseUsername(String(current.userName))) {
    throw new ScimError(400, 'mutability', 'userName cannot be changed');
  }
  const externalIdChanges = w.externalId !== ((current.externalId as string | undefined) ?? null);
  if (externalIdChanges) await checkExternalId(deps, c, w.externalId, id);
  let expected = ifMatch;
  const wrote = async (changed: boolean) => {
    if (changed && expected !== undefined && expected.trim() !== '*') expected = ((await getUser(deps, c, base, String(id))).meta as Json).version as string;
  };
  const r = await scim(() => updateAccount(deps, c.actor, id, w.input, ip, versionUnderLock(deps, c, base, id, expected)));
  if (!r.ok) throw refusal(r.errors, t, r.domains);
  await wrote(r.value.changed.length > 0);
  if (externalIdChanges) {
    const guard = versionUnderLock(deps, c, base, id, expected);
    try {
      await deps.db.transaction().execute(async (trx) => { await guard?.(trx); await setExternalIdRow(trx, c.systemCode, id, w.externalId); });
    } catch (e) { throw isExternalIdClash(e) ? externalIdTaken() : e; }
    await wrote(true);
  }
  await scim(() => setActive(deps, c, id, w.active, current.active as boolean, ip, t, versionUnderLock(deps, c, base, id, expected)));
  return getUser(deps, c, base, String(id));
}

/** PUT /Users/{id}: the whole representation; attributes left out are cleared. */
export async function replaceUser(deps: Deps, c: ScimCaller, base: string, id: string, body: Json, ifMatch: string | undefined, ip: string | null, t: Translate): Promise<Json> {
  const current = await getUser(deps, c, base, id);
  checkVersion(current, ifMatch);
  return replaceWith(deps, c, base, current, body, ifMatch, ip, t);
}

/** PATCH /Users/{id}: the operations on the current representation, then the same path as PUT. */
export async function patchUser(deps: Deps, c: ScimCaller, base: string, id: string, ops: PatchOperation[], ifMatch: string | undefined, ip: string | null, t: Translate): Promise<Json> {
  const current = await getUser(deps, c, base, id);
  checkVersion(current, ifMatch);
  return replaceWith(deps, c, base, current, reconcileNames(current, applyPatch(current, ops, CORE_USER)), ifMatch, ip, t);
}

/** DELETE /Users/{id}: the irreversible delete of the admin API (ADM-5, ACC-3). */
export async function deleteUser(deps: Deps, c: ScimCaller, base: string, id: string, ifMatch: string | undefined, ip: string | null, t: Translate): Promise<void> {
  const current = await getUser(deps, c, base, id);
  checkVersion(current, ifMatch);
  const r = await scim(() => deleteAccounts(deps, c.actor, [Number(current.id)], ip, versionUnderLock(deps, c, base, Number(current.id), ifMatch)));
  if (!r.ok) throw stateRefusal(r.error, t);
}
