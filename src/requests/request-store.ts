// SQL for the request rows themselves (REQ-1..3, REQ-6): reading one, storing a submission, the
// one-open-request-at-a-time check, the approved requests due today, and the account an "add" made.
import type { Db } from '../db/index.ts';
import type { RequestRow } from './tables.ts';

export async function loadRequest(db: Db, id: number): Promise<RequestRow | undefined> {
  return db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface NewRequest {
  type: string; orgOid: string; requesterAccountId: number | null; subjectAccountId: number | null; systems: string[]; categories: string[];
  payload: Record<string, unknown>; stepKind: string; effectiveDate: string | null; lang: string; now: Date;
}

/** A submitted request, pending at its first step; its id. */
export async function insertRequest(trx: Db, n: NewRequest): Promise<number> {
  const row = await trx.insertInto('requests').values({
    type: n.type, org_oid: n.orgOid, requester_account_id: n.requesterAccountId, subject_account_id: n.subjectAccountId,
    systems: n.systems, categories: n.categories, payload: JSON.stringify(n.payload), status: 'pending', step_no: 1,
    step_kind: n.stepKind, effective_date: n.effectiveDate, lang: n.lang, submitted_at: n.now,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Whether a pending or approved request of `types` about the subject (and, if given, the role) is open. */
export async function hasOpenRequest(trx: Db, types: string[], subjectId: number, role?: string): Promise<boolean> {
  let q = trx.selectFrom('requests').select('id').where('status', 'in', ['pending', 'approved']).where('type', 'in', types)
    .where('subject_account_id', '=', subjectId);
  if (role) q = q.where(({ eb }) => eb(eb.ref('payload', '->>').key('role'), '=', role));
  return Boolean(await q.limit(1).executeTakeFirst());
}

/** REQ-6: approved requests whose effective date (Taipei) is `today` or past, oldest first. */
export async function dueRequests(db: Db, today: string, limit: number): Promise<RequestRow[]> {
  return db.selectFrom('requests').selectAll().where('status', '=', 'approved')
    .where('effective_date', '<=', today).orderBy('id').limit(limit).execute();
}

/** The account an approved "add" created becomes the request's subject. */
export async function setRequestSubject(trx: Db, id: number, accountId: number): Promise<void> {
  await trx.updateTable('requests').set({ subject_account_id: accountId }).where('id', '=', id).execute();
}
