// Changing one's own password (AUTH-3, AUTH-4 activation): current password, policy rules,
// history, then one transaction: new hash, history row, activation, other sessions ended, audit.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { getPassword } from '../accounts/store.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import type { PasswordError } from './password-policy.ts';
import { newPasswordErrors, storeChosenPassword } from './password-set.ts';
import type { ActiveSession } from './sessions.ts';
import { clearSessionMustChangePassword, endOtherSessions } from './session-store.ts';

/** `first`: the issued initial password was replaced, i.e. the account's first own password (開帳). */
export type ChangeResult = { ok: true; first: boolean } | { ok: false; errors: (PasswordError | 'password.currentWrong')[] };

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
  const errors = await newPasswordErrors(deps.db, deps.hasher, {
    accountId: session.accountId, username: session.username, current: stored, next: input.next, confirm: input.confirm, policy,
  });
  if (errors.length > 0) return { ok: false, errors };

  const hash = await deps.hasher.hash(input.next);
  await deps.db.transaction().execute(async (trx) => {
    const activated = await storeChosenPassword(trx, session.accountId, stored, hash, now);
    await endOtherSessions(trx, session.accountId, session.idHash);
    await clearSessionMustChangePassword(trx, session.idHash);
    await audit(trx, now, {
      actor: session.accountId, action: 'auth.password.change', targetType: 'account', targetId: session.accountId,
      orgOid: session.unitOid, ip: input.ip,
      details: { previousKind: stored.kind, activated },
    });
  });
  return { ok: true, first: stored.kind === 'initial' };
}
