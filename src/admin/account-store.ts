// SQL behind adding, modifying and acting on accounts as an administrator (ADM-3, ADM-5, AUTH-2,
// AUTH-4, AUTH-7, ACC-3, ACC-7): the units an account may be put in, live accounts by id, the
// row updates, issued passwords' history, the resend cool-down, and the tombstone of a deletion.
import type { Updateable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Account, AccountsTable } from '../db/types.ts';
import type { Scope } from '../access/authorize.ts';
import { withinScope } from '../access/jurisdiction-sql.ts';

/** Units inside `scope`, in OID order, at most `limit`. */
export async function unitsInScope(db: Db, scope: Scope, limit: number) {
  return db.selectFrom('orgs').select(['oid', 'name', 'agency_code', 'tenant_code']).where(withinScope('oid', scope))
    .orderBy('oid').limit(limit).execute();
}

/** A unit that must exist, with its codes. */
export async function getUnit(db: Db, oid: string) {
  return db.selectFrom('orgs').select(['oid', 'name', 'agency_code', 'tenant_code']).where('oid', '=', oid).executeTakeFirstOrThrow();
}

/** An account by id unless deleted. */
export async function findLiveAccount(db: Db, id: number): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).where('state', '!=', 'deleted').executeTakeFirst();
}

/** The accounts of `ids` that are not deleted. */
export async function findLiveAccounts(db: Db, ids: number[]): Promise<Account[]> {
  return db.selectFrom('accounts').selectAll().where('id', 'in', ids).where('state', '!=', 'deleted').execute();
}

/** What a delete confirmation names of the accounts of `ids` that are not deleted, by unit and id. */
export async function liveAccountsForDeletion(db: Db, ids: number[]) {
  return db.selectFrom('accounts').select(['id', 'username', 'name', 'unit_oid', 'state'])
    .where('id', 'in', ids).where('state', '!=', 'deleted').orderBy('unit_oid').orderBy('id').execute();
}

/** Sets the account's columns as given. */
export async function updateAccountRow(trx: Db, id: number, values: Updateable<AccountsTable>): Promise<void> {
  await trx.updateTable('accounts').set(values).where('id', '=', id).execute();
}

/** Sets the account's state. */
export async function setAccountStateRow(trx: Db, id: number, state: string, now: Date): Promise<void> {
  await trx.updateTable('accounts').set({ state, updated_at: now }).where('id', '=', id).execute();
}

/** Locks the account's row until the end of the transaction. */
export async function lockAccountRow(trx: Db, id: number): Promise<void> {
  await trx.selectFrom('accounts').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Personal data columns a tombstone keeps empty (ACC-3). */
const ERASED = {
  name: '', national_id_enc: null, national_id_hmac: null, birth_month: null, birth_day: null, email: null, mobile: null,
  title: null, department: null, address: null, office_phone: null, office_ext: null, fax: null, staff_code: null, postal_code: null,
} as const;

/** Credentials and links tied to an account; a tombstone keeps none. */
const OWNED_TABLES = ['passwords', 'password_history', 'sessions', 'role_grants', 'admin_grants', 'api_tokens', 'password_resets',
  'set_password_links'] as const;

/** Turns the accounts' rows into tombstones: state deleted, personal data erased. */
export async function eraseAccountRows(trx: Db, ids: number[], now: Date): Promise<void> {
  await trx.updateTable('accounts').set({ ...ERASED, state: 'deleted', updated_at: now }).where('id', 'in', ids).execute();
}

/** Deletes the accounts' credentials, sessions, roles, grants, tokens and links, one table after another. */
export async function deleteOwnedRows(trx: Db, ids: number[]): Promise<void> {
  for (const table of OWNED_TABLES) await trx.deleteFrom(table).where('account_id', 'in', ids).execute();
}
