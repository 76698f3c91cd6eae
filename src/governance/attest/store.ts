// GOV-3 holder attestation (seed 002: every account holder confirms their own account in the review,
// D-06-20): the SQL. A holder's open attestations are their items in open runs that ask for one;
// an answer is written on their own item only, while the run is open.
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../db/index.ts';

/** The holder's items in open runs that ask every holder to attest, newest run first. */
export async function openAttestations(db: Db, accountId: number) {
  const rows = await db.selectFrom('campaign_items as i').innerJoin('campaign_runs as r', 'r.id', 'i.run_id')
    .select(['i.run_id', 'i.username', 'i.name', 'i.unit_oid', 'i.unit_name', 'i.roles', 'i.grants', 'i.attestation', 'i.attestation_note', 'i.attested_at',
      'r.name as run_name', 'r.deadline_at', 'r.scope_oid'])
    .where('i.account_id', '=', accountId).where('r.state', '=', 'open').where('r.attestation', '=', true)
    .orderBy('i.run_id', 'desc').limit(20).execute();
  return rows.map((r) => ({ ...r, run_id: Number(r.run_id) }));
}

/** How many of the holder's attestations are still unanswered (the portal's notice). */
export async function owedCount(db: Db, accountId: number): Promise<number> {
  const r = await db.selectFrom('campaign_items as i').innerJoin('campaign_runs as r', 'r.id', 'i.run_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('i.account_id', '=', accountId).where('r.state', '=', 'open').where('r.attestation', '=', true).where('i.attestation', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Records the holder's answer on their own item of an open run; false when there is none (closed, not theirs). */
export async function recordAttestation(trx: Db, runId: number, accountId: number, a: { answer: 'confirmed' | 'reported'; note: string | null; at: Date }): Promise<{ scope_oid: string } | undefined> {
  const open = sql<SqlBool>`EXISTS (SELECT 1 FROM campaign_runs r WHERE r.id = ${runId} AND r.state = 'open' AND r.attestation)`;
  const u = await trx.updateTable('campaign_items').set({ attestation: a.answer, attestation_note: a.note, attested_at: a.at })
    .where('run_id', '=', runId).where('account_id', '=', accountId).where(open).returning('unit_oid').executeTakeFirst();
  return u ? { scope_oid: u.unit_oid } : undefined;
}

/** Holders of a run who have not answered yet and have an address (the reminder before the deadline). */
export async function unansweredHolders(db: Db, runId: number) {
  return db.selectFrom('campaign_items as i').innerJoin('accounts as a', 'a.id', 'i.account_id')
    .select(['a.id', 'a.email', 'a.name']).where('i.run_id', '=', runId).where('i.attestation', 'is', null)
    .where('a.state', 'in', ['enabled', 'not_activated']).where('a.email', 'is not', null).orderBy('a.id').execute();
}
