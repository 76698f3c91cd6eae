// 角色設定 (ADM-5, ADM-7): which roles an administrator may give an account, and setting them.
// A role is grantable when one grant covers both the account's unit and the role's system
// category (authorize 'role.assign'); roles held outside those categories are shown, never touched.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { HttpError } from '../platform/http/errors.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { heldRoles } from '../requests/role-store.ts';
import { accountFor, type TxGuard } from './accounts.ts';
import { giveRoles, heldRoleNameRows, rolesWithSystems, takeRoles } from './role-store.ts';

export interface RoleChoice { code: string; nameZh: string; nameEn: string; systemCode: string; systemZh: string; systemEn: string; category: string; held: boolean }

export type RoleName = Pick<RoleChoice, 'code' | 'nameZh' | 'nameEn' | 'systemZh' | 'systemEn'>;

/** The roles an account holds, with their systems' names, for pages (issue 9 item 18: names, not codes). */
export async function heldRoleNames(deps: Deps, accountId: number): Promise<RoleName[]> {
  const rows = await heldRoleNameRows(deps.db, accountId);
  return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, systemZh: r.system_zh, systemEn: r.system_en }));
}

/** The roles the actor may give or take on this account, and the other roles it holds. */
export async function roleChoices(deps: Deps, actor: Actor, accountId: number) {
  const a = await accountFor(deps, actor, accountId, 'account.view');
  const [roles, held] = await Promise.all([rolesWithSystems(deps.db), heldRoles(deps.db, a.id)]);
  const grantable: RoleChoice[] = roles.filter((r) => authorize(actor, 'role.assign', { oid: a.unit_oid, category: r.category })).map((r) => ({
    code: r.code, nameZh: r.name_zh, nameEn: r.name_en, systemCode: r.system_code, systemZh: r.system_zh, systemEn: r.system_en,
    category: r.category, held: held.has(r.code),
  }));
  const mine = new Set(grantable.map((r) => r.code));
  return { account: a, grantable, otherHeld: [...held].filter((c) => !mine.has(c)).sort() };
}

/**
 * Sets the account's roles among those the actor may grant: `wanted` is the full ticked list.
 * A role that does not exist is 404; one outside the actor's categories is 403 (the account is
 * visible to the caller, so this says nothing new), and nothing changes.
 */
export async function setRoles(deps: Deps, actor: Actor, accountId: number, wanted: string[], ip: string | null, guard?: TxGuard): Promise<{ added: string[]; removed: string[] }> {
  const { account: a, grantable } = await roleChoices(deps, actor, accountId);
  const known = new Map((await rolesWithSystems(deps.db)).map((r) => [r.code, r.category]));
  const want = new Set(wanted);
  for (const code of want) {
    const category = known.get(code);
    if (category === undefined) throw new HttpError(404, 'error.notFound');
    if (!authorize(actor, 'role.assign', { oid: a.unit_oid, category })) throw new HttpError(403, 'error.forbidden');
  }
  const added = grantable.filter((r) => want.has(r.code) && !r.held).map((r) => r.code);
  const removed = grantable.filter((r) => !want.has(r.code) && r.held).map((r) => r.code);
  if (added.length === 0 && removed.length === 0) return { added, removed };
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await guard?.(trx);
    if (added.length) await giveRoles(trx, a.id, added, actor.accountId, now);
    if (removed.length) await takeRoles(trx, a.id, removed);
    await audit(trx, now, {
      actor: actor.accountId, action: 'role.set', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip, details: { added, removed },
    });
  });
  return { added, removed };
}
