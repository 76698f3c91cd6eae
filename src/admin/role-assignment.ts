// 角色設定 (ADM-5, ADM-7): which roles an administrator may give an account, and setting them.
// A role is grantable when one grant covers both the account's unit and the role's system
// category (authorize 'role.assign'); roles held outside those categories are shown, never touched.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { HttpError } from '../platform/http/errors.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { accountFor } from './accounts.ts';

export interface RoleChoice { code: string; nameZh: string; nameEn: string; systemCode: string; systemZh: string; systemEn: string; category: string; held: boolean }

async function allRoles(deps: Deps) {
  return deps.db.selectFrom('roles as r').innerJoin('application_systems as s', 's.code', 'r.system_code')
    .select(['r.code', 'r.name_zh', 'r.name_en', 'r.system_code', 's.name_zh as system_zh', 's.name_en as system_en', 's.category'])
    .orderBy('s.category').orderBy('r.system_code').orderBy('r.code').execute();
}

export type RoleName = Pick<RoleChoice, 'code' | 'nameZh' | 'nameEn' | 'systemZh' | 'systemEn'>;

/** The roles an account holds, with their systems' names, for pages (issue 9 item 18: names, not codes). */
export async function heldRoleNames(deps: Deps, accountId: number): Promise<RoleName[]> {
  const rows = await deps.db.selectFrom('role_grants as g').innerJoin('roles as r', 'r.code', 'g.role_code').innerJoin('application_systems as s', 's.code', 'r.system_code')
    .select(['r.code', 'r.name_zh', 'r.name_en', 's.name_zh as system_zh', 's.name_en as system_en'])
    .where('g.account_id', '=', accountId).orderBy('r.code').execute();
  return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, systemZh: r.system_zh, systemEn: r.system_en }));
}

/** The roles the actor may give or take on this account, and the other roles it holds. */
export async function roleChoices(deps: Deps, actor: Actor, accountId: number) {
  const a = await accountFor(deps, actor, accountId, 'account.view');
  const [roles, heldRows] = await Promise.all([
    allRoles(deps),
    deps.db.selectFrom('role_grants').select('role_code').where('account_id', '=', a.id).execute(),
  ]);
  const held = new Set(heldRows.map((r) => r.role_code));
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
export async function setRoles(deps: Deps, actor: Actor, accountId: number, wanted: string[], ip: string | null): Promise<{ added: string[]; removed: string[] }> {
  const { account: a, grantable } = await roleChoices(deps, actor, accountId);
  const known = new Map((await allRoles(deps)).map((r) => [r.code, r.category]));
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
    if (added.length) {
      await trx.insertInto('role_grants').values(added.map((role_code) => ({ account_id: a.id, role_code, granted_by: actor.accountId, granted_at: now })))
        .onConflict((oc) => oc.columns(['account_id', 'role_code']).doNothing()).execute();
    }
    if (removed.length) await trx.deleteFrom('role_grants').where('account_id', '=', a.id).where('role_code', 'in', removed).execute();
    await audit(trx, now, {
      actor: actor.accountId, action: 'role.set', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip, details: { added, removed },
    });
  });
  return { added, removed };
}
