// SSO-6 ADM-5 ADM-7: an application system's roles as SCIM Groups. Members are the role's holders
// inside the token's subtree; adding or removing one goes through the admin API's role assignment
// (setRoles) with the token's narrowed actor, so only roles of the token's category move, only for
// accounts inside its subtree, audited as role.set.
import type { Deps } from '../platform/deps.ts';
import type { Db } from '../db/index.ts';
import type { TxGuard } from '../admin/accounts.ts';
import { HttpError } from '../platform/http/errors.ts';
import { scopeFor, type Scope } from '../access/authorize.ts';
import { roleChoices, setRoles } from '../admin/role-assignment.ts';
import { ScimError, invalidValue, scimNotFound } from './errors.ts';
import { parseFilter } from './filter/parse.ts';
import { compileFilter, SQL_TRUE } from './filter/filter-sql.ts';
import { countRoles, GROUP_ATTRS, lockRole, roleByCode, roleHolders, roleRows, visibleAccountIds } from './group-queries.ts';
import { applyPatch, type PatchOperation } from './patch.ts';
import { versionOf, prop, type Json } from './user-resource.ts';
import { CORE_GROUP, MAX_RESULTS } from './schemas.ts';
import type { ScimCaller } from './tokens.ts';
import { checkVersion } from './etag.ts';
import type { ListQuery } from './users.ts';

const viewScope = (c: ScimCaller): Scope => scopeFor(c.actor, 'account.view');

async function groupResources(db: Db, c: ScimCaller, base: string, roles: { code: string; name_zh: string }[]): Promise<Json[]> {
  const holders = await roleHolders(db, viewScope(c), roles.map((r) => r.code));
  return roles.map((r) => {
    const body: Json = {
      schemas: [CORE_GROUP], id: r.code, displayName: r.code,
      members: holders.filter((h) => h.role_code === r.code).map((h) => ({ value: String(h.id), display: h.name, $ref: `${base}/Users/${h.id}`, type: 'User' })),
    };
    return { ...body, meta: { resourceType: 'Group', location: `${base}/Groups/${encodeURIComponent(r.code)}`, version: versionOf(body) } };
  });
}

export async function listGroups(deps: Deps, c: ScimCaller, base: string, q: ListQuery) {
  const startIndex = Math.max(1, Math.trunc(q.startIndex ?? 1));
  const count = Math.min(MAX_RESULTS, Math.max(0, Math.trunc(q.count ?? MAX_RESULTS)));
  const where = q.filter?.trim() ? compileFilter(parseFilter(q.filter), GROUP_ATTRS) : SQL_TRUE;
  const total = await countRoles(deps.db, c.systemCode, where);
  const roles = count === 0 ? [] : await roleRows(deps.db, c.systemCode, where, count, startIndex - 1);
  return { total, startIndex, resources: await groupResources(deps.db, c, base, roles) };
}

export async function getGroup(deps: Deps, c: ScimCaller, base: string, id: string): Promise<Json> {
  const roles = await roleByCode(deps.db, c.systemCode, id);
  if (!roles.length) throw scimNotFound();
  return (await groupResources(deps.db, c, base, roles))[0];
}

export const memberIds = (g: Json): Set<string> => {
  const m = prop(g, 'members');
  if (m === undefined || m === null) return new Set();
  if (!Array.isArray(m)) throw invalidValue("'members' must be a list");
  return new Set(m.map((e) => String(e && typeof e === 'object' ? prop(e, 'value') : e)));
};

/**
 * If-Match inside the first member change's transaction: the role's row locked (FOR UPDATE), the
 * group read there and its version compared. Of two changes sent with one version, the second
 * waits for the lock and then finds another version: 412, nothing changed.
 */
export function groupVersionUnderLock(c: ScimCaller, base: string, code: string, ifMatch: string | undefined): TxGuard | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  return async (trx) => {
    const roles = await lockRole(trx, c.systemCode, code);
    if (!roles.length) throw scimNotFound();
    checkVersion((await groupResources(trx, c, base, roles))[0], ifMatch);
  };
}

/**
 * Makes the role's holders inside the subtree exactly `wanted` (by account id), through setRoles:
 * one transaction per member (the admin use case's); the first one carries the If-Match guard.
 */
export async function setMembers(deps: Deps, c: ScimCaller, current: Json, wanted: Set<string>, ip: string | null, guard?: TxGuard): Promise<void> {
  const role = String(current.id);
  const had = memberIds(current);
  const added = [...wanted].filter((id) => !had.has(id));
  const removed = [...had].filter((id) => !wanted.has(id));
  const addIds = added.map((id) => (/^[1-9][0-9]{0,9}$/.test(id) ? Number(id) : NaN));
  // Every new member must be a live account inside the token's subtree, before anything changes.
  const visible = await visibleAccountIds(deps.db, viewScope(c), addIds.filter((n) => Number.isSafeInteger(n) && n <= 2_147_483_647));
  if (addIds.some((n) => !visible.has(n))) throw invalidValue('A member is not a user of this service');
  try {
    for (const id of [...addIds, ...removed.map(Number)]) {
      const choice = await roleChoices(deps, c.actor, id);
      const held = new Set(choice.grantable.filter((r) => r.held).map((r) => r.code));
      if (wanted.has(String(id))) held.add(role); else held.delete(role);
      const r = await setRoles(deps, c.actor, id, [...held], ip, guard);
      if (r.added.length || r.removed.length) guard = undefined;
    }
  } catch (e) {
    if (e instanceof HttpError) throw e.status === 404 ? invalidValue('A member is not a user of this service') : new ScimError(403, undefined, 'Not allowed');
    throw e;
  }
}


function sameName(current: Json, next: Json): void {
  const name = prop(next, 'displayName');
  if (name !== undefined && name !== current.displayName) throw new ScimError(400, 'mutability', 'displayName is the role code and cannot be changed');
}

export async function patchGroup(deps: Deps, c: ScimCaller, base: string, id: string, ops: PatchOperation[], ifMatch: string | undefined, ip: string | null): Promise<Json> {
  const current = await getGroup(deps, c, base, id);
  checkVersion(current, ifMatch);
  const next = applyPatch(current, ops, CORE_GROUP);
  sameName(current, next);
  await setMembers(deps, c, current, memberIds(next), ip, groupVersionUnderLock(c, base, id, ifMatch));
  return getGroup(deps, c, base, id);
}

export async function replaceGroup(deps: Deps, c: ScimCaller, base: string, id: string, body: Json, ifMatch: string | undefined, ip: string | null): Promise<Json> {
  const current = await getGroup(deps, c, base, id);
  checkVersion(current, ifMatch);
  sameName(current, body);
  await setMembers(deps, c, current, memberIds(body), ip, groupVersionUnderLock(c, base, id, ifMatch));
  return getGroup(deps, c, base, id);
}
