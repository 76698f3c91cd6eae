// Changing one's own password (AUTH-3, AUTH-4 activation): current password, policy rules,
// history, then one transaction: new hash, history row, activation, other sessions ended, audit.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { getPassword, setPassword } from '../accounts/store.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import { passwordChecker, type PasswordError } from './password-policy.ts';
import type { ActiveSession } from './sessions.ts';

export type ChangeResult = { ok: true } | { ok: false; errors: (PasswordError | 'password.currentWrong')[] };

/** True when `password` matches the current hash or one of the last `n` stored in history. */
async function isReused(deps: Deps, accountId: number, currentHash: string, password: string, n: number): Promise<boolean> {
  if (n <= 0) return false;
  const history = await deps.db.selectFrom('password_history').select('hash')
    .where('account_id', '=', accountId).orderBy('set_at', 'desc').orderBy('id', 'desc').limit(n - 1).execute();
  for (const h of [currentHash, ...history.map((r) => r.hash)]) {
    if (await deps.hasher.verify(h, password)) return true;
  }
  return false;
}

export async function changeOwnPassword(deps: Deps, session: ActiveSession, input: {
  current: string; next: string; confirm: string; ip: string;
}): Promise<ChangeResult> {
  const now = deps.clock.now();
  const stored = await getPassword(deps.db, session.accountId);
  if (!stored || !(await deps.hasher.verify(stored.hash, input.current))) {
    await deps.db.transaction().execute((trx) => audit(trx, now, {
      actor: session.accountId, action: 'auth.password.change', result: 'failed', targetType: 'account',
      targetId: session.accountId, orgOid: session.unitOid, ip: input.ip, details: { reason: 'current_wrong' },
    }));
    return { ok: false, errors: ['password.currentWrong'] };
  }
  const { policy } = await effectivePolicyFor(deps.db, session.unitOid);
  const errors: (PasswordError | 'password.currentWrong')[] = (await passwordChecker()).check(input.next, session.username, policy);
  if (input.next !== input.confirm) errors.push('password.mismatch');
  if (errors.length === 0 && (await isReused(deps, session.accountId, stored.hash, input.next, policy['password.history']))) {
    errors.push('password.reused');
  }
  if (errors.length > 0) return { ok: false, errors };

  const hash = await deps.hasher.hash(input.next);
  await deps.db.transaction().execute(async (trx) => {
    // Only chosen passwords count as history; issued initial/one-day passwords are not the user's.
    if (stored.kind === 'password') {
      await trx.insertInto('password_history').values({ account_id: session.accountId, hash: stored.hash, set_at: stored.set_at }).execute();
    }
    await setPassword(trx, session.accountId, hash, now, 'password', false, null);
    const activated = await trx.updateTable('accounts').set({ state: 'enabled', activated_at: now, updated_at: now })
      .where('id', '=', session.accountId).where('state', '=', 'not_activated').executeTakeFirst();
    await trx.deleteFrom('sessions').where('account_id', '=', session.accountId).where('id_hash', '!=', session.idHash).execute();
    await trx.updateTable('sessions').set({ must_change_password: false }).where('id_hash', '=', session.idHash).execute();
    await audit(trx, now, {
      actor: session.accountId, action: 'auth.password.change', targetType: 'account', targetId: session.accountId,
      orgOid: session.unitOid, ip: input.ip,
      details: { previousKind: stored.kind, activated: Number(activated.numUpdatedRows) > 0 },
    });
  });
  return { ok: true };
}
