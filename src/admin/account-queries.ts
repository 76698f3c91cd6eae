// SQL behind reading accounts as an administrator (ADM-2, ADM-4) and the account CSV export
// (issue 3): the jurisdiction is part of every query (withinScope), so rows, counts and pages
// never include an account outside it; deleted accounts are never read.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Scope } from '../access/authorize.ts';
import { withinJurisdiction, withinScope } from '../access/jurisdiction-sql.ts';

/** ILIKE treats % and _ as wildcards and \ as the escape: a keyword matches only itself. */
const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => '\\' + c);

/** What a search matches: a unit's subtree, a name keyword, a national ID's blind index. */
export interface AccountMatch { unit?: string; q?: string; nationalIdHmac?: string }

/**
 * The live accounts inside `scope` that match, counted up to `cap` + 1 (enough to tell "exactly n"
 * from "more than the cap"), and one page of them by unit (byte order) and id.
 */
export async function searchAccountRows(db: Db, scope: Scope, m: AccountMatch, cap: number, limit: number, offset: number) {
  let q = db.selectFrom('accounts')
    .where('state', '!=', 'deleted')
    .where(withinScope('unit_oid', scope));
  if (m.unit) q = q.where(withinJurisdiction('unit_oid', m.unit));
  if (m.q) {
    // One or two characters (most Chinese name keywords): the indexed grams; longer: pg_trgm.
    const kw = m.q.toLowerCase();
    q = [...kw].length <= 2 ? q.where(sql<boolean>`name_grams @> ARRAY[${kw}]::text[]`)
      : q.where('name', 'ilike', `%${likeEscape(m.q)}%`);
  }
  if (m.nationalIdHmac) q = q.where('national_id_hmac', '=', m.nationalIdHmac);

  const [count, rows] = await Promise.all([
    db.selectFrom(q.select(sql<number>`1`.as('one')).limit(cap + 1).as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.select(['id', 'username', 'name', 'unit_oid', 'state', 'activated_at', 'national_id_enc'])
      // GREATEST ignores NULLs: the latest login by any method, or NULL when none happened.
      .select(sql<Date | null>`GREATEST(last_password_login_at, last_certificate_login_at, last_passkey_login_at)`.as('last_login_at'))
      .orderBy(sql`unit_oid COLLATE "C"`).orderBy('id')
      .limit(limit).offset(offset)
      .execute(),
  ]);
  return { matches: Number(count.n), rows };
}

/** A live account with its unit's name. */
export async function findLiveAccountWithUnit(db: Db, id: number) {
  return db.selectFrom('accounts as a').leftJoin('orgs as o', 'o.oid', 'a.unit_oid')
    .selectAll('a').select('o.name as unit_name')
    .where('a.id', '=', id).where('a.state', '!=', 'deleted').executeTakeFirst();
}

/** The live accounts inside `scope` with the export's columns (national ID sealed), by unit and id. */
export async function accountExportRows(db: Db, scope: Scope) {
  return db.selectFrom('accounts')
    .select(['username', 'name', 'national_id_enc', 'birth_month', 'birth_day', 'email', 'mobile', 'title', 'department', 'office_phone', 'office_ext', 'unit_oid', 'state'])
    .where('state', '!=', 'deleted').where(withinScope('unit_oid', scope))
    .orderBy('unit_oid').orderBy('id').execute();
}
