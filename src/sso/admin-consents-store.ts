// SQL of the consent report (SSO-3): the accounts inside a scope holding a role in a system, with
// their consent to it if any; counts and one page, filtered by status (admin-consents.ts decides the scope).
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { type Scope } from '../access/authorize.ts';
import { withinScope } from '../access/jurisdiction-sql.ts';

export type ConsentFilter = 'all' | 'consented' | 'pending';

/** How many holders, how many consented, how many match `status`, and the page's rows (by unit, then username). */
export async function consentReportRows(db: Db, code: string, scope: Scope, status: ConsentFilter, page: number, pageSize: number) {
  const holders = db.selectFrom('accounts as a')
    .leftJoin('sso_consents as c', (j) => j.onRef('c.account_id', '=', 'a.id').on('c.system_code', '=', code))
    .where('a.state', '!=', 'deleted')
    .where(withinScope('a.unit_oid', scope))
    .where((eb) => eb.exists(eb.selectFrom('role_grants as rg').innerJoin('roles as r', 'r.code', 'rg.role_code')
      .select(sql.lit(1).as('one')).whereRef('rg.account_id', '=', 'a.id').where('r.system_code', '=', code)));
  const filtered = status === 'consented' ? holders.where('c.account_id', 'is not', null)
    : status === 'pending' ? holders.where('c.account_id', 'is', null) : holders;
  const [counts, total, rows] = await Promise.all([
    holders.select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('c.account_id').as('consented')]).executeTakeFirstOrThrow(),
    filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    filtered.select(['a.id', 'a.username', 'a.name', 'a.unit_oid', 'c.granted_at', 'c.claims'])
      .orderBy(sql`a.unit_oid COLLATE "C"`).orderBy('a.username').limit(pageSize).offset((page - 1) * pageSize).execute(),
  ]);
  return { holders: Number(counts.n), consented: Number(counts.consented), total: Number(total.n), rows };
}
