// SQL of citizen certificates (AUTH-8, ADM-5): trust anchors and intermediates, bindings of
// certificates to accounts, revoked serials by (issuer key id, serial), CRL state, OCSP cache.
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Account, CertTables } from '../../db/types.ts';
import type { Selectable } from 'kysely';
import { policyPathOf, unitPolicies } from '../store.ts';
import type { PolicySettings } from '../../orgs/policy.ts';

export type TrustRow = Selectable<CertTables['cert_trust']>;
export type BindingRow = Selectable<CertTables['cert_bindings']>;
export type CrlRow = Selectable<CertTables['cert_crls']>;

export async function listTrust(db: Db): Promise<TrustRow[]> {
  return db.selectFrom('cert_trust').selectAll().orderBy('id').execute();
}

export async function insertTrust(db: Db, t: Omit<TrustRow, 'id' | 'crl_dp'>): Promise<number | undefined> {
  const r = await db.insertInto('cert_trust').values({ ...t, der: Buffer.from(t.der) })
    .onConflict((oc) => oc.column('subject_key_id').doNothing()).returning('id').executeTakeFirst();
  return r?.id;
}

export async function deleteTrust(db: Db, id: number): Promise<TrustRow | undefined> {
  return db.deleteFrom('cert_trust').where('id', '=', id).returningAll().executeTakeFirst();
}

/** The certificate bound under (issuer key id, serial), with its account and the account's policy path. */
export async function loadBindingSubject(db: Db, issuerKeyId: string, serial: string):
  Promise<{ binding: BindingRow; account: Account; policyPath: { oid: string; settings: PolicySettings }[] } | undefined> {
  const row = await db.selectFrom('cert_bindings as b').innerJoin('accounts as a', 'a.id', 'b.account_id')
    .selectAll('a')
    .select(['b.id as b_id', 'b.thumbprint as b_thumbprint', 'b.subject_key_id as b_ski', 'b.not_after as b_not_after', 'b.issuer as b_issuer',
      'b.common_name as b_cn', 'b.created_at as b_created_at', 'b.last_used_at as b_last_used_at', unitPolicies.as('policies')])
    .where('b.issuer_key_id', '=', issuerKeyId).where('b.serial', '=', serial).executeTakeFirst();
  if (!row) return undefined;
  const { b_id, b_thumbprint, b_ski, b_not_after, b_issuer, b_cn, b_created_at, b_last_used_at, policies, ...account } = row;
  return {
    binding: {
      id: b_id, account_id: account.id, issuer_key_id: issuerKeyId, serial, subject_key_id: b_ski, thumbprint: b_thumbprint, issuer: b_issuer,
      common_name: b_cn, not_after: b_not_after, created_at: b_created_at, last_used_at: b_last_used_at,
    },
    account: account as Account,
    policyPath: policyPathOf(account.unit_oid, policies),
  };
}

export async function bindingsOf(db: Db, accountId: number): Promise<BindingRow[]> {
  return db.selectFrom('cert_bindings').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
}

/** Whether any certificate is registered to the account (AUTH-9: the login-method policy asks). */
export async function hasCertificate(db: Db, accountId: number): Promise<boolean> {
  return Boolean(await db.selectFrom('cert_bindings').select('id').where('account_id', '=', accountId).limit(1).executeTakeFirst());
}

/** When the account was activated and whether it has a certificate (the home page's reminder, AUTH-9). */
export async function activationAndCertificate(db: Db, accountId: number): Promise<{ activated_at: Date | null; has_certificate: boolean } | undefined> {
  return db.selectFrom('accounts as a').select(['a.activated_at',
    sql<boolean>`EXISTS (SELECT 1 FROM cert_bindings b WHERE b.account_id = a.id)`.as('has_certificate')])
    .where('a.id', '=', accountId).executeTakeFirst();
}

export async function insertBinding(db: Db, b: Omit<BindingRow, 'id' | 'last_used_at'>): Promise<number | undefined> {
  const r = await db.insertInto('cert_bindings').values(b).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
  return r?.id;
}

