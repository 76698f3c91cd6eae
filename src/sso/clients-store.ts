// SQL of the OpenID Connect clients (SSO-1, SSO-2): the sso_clients rows of application systems,
// written by upsertClient and read for the provider (clientMetadata) and the admin pages (clients.ts,
// admin-clients.ts hold the rules).
import type { Insertable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { SsoClientsTable } from './tables.ts';

export type ClientRowValues = Omit<Insertable<SsoClientsTable>, 'system_code' | 'created_at'>;

export async function findClientSecret(db: Db, systemCode: string): Promise<{ secret_enc: string | null } | undefined> {
  return db.selectFrom('sso_clients').select(['secret_enc']).where('system_code', '=', systemCode).executeTakeFirst();
}

/** Creates the system's client, or replaces its settings (created_at kept). */
export async function upsertClientRow(trx: Db, systemCode: string, now: Date, row: ClientRowValues): Promise<void> {
  await trx.insertInto('sso_clients').values({ system_code: systemCode, created_at: now, ...row })
    .onConflict((oc) => oc.column('system_code').doUpdateSet(row)).execute();
}

/** What the provider needs of an enabled client and its system's name, or undefined. */
export async function findEnabledClient(db: Db, clientId: string) {
  return db.selectFrom('sso_clients as c').innerJoin('application_systems as s', 's.code', 'c.system_code')
    .select(['c.system_code', 'c.secret_enc', 'c.auth_method', 'c.jwks', 'c.redirect_uris', 'c.post_logout_redirect_uris',
      'c.backchannel_logout_uri', 'c.grant_types', 'c.id_token_signed_response_alg', 's.name_zh'])
    .where('c.system_code', '=', clientId).where('c.enabled', '=', true).executeTakeFirst();
}

/** The stored clients of these systems (none for an empty list, without a statement). */
export async function clientRows(db: Db, codes: string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('sso_clients').selectAll().where('system_code', 'in', codes).execute();
}
export type ClientRow = Awaited<ReturnType<typeof clientRows>>[number];
