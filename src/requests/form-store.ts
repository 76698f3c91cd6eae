// What the requester's form pages read (REQ-2, REQ-3): the 權限申請 table with how many could
// review each system's request, and the choices of the other request forms. Queries only, so the
// route file holds none (issue 10).
import type { Db } from '../db/index.ts';
import type { Lang } from '../platform/web/messages.ts';
import { countApprovers } from './engine.ts';
import { permissionTable, type PermissionRow } from './queries.ts';
import { categoriesInOrder } from '../sso/systems/store.ts';

/** The account's permission rows, each with how many administrators could review a request for its system (ADM-6 / seed 000). */
export async function permissionRows(db: Db, accountId: number): Promise<(PermissionRow & { approvers: number })[]> {
  const me = await db.selectFrom('accounts').select(['id', 'unit_oid']).where('id', '=', accountId).executeTakeFirstOrThrow();
  const rows = await permissionTable(db, me.id);
  const counts = new Map<string, number>();
  for (const s of new Set(rows.map((r) => r.systemCode))) counts.set(s, await countApprovers(db, { type: 'permission_add', orgOid: me.unit_oid, systems: [s], exclude: [me.id] }));
  return rows.map((r) => ({ ...r, approvers: counts.get(r.systemCode) ?? 0 }));
}

export interface FormChoices {
  roles: { code: string; label: string }[];
  categories: string[];
  grants: { id: number; label: string }[];
}

/** The choices of the request forms: every role (labelled by system), the system categories, and the account's own registration-administrator grants. */
export async function formChoices(db: Db, accountId: number, lang: Lang): Promise<FormChoices> {
  const [roles, categories, grants] = await Promise.all([
    db.selectFrom('roles as r').innerJoin('application_systems as s', 's.code', 'r.system_code')
      .select(['r.code', 'r.name_zh', 'r.name_en', 's.name_zh as sz', 's.name_en as se']).orderBy('s.category').orderBy('r.code').execute(),
    categoriesInOrder(db),
    db.selectFrom('admin_grants').select(['id', 'jurisdiction_oid', 'categories']).where('account_id', '=', accountId).where('kind', '=', 'registration_admin').orderBy('id').execute(),
  ]);
  const en = lang === 'en';
  return {
    roles: roles.map((r) => ({ code: r.code, label: en ? `${r.se} — ${r.name_en}` : `${r.sz}－${r.name_zh}` })),
    categories: ['*', ...categories],
    grants: grants.map((g) => ({ id: g.id, label: `${g.jurisdiction_oid}（${g.categories.join(', ')}）` })),
  };
}
