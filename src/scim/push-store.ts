// SSO-6: SQL behind SCIM push — a system's push targets (listed inside the caller's scope), their
// sync status, the initial load of a new target into the outbox, and what each receiver was told
// (its ids of users and groups, the roles it holds there).
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Scope } from '../access/authorize.ts';
import { withinScope } from '../access/jurisdiction-sql.ts';

export interface PushTargetRow { id: number; system_code: string; jurisdiction_oid: string; url: string; secret_enc: string; enabled: boolean }

/** Sets the system's push target over `root` (one per system and subtree): a new one, or its URL and secret replaced. */
export async function upsertPushTarget(trx: Db, t: { systemCode: string; root: string; url: string; secretEnc: string; createdBy: number; now: Date }): Promise<{ id: number; created: boolean }> {
  const r = await trx.insertInto('scim_push_targets').values({
    system_code: t.systemCode, jurisdiction_oid: t.root, url: t.url, secret_enc: t.secretEnc, created_by: t.createdBy, created_at: t.now,
  }).onConflict((oc) => oc.columns(['system_code', 'jurisdiction_oid']).doUpdateSet({ url: t.url, secret_enc: t.secretEnc, enabled: true }))
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')]).executeTakeFirstOrThrow();
  return { id: Number(r.id), created: Boolean(r.created) };
}

/** Every live account of the target's subtree into the outbox once: the receiver's initial load. Returns how many. */
export async function enqueueInitialLoad(trx: Db, targetId: number, root: string): Promise<number> {
  const r = await sql<{ n: number }>`WITH q AS (SELECT scim_push_enqueue(${targetId}, a.id) FROM accounts a
    WHERE a.state <> 'deleted' AND scim_push_within(a.unit_oid, ${root}) ORDER BY a.id) SELECT count(*)::int AS n FROM q`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

/** The system's push targets whose subtree lies in `scope`, with how many changes wait for each. */
export async function pushTargetsOf(db: Db, systemCode: string, scope: Scope) {
  return db.selectFrom('scim_push_targets as t')
    .select(['t.id', 't.jurisdiction_oid', 't.url', 't.enabled', 't.created_at', 't.last_success_at', 't.last_failure_at', 't.last_error', 't.failures'])
    .select(sql<number>`(SELECT count(*)::int FROM outbox o WHERE o.channel = 'scim' AND o.sent_at IS NULL AND o.next_attempt_at IS NOT NULL AND o.recipient = t.id::text)`.as('pending'))
    .select(sql<number>`(SELECT count(*)::int FROM outbox o WHERE o.channel = 'scim' AND o.sent_at IS NULL AND o.next_attempt_at IS NULL AND o.recipient = t.id::text)`.as('given_up'))
    .where('t.system_code', '=', systemCode).where(withinScope('t.jurisdiction_oid', scope)).orderBy('t.id').execute();
}

export async function findPushTarget(db: Db, id: number): Promise<PushTargetRow | undefined> {
  return db.selectFrom('scim_push_targets').select(['id', 'system_code', 'jurisdiction_oid', 'url', 'secret_enc', 'enabled']).where('id', '=', id).executeTakeFirst();
}

/** Removes a target, its links and its waiting changes. */
export async function deletePushTarget(trx: Db, id: number): Promise<void> {
  await trx.deleteFrom('outbox').where('channel', '=', 'scim').where('recipient', '=', String(id)).where('sent_at', 'is', null).execute();
  await trx.deleteFrom('scim_push_targets').where('id', '=', id).execute();
}

export async function markPushOk(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('scim_push_targets').set({ last_success_at: now, failures: 0 }).where('id', '=', id).execute();
}

export async function markPushFailed(db: Db, id: number, now: Date, error: string): Promise<void> {
  await db.updateTable('scim_push_targets').set((eb) => ({ last_failure_at: now, last_error: error, failures: eb('failures', '+', 1) })).where('id', '=', id).execute();
}

export async function findLink(db: Db, targetId: number, kind: 'user' | 'group', localId: string) {
  return db.selectFrom('scim_push_links').select(['remote_id', 'roles']).where('target_id', '=', targetId).where('kind', '=', kind).where('local_id', '=', localId).executeTakeFirst();
}

export async function saveLink(db: Db, targetId: number, kind: 'user' | 'group', localId: string, remoteId: string, roles: string[] = []): Promise<void> {
  await db.insertInto('scim_push_links').values({ target_id: targetId, kind, local_id: localId, remote_id: remoteId, roles })
    .onConflict((oc) => oc.columns(['target_id', 'kind', 'local_id']).doUpdateSet({ remote_id: remoteId, roles })).execute();
}

export async function dropLink(db: Db, targetId: number, kind: 'user' | 'group', localId: string): Promise<void> {
  await db.deleteFrom('scim_push_links').where('target_id', '=', targetId).where('kind', '=', kind).where('local_id', '=', localId).execute();
}

/** The codes of the system's roles the account holds, in code order. */
export async function heldSystemRoles(db: Db, systemCode: string, accountId: number): Promise<string[]> {
  const rows = await db.selectFrom('role_grants as g').innerJoin('roles as r', 'r.code', 'g.role_code').select('r.code')
    .where('g.account_id', '=', accountId).where('r.system_code', '=', systemCode).orderBy('r.code').execute();
  return rows.map((r) => r.code);
}
