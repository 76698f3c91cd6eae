// SQL for the accounts a request names (REQ-1..5, ACC-4): its requester, its subject, the approver
// who decides it, whom the mail reaches, and the changes an approved request makes to an account
// (an application enabled or erased, locked fields changed).
import type { Db } from '../db/index.ts';
import type { Account } from '../db/types.ts';

/** The account's name ('' when it is gone): what a decision records of its approver. */
export async function accountName(db: Db, id: number): Promise<string> {
  return (await db.selectFrom('accounts').select('name').where('id', '=', id).executeTakeFirst())?.name ?? '';
}

/** The name and address a request's mail goes to. */
export async function accountContact(db: Db, id: number) {
  return db.selectFrom('accounts').select(['name', 'email']).where('id', '=', id).executeTakeFirst();
}

/** The requester and subject as a request's page shows them. */
export async function accountsShown(db: Db, ids: number[]) {
  return db.selectFrom('accounts').select(['id', 'name', 'username', 'unit_oid', 'state']).where('id', 'in', ids).execute();
}

/** A signed-in requester's unit and state. */
export async function requesterOf(db: Db, id: number) {
  return db.selectFrom('accounts').select(['id', 'unit_oid', 'state']).where('id', '=', id).executeTakeFirst();
}

/** What the submission checks read of a request's subject. */
export async function subjectOf(trx: Db, id: number) {
  return trx.selectFrom('accounts').select(['id', 'unit_oid', 'state', 'national_id_enc', 'birth_month', 'birth_day', 'activated_at'])
    .where('id', '=', id).executeTakeFirst();
}

export async function findAccount(db: Db, id: number): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An applicant's account while it is still pending. */
export async function findPendingAccount(trx: Db, id: number): Promise<Account | undefined> {
  return trx.selectFrom('accounts').selectAll().where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
}

/** REQ-1: an approved application enables the pending account. */
export async function enableAccount(trx: Db, id: number, now: Date): Promise<void> {
  await trx.updateTable('accounts').set({ state: 'enabled', activated_at: now, updated_at: now }).where('id', '=', id).execute();
}

/** Renames an erased account to `~id`: '~' is in no username scheme, so its real username is free again. */
export async function freeUsername(trx: Db, id: number): Promise<void> {
  await trx.updateTable('accounts').set({ username: `~${id}`, username_norm: `~${id}` }).where('id', '=', id).execute();
}

export type LockedFields = Partial<Record<'name' | 'unit_oid' | 'national_id_enc' | 'national_id_hmac', string>>;

/** ACC-4: the locked fields an approved profile change sets. */
export async function updateLockedFields(trx: Db, id: number, set: LockedFields, now: Date): Promise<void> {
  await trx.updateTable('accounts').set({ ...set, updated_at: now }).where('id', '=', id).execute();
}

/** When the inactivity sweep last disabled the account (GOV-2), or undefined when it never did. */
export async function disabledForInactivityAt(trx: Db, id: number): Promise<Date | undefined> {
  const r = await trx.selectFrom('inactivity_periods').select('disabled_at').where('account_id', '=', id).where('disabled_at', 'is not', null)
    .orderBy('disabled_at', 'desc').limit(1).executeTakeFirst();
  return r?.disabled_at ?? undefined;
}
