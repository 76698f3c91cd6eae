// SSO-6 SSO-1 ADM-7: SCIM Group POST and DELETE — what they mean for a system's roles. POST creates
// a role of the token's system (so inside the token's category), owned by the token's subtree; its
// code is the displayName. DELETE removes only a role created through SCIM by a token whose subtree
// covers the owner's, and only while nobody outside the caller's subtree holds it (their grants
// are beyond the caller); roles of the central registry (SSO-1) are removed there, never by SCIM.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { authorize, scopeFor } from '../access/authorize.ts';
import { isWithin } from '../orgs/oid.ts';
import { isUniqueViolation } from '../admin/accounts.ts';
import { ScimError, invalidValue } from './errors.ts';
import { deleteRoleRows, heldOutside, insertScimRole, roleCodeExists, scimRoleOwner, visibleAccountIds } from './group-queries.ts';
import { getGroup, groupVersionUnderLock, memberIds, setMembers } from './groups.ts';
import { prop, type Json } from './user-resource.ts';
import { checkVersion } from './etag.ts';
import type { ScimCaller } from './tokens.ts';

/**
 * The role code a Group POST asks for (pure): the displayName, lower-cased, letters, digits and
 * `_` only; the system's code and `_` are put in front when missing (`auditor` → `csm_auditor`),
 * so a SCIM client can never name a role of another system.
 */
export function roleCodeFor(systemCode: string, displayName: unknown): string {
  if (typeof displayName !== 'string' || !displayName.trim()) throw invalidValue('displayName is required');
  const code = displayName.trim().toLowerCase();
  if (!/^[a-z0-9_]{1,60}$/.test(code)) throw invalidValue('displayName is the role code: letters, digits and "_" only (at most 60)');
  return code.startsWith(systemCode + '_') ? code : `${systemCode}_${code}`;
}

const notDeletable = () => new ScimError(403, undefined,
  'This group cannot be deleted with this token: only a group created through SCIM under this token\'s subtree, and held by nobody outside it, can be');

/** POST /Groups: a new role of the token's system, then its members (inside the subtree, through role assignment). */
export async function createGroup(deps: Deps, c: ScimCaller, base: string, body: Json, ip: string | null): Promise<Json> {
  const code = roleCodeFor(c.systemCode, prop(body, 'displayName'));
  if (!authorize(c.actor, 'role.assign', { oid: c.root, category: c.category })) throw new ScimError(403, undefined, 'Not allowed');
  const wanted = memberIds(body);
  const ids = [...wanted].map((id) => (/^[1-9][0-9]{0,9}$/.test(id) ? Number(id) : NaN));
  const visible = await visibleAccountIds(deps.db, scopeFor(c.actor, 'account.view'), ids.filter((n) => Number.isSafeInteger(n) && n <= 2_147_483_647));
  if (ids.some((n) => !visible.has(n))) throw invalidValue('A member is not a user of this service');
  if (await roleCodeExists(deps.db, code)) throw new ScimError(409, 'uniqueness', `A group named ${code} exists`);
  const now = deps.clock.now();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertScimRole(trx, { code, systemCode: c.systemCode, name: code, ownerOid: c.root, tokenId: c.tokenId, createdBy: c.actor.accountId, now });
      await audit(trx, now, {
        actor: c.actor.accountId, action: 'system.role.create', targetType: 'system', targetId: c.systemCode, orgOid: c.root, ip,
        details: { system: c.systemCode, role: code, via: 'scim', tokenId: c.tokenId },
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new ScimError(409, 'uniqueness', `A group named ${code} exists`);
    throw e;
  }
  if (wanted.size) await setMembers(deps, c, await getGroup(deps, c, base, code), wanted, ip);
  return getGroup(deps, c, base, code);
}

/** DELETE /Groups/{id}: the role and its grants, when this token may (see above); else 403 and nothing changes. */
export async function deleteGroup(deps: Deps, c: ScimCaller, base: string, id: string, ifMatch: string | undefined, ip: string | null): Promise<void> {
  const current = await getGroup(deps, c, base, id);
  checkVersion(current, ifMatch);
  const owner = await scimRoleOwner(deps.db, id);
  if (!owner || !isWithin(owner, c.root) || await heldOutside(deps.db, scopeFor(c.actor, 'account.view'), id)) throw notDeletable();
  const guard = groupVersionUnderLock(c, base, id, ifMatch);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await guard?.(trx);
    const holders = await deleteRoleRows(trx, id);
    for (const h of holders) {
      await audit(trx, now, { actor: c.actor.accountId, action: 'role.remove', targetType: 'account', targetId: h.id, orgOid: h.unitOid, ip, details: { removed: [id], via: 'scim.group.delete' } });
    }
    await audit(trx, now, {
      actor: c.actor.accountId, action: 'system.role.delete', targetType: 'system', targetId: c.systemCode, orgOid: c.root, ip,
      details: { system: c.systemCode, role: id, holders: holders.length, via: 'scim', tokenId: c.tokenId },
    });
  });
}
