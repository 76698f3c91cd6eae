// Lists of requests (REQ-2, REQ-4): the requester's own, the review queue of an approver (the
// approvers-sql.ts predicate over the actor's own grants, in SQL), and the per-role status of REQ-2.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Actor } from '../access/authorize.ts';
import { approversQuery, grantDecides, pendingStepOf } from './approvers-sql.ts';

export interface RequestListItem {
  id: number; type: string; status: string; stepNo: number; stepKind: string | null; orgOid: string; orgName: string | null;
  requesterName: string | null; subjectName: string | null; submittedAt: Date; effectiveDate: string | null;
}

const listColumns = (db: Db) => db.selectFrom('requests as r')
  .leftJoin('orgs as o', 'o.oid', 'r.org_oid')
  .leftJoin('accounts as q', 'q.id', 'r.requester_account_id')
  .leftJoin('accounts as s', 's.id', 'r.subject_account_id')
  .select(['r.id', 'r.type', 'r.status', 'r.step_no', 'r.step_kind', 'r.org_oid', 'o.name as org_name', 'q.name as requester_name', 's.name as subject_name', 'r.submitted_at', 'r.effective_date']);

type ListRow = { id: number; type: string; status: string; step_no: number; step_kind: string | null; org_oid: string; org_name: string | null; requester_name: string | null; subject_name: string | null; submitted_at: Date; effective_date: string | null };
const item = (r: ListRow): RequestListItem => ({
  id: r.id, type: r.type, status: r.status, stepNo: r.step_no, stepKind: r.step_kind, orgOid: r.org_oid, orgName: r.org_name,
  requesterName: r.requester_name || null, subjectName: r.subject_name || null, submittedAt: r.submitted_at, effectiveDate: r.effective_date,
});

/** 我的申請: what the account asked for, and what was asked about it (an application, a change), newest first. */
export async function myRequests(db: Db, accountId: number, limit = 200): Promise<RequestListItem[]> {
  const rows = await listColumns(db)
    .where((eb) => eb.or([eb('r.requester_account_id', '=', accountId), eb('r.subject_account_id', '=', accountId)]))
    .orderBy('r.id', 'desc').limit(limit).execute();
  return rows.map(item);
}

/**
 * 待審核列表 (REQ-4): pending requests whose current step one of the actor's grants decides,
 * never the actor's own. In SQL, so neither rows nor the count include anything beyond it.
 */
export async function reviewQueue(db: Db, actor: Actor, limit = 500): Promise<RequestListItem[]> {
  const rows = await listColumns(db)
    .where('r.status', '=', 'pending')
    .where(({ exists, selectFrom }) => exists(selectFrom('admin_grants as g').select(sql.lit(1).as('one'))
      .where('g.account_id', '=', actor.accountId).where(grantDecides('g', pendingStepOf('r')))))
    .where(sql<boolean>`r.requester_account_id IS DISTINCT FROM ${actor.accountId}`)
    .where(sql<boolean>`r.subject_account_id IS DISTINCT FROM ${actor.accountId}`)
    .orderBy('r.submitted_at').orderBy('r.id').limit(limit).execute();
  return rows.map(item);
}

/** The accounts that find a pending request in their queue now (for its details page and tests). */
export async function approversOf(db: Db, r: { org_oid: string; step_kind: string | null; categories: string[]; requester_account_id: number | null; subject_account_id: number | null }) {
  if (!r.step_kind) return [];
  return approversQuery(db, { org: sql.val(r.org_oid), step: sql.val(r.step_kind), categories: sql`${sql.val(r.categories)}::text[]` }, [r.requester_account_id, r.subject_account_id])
    .select(['a.id', 'a.name']).orderBy('a.id').execute();
}

export type PermissionStatus = 'none' | 'pending' | 'approved' | 'rejected';

export interface PermissionRow {
  systemCode: string; systemZh: string; systemEn: string; roleCode: string; roleZh: string; roleEn: string;
  held: boolean; status: PermissionStatus; pendingAction: 'add' | 'remove' | null; requestId: number | null;
}

/**
 * REQ-2's table: every role of every system, with 尚未申請 / 審核中 / 審核通過 / 駁回. A role held
 * is 審核通過 (however it was given); otherwise the latest permission request decides: pending →
 * 審核中, rejected → 駁回; anything else (none, withdrawn, removed) → 尚未申請. A pending removal
 * of a held role is 審核中 too.
 */
export async function permissionTable(db: Db, accountId: number): Promise<PermissionRow[]> {
  const [roles, held, requests] = await Promise.all([
    db.selectFrom('roles as r').innerJoin('application_systems as s', 's.code', 'r.system_code')
      .select(['r.code', 'r.name_zh', 'r.name_en', 's.code as system_code', 's.name_zh as system_zh', 's.name_en as system_en'])
      .orderBy('s.category').orderBy('s.code').orderBy('r.code').execute(),
    db.selectFrom('role_grants').select('role_code').where('account_id', '=', accountId).execute(),
    db.selectFrom('requests').select(['id', 'type', 'status', sql<string>`payload->>'role'`.as('role')])
      .where('subject_account_id', '=', accountId).where('type', 'in', ['permission_add', 'permission_remove'])
      .orderBy('id', 'desc').execute(),
  ]);
  const heldSet = new Set(held.map((h) => h.role_code));
  return roles.map((r) => {
    const latest = requests.find((q) => q.role === r.code);
    const pending = latest && (latest.status === 'pending' || latest.status === 'approved') ? latest : undefined;
    const isHeld = heldSet.has(r.code);
    const status: PermissionStatus = pending ? 'pending' : isHeld ? 'approved' : latest?.status === 'rejected' && latest.type === 'permission_add' ? 'rejected' : 'none';
    return {
      systemCode: r.system_code, systemZh: r.system_zh, systemEn: r.system_en, roleCode: r.code, roleZh: r.name_zh, roleEn: r.name_en,
      held: isHeld, status, pendingAction: pending ? (pending.type === 'permission_add' ? 'add' : 'remove') : null, requestId: latest?.id ?? null,
    };
  });
}
