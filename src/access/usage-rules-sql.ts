// Account usage rules (seed 002 五(七)) in SQL: the current version of each subtree's rules is the
// highest; an account owes an acknowledgement of every current version whose subtree covers its
// unit and that it has not accepted. The session carries the answer from sign-in (session-store.ts),
// so requests do not ask again; the page that shows the rules asks with rulesOwed.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../db/index.ts';
import { oidWithin } from './jurisdiction-sql.ts';

/** The current rules (highest version per subtree) covering `unitOid`, and whether `accountId` accepted each. */
export async function currentRulesFor(db: Db, accountId: number, unitOid: string) {
  const rows = await db.selectFrom('usage_rules as r')
    .leftJoin('orgs as o', 'o.oid', 'r.oid')
    .select(['r.id', 'r.oid', 'o.name as org_name', 'r.version', 'r.title', 'r.body', 'r.published_at'])
    .select((eb) => eb.selectFrom('usage_rule_acceptances as x').select('x.accepted_at')
      .whereRef('x.rule_id', '=', 'r.id').where('x.account_id', '=', accountId).as('accepted_at'))
    .where(oidWithin(sql.val(unitOid), sql.ref('r.oid')))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('usage_rules as newer').select(sql.lit(1).as('one'))
      .whereRef('newer.oid', '=', 'r.oid').whereRef('newer.version', '>', 'r.version'))))
    .orderBy(sql`length(r.oid)`).orderBy('r.oid').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), accepted_at: r.accepted_at ? new Date(r.accepted_at) : null }));
}

/** True when the account (its id and unit as SQL expressions) owes an acknowledgement. */
export function owesRules(accountId: Expression<number>, unitOid: Expression<string>): Expression<SqlBool> {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM usage_rules r
    WHERE ${oidWithin(unitOid, sql.ref('r.oid'))}
      AND NOT EXISTS (SELECT 1 FROM usage_rules newer WHERE newer.oid = r.oid AND newer.version > r.version)
      AND NOT EXISTS (SELECT 1 FROM usage_rule_acceptances x WHERE x.rule_id = r.id AND x.account_id = ${accountId}))`;
}
