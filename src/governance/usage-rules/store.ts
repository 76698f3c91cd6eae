// SQL of account usage rules (seed 002 五(七)): a subtree's versions, publishing the next version,
// recording acceptances, and how many accounts of the subtree accepted its current version.
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { withinJurisdiction } from '../../access/jurisdiction-sql.ts';

export async function versionsOf(db: Db, oid: string) {
  const rows = await db.selectFrom('usage_rules').selectAll().where('oid', '=', oid).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Publishes the subtree's next version; returns its id and number. */
export async function insertNextVersion(trx: Db, r: { oid: string; title: string; body: string; now: Date; by: number }): Promise<{ id: number; version: number }> {
  const row = await sql<{ id: number; version: number }>`
    INSERT INTO usage_rules (oid, version, title, body, published_at, published_by)
    VALUES (${r.oid}, (SELECT COALESCE(max(version), 0) + 1 FROM usage_rules WHERE oid = ${r.oid}), ${r.title}, ${r.body}, ${r.now}, ${r.by})
    RETURNING id, version`.execute(trx);
  return { id: Number(row.rows[0].id), version: Number(row.rows[0].version) };
}

/** Records the account's acceptance of these rule versions (again: no change). */
export async function insertAcceptances(trx: Db, accountId: number, ruleIds: number[], now: Date): Promise<void> {
  if (ruleIds.length === 0) return;
  await trx.insertInto('usage_rule_acceptances').values(ruleIds.map((rule_id) => ({ account_id: accountId, rule_id, accepted_at: now })))
    .onConflict((oc) => oc.columns(['account_id', 'rule_id']).doNothing()).execute();
}

/** Accounts that can sign in under the subtree, and how many of them accepted rule `ruleId`. */
export async function acceptanceCount(db: Db, oid: string, ruleId: number): Promise<{ accounts: number; accepted: number }> {
  const r = await db.selectFrom('accounts as a').where(withinJurisdiction('a.unit_oid', oid)).where('a.state', 'in', ['enabled', 'not_activated'])
    .select((eb) => [eb.fn.countAll<number>().as('accounts'),
      eb.fn.count<number>(sql`x.account_id`).as('accepted')])
    .leftJoin('usage_rule_acceptances as x', (j) => j.onRef('x.account_id', '=', 'a.id').on('x.rule_id', '=', ruleId))
    .executeTakeFirstOrThrow();
  return { accounts: Number(r.accounts), accepted: Number(r.accepted) };
}