export async function deleteBinding(db: Db, accountId: number, id: number): Promise<BindingRow | undefined> {
  return db.deleteFrom('cert_bindings').where('id', '=', id).where('account_id', '=', accountId).returningAll().executeTakeFirst();
}

export async function touchBinding(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('cert_bindings').set({ last_used_at: now }).where('id', '=', id).execute();
}

/** One read on the sign-in path: is the serial listed, and the state of its issuer's CRL. */
export async function revocationRow(db: Db, issuerKeyId: string, serial: string): Promise<{ revoked: boolean; crl: CrlRow | undefined }> {
  const [rev, crl] = await Promise.all([
    db.selectFrom('cert_revoked').select('serial').where('issuer_key_id', '=', issuerKeyId).where('serial', '=', serial).executeTakeFirst(),
    db.selectFrom('cert_crls').selectAll().where('issuer_key_id', '=', issuerKeyId).executeTakeFirst(),
  ]);
  return { revoked: Boolean(rev), crl };
}

export async function crlState(db: Db, issuerKeyId: string): Promise<CrlRow | undefined> {
  return db.selectFrom('cert_crls').selectAll().where('issuer_key_id', '=', issuerKeyId).executeTakeFirst();
}

/**
 * Replaces an issuer's revoked serials and CRL state (inside the caller's transaction). The serials
 * go in as two arrays per statement (`unnest`), 50,000 rows at a time: a MOICA-sized CRL (412,000
 * entries) is 9 statements instead of ~80 of 5,000 rows with three parameters each (bench/cert).
 */
export async function replaceCrl(trx: Db, state: CrlRow, entries: { serials: string[]; revokedAt: (Date | null)[] }): Promise<void> {
  await trx.deleteFrom('cert_revoked').where('issuer_key_id', '=', state.issuer_key_id).execute();
  const BATCH = 50_000;
  for (let i = 0; i < entries.serials.length; i += BATCH) {
    await sql`INSERT INTO cert_revoked (issuer_key_id, serial, revoked_at)
      SELECT ${state.issuer_key_id}, t.s, t.r FROM unnest(${entries.serials.slice(i, i + BATCH)}::text[], ${entries.revokedAt.slice(i, i + BATCH)}::timestamptz[]) AS t(s, r)
      ON CONFLICT DO NOTHING`.execute(trx);
  }
  await trx.insertInto('cert_crls').values(state)
    .onConflict((oc) => oc.column('issuer_key_id').doUpdateSet({
      crl_number: state.crl_number, this_update: state.this_update, next_update: state.next_update, entries: state.entries,
      source_url: state.source_url, fetched_at: state.fetched_at,
    })).execute();
}

export async function ocspCached(db: Db, issuerKeyId: string, serial: string) {
  return db.selectFrom('cert_ocsp_cache').selectAll().where('issuer_key_id', '=', issuerKeyId).where('serial', '=', serial).executeTakeFirst();
}

export async function storeOcsp(db: Db, r: Selectable<CertTables['cert_ocsp_cache']>): Promise<void> {
  await db.insertInto('cert_ocsp_cache').values(r)
    .onConflict((oc) => oc.columns(['issuer_key_id', 'serial']).doUpdateSet({ status: r.status, produced_at: r.produced_at, fetched_at: r.fetched_at })).execute();
}

/** The account's name and encrypted national ID, for registration's comparisons. */
export async function accountIdentity(db: Db, accountId: number) {
  return db.selectFrom('accounts').select(['id', 'name', 'national_id_enc', 'unit_oid']).where('id', '=', accountId).executeTakeFirst();
}

export const countRevoked = async (db: Db) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM cert_revoked`.execute(db)).rows[0].n);

/** Where an issuer's CRL is published, as its certificates say. */
export async function distributionPointFor(db: Db, issuerKeyId: string): Promise<string | null> {
  const r = await db.selectFrom('cert_trust').select('crl_dp').where('subject_key_id', '=', issuerKeyId).executeTakeFirst();
  return r?.crl_dp ?? null;
}

export async function noteDistributionPoint(db: Db, issuerKeyId: string, url: string): Promise<void> {
  await db.updateTable('cert_trust').set({ crl_dp: url }).where('subject_key_id', '=', issuerKeyId).execute();
}
