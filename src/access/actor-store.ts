// SQL behind actor loading (ADM-1, INC-8): an account's administration grants and incident roles.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { incidentRoleOf, type IncidentRoleHeld } from './incident-rules.ts';
import type { Grant, GrantKind } from './authorize.ts';

export async function grantsOf(db: Db, accountId: number): Promise<Grant[]> {
  const rows = await db.selectFrom('admin_grants').select(['kind', 'jurisdiction_oid', 'categories'])
    .where('account_id', '=', accountId).execute();
  return rows.map((r) => ({ kind: r.kind as GrantKind, jurisdictionOid: r.jurisdiction_oid, categories: r.categories }));
}

/**
 * The incident system's roles the account holds (INC-8), each for the agency of the account's unit:
 * the nearest organisation at or above the unit that is not itself a unit.
 */
export async function incidentRolesOf(db: Db, accountId: number): Promise<IncidentRoleHeld[]> {
  const rows = await db.selectFrom('role_grants as rg').innerJoin('accounts as a', 'a.id', 'rg.account_id')
    .innerJoin('roles as r', 'r.code', 'rg.role_code')
    .select(['rg.role_code', 'a.unit_oid', sql<string | null>`(SELECT o.oid FROM orgs o WHERE o.kind <> 'unit'
      AND (o.oid = a.unit_oid OR a.unit_oid LIKE o.oid || '.%') ORDER BY length(o.oid) DESC LIMIT 1)`.as('agency_oid')])
    .where('rg.account_id', '=', accountId).where('r.system_code', '=', 'incidents').where('a.state', '=', 'enabled').execute();
  return rows.flatMap((r) => {
    const role = incidentRoleOf(r.role_code);
    return role ? [{ role, orgOid: r.agency_oid ?? r.unit_oid }] : [];
  });
}
