// 機關各系統管理者列表 (ADM-6): for one application system, the administrators who may grant its
// roles (registration administrators and main-account holders whose categories cover the
// system's category), per agency (the grant's jurisdiction). Only grants whose jurisdiction lies
// inside the caller's own are listed: the predicate is in the SQL, like every account list.
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/http/errors.ts';
import { scopeFor, scopeIsEmpty, type Actor } from '../../access/authorize.ts';
import { findSystem, grantingAdministrators } from './store.ts';

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
  const system = await findSystem(deps.db, systemCode);
  if (!system) throw notFound();
  const rows = await grantingAdministrators(deps.db, GRANTING_KINDS, system.category, scope);
  const admins: SystemAdmin[] = rows.map((r) => ({
    jurisdictionOid: r.jurisdiction_oid, agencyName: r.agency_name, kind: r.kind, accountId: r.id, name: r.name, title: r.title,
    department: r.department, officePhone: r.office_phone, officeExt: r.office_ext, email: r.email,
  }));
  return { system: { code: system.code, nameZh: system.name_zh, nameEn: system.name_en, category: system.category }, admins };
}
