// Account use cases: one transaction each, authorization first, audited.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { authorize, type Actor } from '../admin/authorize.ts';
import { HttpError } from '../platform/http/errors.ts';
import { isValidOid } from '../orgs/oid.ts';
import { findAccountByUsername } from './store.ts';

export type MoveAccountError = 'orgs.invalidOid' | 'orgs.parentMissing' | 'account.sameUnit';

/**
 * Moves an account to another unit (ORG-4). The actor must be allowed on the old and the new
 * unit; `actor` null is the operator's CLI. Unknown or out-of-reach accounts look the same.
 */
export async function moveAccount(deps: Deps, actor: Actor | null, username: string, newUnitOid: string, ip: string | null):
  Promise<{ ok: true; from: string } | { ok: false; error: MoveAccountError }> {
  if (!isValidOid(newUnitOid)) return { ok: false, error: 'orgs.invalidOid' };
  const account = await findAccountByUsername(deps.db, username);
  if (!account || account.state === 'deleted') throw new HttpError(404, 'error.notFound');
  if (actor && !(authorize(actor, 'account.move', { oid: account.unit_oid }) && authorize(actor, 'account.move', { oid: newUnitOid }))) {
    throw new HttpError(404, 'error.notFound');
  }
  if (account.unit_oid === newUnitOid) return { ok: false, error: 'account.sameUnit' };
  return deps.db.transaction().execute(async (trx) => {
    const unit = await trx.selectFrom('orgs').select('oid').where('oid', '=', newUnitOid).forShare().executeTakeFirst();
    if (!unit) return { ok: false as const, error: 'orgs.parentMissing' as const };
    const now = deps.clock.now();
    await trx.updateTable('accounts').set({ unit_oid: newUnitOid, updated_at: now }).where('id', '=', account.id).execute();
    await audit(trx, now, {
      actor: actor?.accountId ?? null, action: 'account.move', targetType: 'account', targetId: account.id, orgOid: newUnitOid, ip,
      details: { before: { unitOid: account.unit_oid }, after: { unitOid: newUnitOid }, via: actor ? 'web' : 'cli' },
    });
    return { ok: true as const, from: account.unit_oid };
  });
}
