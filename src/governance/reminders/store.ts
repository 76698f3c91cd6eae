// SQL of reminders (GOV-5): passwords inside their reminder window, pending requests whose current
// step has not been announced to its approvers, and the approvers who have requests waiting; each
// claimed by an INSERT … ON CONFLICT DO NOTHING in the transaction that writes the mail, so two
// instances never send one reminder twice. Per-subtree policy is one CASE over the unit or
// organisation OID (orgs/policy-regions-sql.ts).
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../db/index.ts';
import { byRegion } from '../../orgs/policy-regions-sql.ts';
import type { PolicyRegion } from '../../orgs/policy-regions.ts';
import { approversQuery, grantDecides, LIVE_STATES, pendingStepOf, type StepTarget } from '../../requests/approvers-sql.ts';
import { passwordReminderWindow, type ReminderPolicy } from './rules.ts';

type Regions = PolicyRegion<ReminderPolicy>[];

/**
 * Claims up to `limit` passwords inside their region's reminder window at `now` and not reminded
 * yet (enabled accounts with an e-mail, passwords the holder chose); returns whom to remind.
 */
export async function claimPasswordReminders(trx: Db, regions: Regions, now: Date, limit: number) {
  const after = byRegion<Date, ReminderPolicy>('a.unit_oid', regions, (r) => passwordReminderWindow(r, now)?.setAfter ?? null, 'timestamptz');
  const atOrBefore = byRegion<Date, ReminderPolicy>('a.unit_oid', regions, (r) => passwordReminderWindow(r, now)?.setAtOrBefore ?? null, 'timestamptz');
  const claimed = await sql<{ account_id: number; set_at: Date }>`
    INSERT INTO password_reminders (account_id, set_at, sent_at)
    SELECT a.id, p.set_at, ${now}::timestamptz FROM accounts a JOIN passwords p ON p.account_id = a.id
    WHERE a.state = 'enabled' AND a.email IS NOT NULL AND p.kind = 'password' AND NOT p.must_change
      AND p.set_at > ${after} AND p.set_at <= ${atOrBefore}
      AND NOT EXISTS (SELECT 1 FROM password_reminders r WHERE r.account_id = a.id AND r.set_at = p.set_at)
    ORDER BY a.id LIMIT ${limit}
    ON CONFLICT DO NOTHING
    RETURNING account_id, set_at`.execute(trx);
  if (claimed.rows.length === 0) return [];
  const ids = claimed.rows.map((r) => Number(r.account_id));
  const people = await trx.selectFrom('accounts').select(['id', 'username', 'name', 'email', 'unit_oid']).where('id', 'in', ids).execute();
  return claimed.rows.map((c) => ({ ...people.find((p) => p.id === Number(c.account_id))!, set_at: new Date(c.set_at) }));
}

/** Pending requests at a step whose approvers were not told yet, where the organisation's policy asks for it. */
export async function unannouncedSteps(db: Db, regions: Regions, limit: number) {
  const wanted = byRegion<boolean, ReminderPolicy>('r.org_oid', regions, (x) => x.approvals, 'boolean');
  return db.selectFrom('requests as r')
    .select(['r.id', 'r.type', 'r.step_no', 'r.step_kind', 'r.org_oid', 'r.categories', 'r.requester_account_id', 'r.subject_account_id', 'r.submitted_at'])
    .where('r.status', '=', 'pending').where('r.step_kind', 'is not', null)
    .where(sql<SqlBool>`${wanted}`)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('request_step_notices as n').select(sql.lit(1).as('one'))
      .whereRef('n.request_id', '=', 'r.id').whereRef('n.step_no', '=', 'r.step_no'))))
    .orderBy('r.id').limit(limit).execute();
}

/** Records that a step was announced; false when another run did it first. */
export async function claimStepNotice(trx: Db, requestId: number, stepNo: number, recipients: number, now: Date): Promise<boolean> {
  const r = await trx.insertInto('request_step_notices').values({ request_id: requestId, step_no: stepNo, recipients, sent_at: now })
    .onConflict((oc) => oc.columns(['request_id', 'step_no']).doNothing()).returning('request_id').execute();
  return r.length === 1;
}

/** The approvers of a step who can be mailed (central: whether the central authority's grant counts). */
export async function approverContacts(db: Db, target: StepTarget, exclude: (number | null)[], central: boolean) {
  return approversQuery(db, target, exclude, central).where('a.email', 'is not', null)
    .select(['a.id', 'a.name', 'a.email']).orderBy('a.id').execute();
}

/**
 * Approvers with requests waiting at a step they decide, not sent a digest on `day`, where their own
 * unit's policy asks for it: how many wait and since when. The central authority's grant counts for
 * central steps only (it could decide every step, but the agencies' own approvers handle theirs).
 */
export async function digestsDue(db: Db, regions: Regions, day: string, limit: number) {
  const wanted = byRegion<boolean, ReminderPolicy>('a.unit_oid', regions, (x) => x.approvals, 'boolean');
  const rows = await db.selectFrom('accounts as a')
    .innerJoin('admin_grants as g', 'g.account_id', 'a.id')
    .innerJoin('requests as r', (j) => j.on('r.status', '=', 'pending').on(grantDecides('g', pendingStepOf('r'))))
    .where('a.state', 'in', LIVE_STATES).where('a.email', 'is not', null)
    .where(sql<SqlBool>`(g.kind <> 'central' OR r.step_kind = 'central')`)
    .where(sql<SqlBool>`r.requester_account_id IS DISTINCT FROM a.id AND r.subject_account_id IS DISTINCT FROM a.id`)
    .where(sql<SqlBool>`${wanted}`)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('approval_digests as d').select(sql.lit(1).as('one'))
      .whereRef('d.account_id', '=', 'a.id').where('d.day', '=', day))))
    .groupBy(['a.id', 'a.name', 'a.email'])
    .select((eb) => ['a.id', 'a.name', 'a.email', eb.fn.count<number>(sql`DISTINCT r.id`).as('waiting'), eb.fn.min('r.submitted_at').as('oldest')])
    .orderBy('a.id').limit(limit).execute();
  return rows.map((r) => ({ id: Number(r.id), name: r.name, email: r.email!, waiting: Number(r.waiting), oldest: new Date(r.oldest as Date) }));
}

/** Records an approver's digest of `day`; false when another run sent it first. */
export async function claimDigest(trx: Db, accountId: number, day: string, now: Date): Promise<boolean> {
  const r = await trx.insertInto('approval_digests').values({ account_id: accountId, day, sent_at: now })
    .onConflict((oc) => oc.columns(['account_id', 'day']).doNothing()).returning('account_id').execute();
  return r.length === 1;
}
