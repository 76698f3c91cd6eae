// Ending single sign-on (SSO-2). Tokens are not tied to the browser session (no session look-up per
// refresh or userinfo call), so a logout revokes the session's grants itself:
// - RP-initiated logout: the grants of the systems logged out of (all with "everything").
// - Tessera's own logout (POST /logout, /logout-everywhere): the provider sessions of that browser
//   (or of the account) end too, each system with a back-channel logout URI is told, and their
//   grants are revoked.
import type Provider from 'oidc-provider';
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { deleteOpSession, findOpSession, opSessionRowsOf, revokeGrantIds, type SessionRow } from './logout-store.ts';

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

/** Tells every system of the session that the user left (back-channel), revokes its grants, ends it. */
export async function endOpSession(deps: Deps, provider: Provider, s: OpSession): Promise<void> {
  await Promise.all(Object.entries(s.authorizations).map(async ([clientId, a]) => {
    const client = await provider.Client.find(clientId).catch(() => undefined) as
      (Awaited<ReturnType<Provider['Client']['find']>> & { backchannelLogout(sub: string, sid: string): Promise<void> }) | undefined;
    if (!client?.backchannelLogoutUri) return;
    await client.backchannelLogout(s.accountId, a.sid ?? '').catch((err: Error) => {
      deps.log.warn({ client: clientId, err: err.message }, 'back-channel logout failed');
    });
  }));
  await revokeGrantIds(deps.db, Object.values(s.authorizations).map((a) => a.grantId).filter((g): g is string => Boolean(g)));
  await deleteOpSession(deps.db, s.id);
}
