// Ending single sign-on (SSO-2). Tokens are not tied to the browser session (no session look-up per
// refresh or userinfo call), so a logout revokes the session's grants itself:
// - RP-initiated logout: the grants of the systems logged out of (all with "everything").
// - Tessera's own logout (POST /logout, /logout-everywhere): the provider sessions of that browser
//   (or of the account) end too, each system with a back-channel logout URI is told, and their
//   grants are revoked.
// - A Tessera session that ended otherwise (idle or absolute timeout, account disabled or deleted):
//   the `sso.sessions` job ends its provider sessions the same way (issue 13).
// Systems are told through the outbox (backchannel.ts), so a system that is down is told later.
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { enqueueBackchannelLogout } from '../platform/outbox.ts';
import { clientRows } from './clients-store.ts';
import { deleteOpSession, findOpSession, opSessionRowsOf, revokeGrantIds, type SessionRow } from './logout-store.ts';
import { endedOpSessionIds, unlinkOpSession } from './session-links-store.ts';

type Authorizations = Record<string, { grantId?: string; sid?: string }>;
export interface OpSession { id: string; accountId: string; authorizations: Authorizations }

const toSession = (r: SessionRow): OpSession => ({
  id: r.id, accountId: String(r.payload.accountId ?? ''), authorizations: (r.payload.authorizations ?? {}) as Authorizations,
});

export async function opSession(db: Db, id: string | undefined): Promise<OpSession | undefined> {
  if (!id || id.length > 100) return undefined;
  const r = await findOpSession(db, id);
  return r ? toSession(r) : undefined;
}

export async function opSessionsOf(db: Db, accountId: number): Promise<OpSession[]> {
  return (await opSessionRowsOf(db, accountId)).map(toSession);
}

/** Tells every system of the session that the user left (back-channel, through the outbox), revokes its grants, ends it. */
export async function endOpSession(db: Db, now: Date, s: OpSession): Promise<void> {
  const listening = (await clientRows(db, Object.keys(s.authorizations))).filter((c) => c.backchannel_logout_uri);
  for (const c of listening) {
    await enqueueBackchannelLogout(db, now, { clientId: c.system_code, sub: s.accountId, sid: s.authorizations[c.system_code]?.sid ?? '' });
  }
  await revokeGrantIds(db, Object.values(s.authorizations).map((a) => a.grantId).filter((g): g is string => Boolean(g)));
  await deleteOpSession(db, s.id);
  await unlinkOpSession(db, s.id);
}

/**
 * The `sso.sessions` job: provider sessions whose Tessera session ended without a logout (idle or
 * absolute timeout) or whose account was disabled or deleted are ended, each in its own transaction.
 */
export async function endLapsedOpSessions(deps: Deps): Promise<{ ended: number }> {
  let ended = 0;
  for (;;) {
    const ids = await endedOpSessionIds(deps.db, deps.clock.now(), 200);
    if (ids.length === 0) return { ended };
    for (const id of ids) {
      await deps.db.transaction().execute(async (trx) => {
        const s = await opSession(trx, id);
        if (s) { await endOpSession(trx, deps.clock.now(), s); ended++; } else await unlinkOpSession(trx, id);
      });
    }
  }
}
