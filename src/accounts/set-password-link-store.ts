// SQL of set-password links (AUTH-4, ACC-7): what a link's mail names of its account, issuing a
// link and voiding the older live ones, the live link of a token's HMAC, single use, and when the
// account's last link was issued (the resend cool-down).
import type { Db } from '../db/index.ts';

/** What a link's mail says of the account: its details and its unit's name. The account must exist. */
export async function linkMailAccount(db: Db, accountId: number) {
  return db.selectFrom('accounts as a').innerJoin('orgs as o', 'o.oid', 'a.unit_oid')
    .select(['a.id', 'a.name', 'a.username', 'a.email', 'a.department', 'a.title', 'a.office_phone', 'a.office_ext', 'a.unit_oid', 'o.name as unitName'])
    .where('a.id', '=', accountId).executeTakeFirstOrThrow();
}

/** Ends (expires at `now`) every unused, unexpired link of the account. */
export async function voidLiveLinks(trx: Db, accountId: number, now: Date): Promise<void> {
  await trx.updateTable('set_password_links').set({ expires_at: now })
    .where('account_id', '=', accountId).where('used_at', 'is', null).where('expires_at', '>', now).execute();
}

export async function insertLink(trx: Db, link: { account_id: number; token_hash: string; created_at: Date; expires_at: Date }): Promise<void> {
  await trx.insertInto('set_password_links').values(link).execute();
}

/**
 * The link whose token has the HMAC `tokenHash`, with its account, when it is unused and unexpired
 * and its account either waits for activation or is enabled with no password set since the link.
 */
export async function findLiveLinkByHash(db: Db, tokenHash: string, now: Date) {
  return db.selectFrom('set_password_links as l').innerJoin('accounts as a', 'a.id', 'l.account_id')
    .leftJoin('passwords as p', 'p.account_id', 'a.id')
    .select(['l.id as linkId', 'a.id', 'a.name', 'a.username', 'a.unit_oid', 'a.username_norm', 'a.state'])
    .where('l.token_hash', '=', tokenHash)
    .where('l.used_at', 'is', null).where('l.expires_at', '>', now)
    .where((eb) => eb.or([
      eb('a.state', '=', 'not_activated'),
      eb.and([eb('a.state', '=', 'enabled'), eb.or([eb('p.set_at', 'is', null), eb('p.set_at', '<=', eb.ref('l.created_at'))])]),
    ]))
    .executeTakeFirst();
}

/** Marks the link used if it is still unused and unexpired; false when a parallel request used it first. */
export async function markLinkUsed(trx: Db, linkId: number, now: Date): Promise<boolean> {
  const used = await trx.updateTable('set_password_links').set({ used_at: now })
    .where('id', '=', linkId).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

/** When the account's newest link was issued, if it has any. */
export async function lastLinkIssued(db: Db, accountId: number) {
  return db.selectFrom('set_password_links').select('created_at')
    .where('account_id', '=', accountId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}
