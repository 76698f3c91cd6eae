// INC-8: SQL of the competent authority on the organisation tree: an agency and its ancestors with
// their incident settings, the agency of a unit, and the central authority's settings.
import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Db } from '../db/index.ts';
import type { AuthorityNode } from './rules.ts';

/** SQL: the agency of a unit — the nearest organisation at or above it that is not a unit. */
export function agencyOfSql(unitColumn: string): RawBuilder<string | null> {
  const u: Expression<string> = sql.ref(unitColumn);
  return sql<string | null>`(SELECT o.oid FROM orgs o WHERE o.kind <> 'unit' AND (o.oid = ${u} OR ${u} LIKE o.oid || '.%') ORDER BY length(o.oid) DESC LIMIT 1)`;
}

/** The organisation and every registered ancestor, with their incident settings. */
export async function authorityNodes(db: Db, oid: string): Promise<AuthorityNode[]> {
  const rows = await db.selectFrom('orgs as o').leftJoin('org_incident_settings as s', 's.oid', 'o.oid')
    .select(['o.oid', 's.is_competent_authority', 's.competent_authority_oid'])
    .where((eb) => eb.or([eb('o.oid', '=', oid), eb(sql.val(oid), 'like', sql<string>`o.oid || '.%'`)]))
    .execute();
  return rows.map((r) => ({ oid: r.oid, isCompetentAuthority: r.is_competent_authority ?? false, explicitAuthority: r.competent_authority_oid ?? null }));
}

export async function orgName(db: Db, oid: string): Promise<{ oid: string; name: string; kind: string } | undefined> {
  return db.selectFrom('orgs').select(['oid', 'name', 'kind']).where('oid', '=', oid).executeTakeFirst();
}

export async function authoritySettings(db: Db, oid: string) {
  return db.selectFrom('org_incident_settings').select(['is_competent_authority', 'competent_authority_oid']).where('oid', '=', oid).executeTakeFirst();
}

export async function saveAuthoritySettings(trx: Db, oid: string, v: { isCompetentAuthority: boolean; explicitAuthority: string | null }, now: Date): Promise<void> {
  await trx.insertInto('org_incident_settings')
    .values({ oid, is_competent_authority: v.isCompetentAuthority, competent_authority_oid: v.explicitAuthority, updated_at: now })
    .onConflict((oc) => oc.column('oid').doUpdateSet({ is_competent_authority: v.isCompetentAuthority, competent_authority_oid: v.explicitAuthority, updated_at: now }))
    .execute();
}

/** INC-9: the deadline profiles an agency may add to its incidents besides the default. */
export async function allowedProfilesOf(db: Db, oid: string): Promise<string[]> {
  const r = await db.selectFrom('org_incident_settings').select('allowed_profiles').where('oid', '=', oid).executeTakeFirst();
  return r?.allowed_profiles ?? [];
}

export async function saveAllowedProfiles(trx: Db, oid: string, profiles: string[], now: Date): Promise<void> {
  await trx.insertInto('org_incident_settings').values({ oid, allowed_profiles: profiles, updated_at: now })
    .onConflict((oc) => oc.column('oid').doUpdateSet({ allowed_profiles: profiles, updated_at: now })).execute();
}
