// SQL of the administrators' dashboard (OPS-7): aggregates only (counts grouped in the database,
// never rows loaded and counted), each limited to the caller's scope by the jurisdiction predicate.
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Scope } from '../../access/authorize.ts';
import { withinScope } from '../../access/jurisdiction-sql.ts';

export const SIGN_IN_ACTIONS = { password: 'auth.login.password', certificate: 'auth.login.certificate', passkey: 'auth.login.passkey' } as const;
export type SignInMethod = keyof typeof SIGN_IN_ACTIONS;

export async function accountsByState(db: Db, scope: Scope): Promise<{ state: string; n: number }[]> {
  const rows = await db.selectFrom('accounts as a').where(withinScope('a.unit_oid', scope))
    .groupBy('a.state').select((eb) => ['a.state', eb.fn.countAll<number>().as('n')]).execute();
  return rows.map((r) => ({ state: r.state, n: Number(r.n) }));
}

/** Successful sign-ins per Taipei day and method since `since`, of accounts whose unit is in scope. */
export async function signInsPerDay(db: Db, scope: Scope, since: Date): Promise<{ day: string; action: string; n: number }[]> {
  const day = sql<string>`to_char((e.at + interval '8 hours')::date, 'YYYY-MM-DD')`;
  const rows = await db.selectFrom('audit_events as e')
    .where('e.action', 'in', Object.values(SIGN_IN_ACTIONS)).where('e.result', '=', 'ok').where('e.at', '>=', since)
    .where(sql<SqlBool>`e.org_oid IS NOT NULL`).where(withinScope(sql<string>`e.org_oid`, scope))
    .groupBy([day, 'e.action']).select((eb) => [day.as('day'), 'e.action', eb.fn.countAll<number>().as('n')]).execute();
  return rows.map((r) => ({ day: r.day, action: r.action, n: Number(r.n) }));
}

/** Pending requests of organisations in scope by age: under 1 day, 1–3, 3–7, over 7 days. */
export async function pendingRequestsByAge(db: Db, scope: Scope, now: Date): Promise<number[]> {
  const d = (n: number) => new Date(now.getTime() - n * 86_400_000);
  const bucket = sql<number>`CASE WHEN r.submitted_at > ${d(1)} THEN 0 WHEN r.submitted_at > ${d(3)} THEN 1 WHEN r.submitted_at > ${d(7)} THEN 2 ELSE 3 END`;
  const rows = await db.selectFrom('requests as r').where('r.status', '=', 'pending').where(withinScope('r.org_oid', scope))
    // By position: the bucket's bound parameters would not match a repeated expression.
    .groupBy(sql`1`).select((eb) => [bucket.as('bucket'), eb.fn.countAll<number>().as('n')]).execute();
  const out = [0, 0, 0, 0];
  for (const r of rows) out[Number(r.bucket)] = Number(r.n);
  return out;
}
