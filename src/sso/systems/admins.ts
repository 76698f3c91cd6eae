// 機關各系統管理者列表 (ADM-6): for one application system, the administrators who may grant its
// roles (registration administrators and main-account holders whose categories cover the
// system's category), per agency (the grant's jurisdiction). Only grants whose jurisdiction lies
// inside the caller's own are listed: the predicate is in the SQL, like every account list.
import { sql } from 'kysely';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/http/errors.ts';
import { scopeFor, scopeIsEmpty, withinScope, type Actor } from '../../access/authorize.ts';

export interface SystemAdmin {
  jurisdictionOid: string; agencyName: string | null; kind: string;
  accountId: number; name: string; title: string | null; department: string | null;
  officePhone: string | null; officeExt: string | null; email: string | null;
}

/** The grant kinds that give a system's roles. */
const GRANTING_KINDS = ['registration_admin', 'main_account'];

export async function systemAdministrators(deps: Deps, actor: Actor, systemCode: string) {
  const scope = scopeFor(actor, 'account.view');
  if (scopeIsEmpty(scope)) throw notFound();
  const system = await deps.db.selectFrom('application_systems').select(['code', 'name_zh', 'name_en', 'category'])
    .where('code', '=', systemCode).executeTakeFirst();
  if (!system) throw notFound();
  const rows = await deps.db.selectFrom('admin_grants as g').innerJoin('accounts as a', 'a.id', 'g.account_id')
    .leftJoin('orgs as o', 'o.oid', 'g.jurisdiction_oid')
    .select(['g.jurisdiction_oid', 'o.name as agency_name', 'g.kind', 'a.id', 'a.name', 'a.title', 'a.department', 'a.office_phone', 'a.office_ext', 'a.email'])
    .where('g.kind', 'in', GRANTING_KINDS)
    .where(sql<boolean>`(${system.category} = ANY(g.categories) OR '*' = ANY(g.categories))`)
    .where('a.state', 'in', ['enabled', 'not_activated'])
    .where(withinScope('g.jurisdiction_oid', scope))
    .orderBy('g.jurisdiction_oid').orderBy('a.name').orderBy('a.id')
    .execute();
  const admins: SystemAdmin[] = rows.map((r) => ({
    jurisdictionOid: r.jurisdiction_oid, agencyName: r.agency_name, kind: r.kind, accountId: r.id, name: r.name, title: r.title,
    department: r.department, officePhone: r.office_phone, officeExt: r.office_ext, email: r.email,
  }));
  return { system: { code: system.code, nameZh: system.name_zh, nameEn: system.name_en, category: system.category }, admins };
}
