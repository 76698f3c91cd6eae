// Account usage rules (帳號使用規則, seed 002 五(七)): the central authority publishes a subtree's
// rules in versions; every account under it acknowledges the current version at its next sign-in
// (the session then reaches only the rules page, as with a forced password change) and again when
// a new version is published; each acceptance is recorded and audited.
import type { Deps } from '../../platform/deps.ts';
import type { MessageKey } from '../../platform/web/messages.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/http/errors.ts';
import { authorize, type Actor } from '../../access/authorize.ts';
import { currentRulesFor } from '../../access/usage-rules-sql.ts';
import { clearSessionMustAcceptRules } from '../../auth/session-store.ts';
import type { ActiveSession } from '../../auth/sessions.ts';
import { isValidOid } from '../../orgs/oid.ts';
import { getOrg } from '../../orgs/store.ts';
import { acceptanceCount, insertAcceptances, insertNextVersion, versionsOf } from './store.ts';

export const TITLE_MAX = 200;
export const BODY_MAX = 20_000;

export type RulesInput = { title: string; body: string };
export type Problems = Partial<Record<keyof RulesInput, MessageKey>>;

export function checkRules(input: RulesInput): Problems {
  const p: Problems = {};
  if (!input.title.trim()) p.title = 'usageRules.error.title';
  else if (input.title.length > TITLE_MAX) p.title = 'usageRules.error.tooLong';
  if (!input.body.trim()) p.body = 'usageRules.error.body';
  else if (input.body.length > BODY_MAX) p.body = 'usageRules.error.tooLong';
  return p;
}

/** The current rules over the session's account, and which it accepted. */
export const rulesForSession = (deps: Deps, s: Pick<ActiveSession, 'accountId' | 'unitOid'>) => currentRulesFor(deps.db, s.accountId, s.unitOid);

/** Accepts every current rule over the account, clears the session's obligation, audits it. */
export async function acceptRules(deps: Deps, s: ActiveSession, ip: string | null): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const owed = (await currentRulesFor(trx, s.accountId, s.unitOid)).filter((r) => r.accepted_at === null);
    await insertAcceptances(trx, s.accountId, owed.map((r) => r.id), now);
    await clearSessionMustAcceptRules(trx, s.idHash);
    if (owed.length) {
      await audit(trx, now, {
        actor: s.accountId, action: 'account.usageRules.accept', targetType: 'account', targetId: s.accountId, orgOid: s.unitOid, ip,
        details: { rules: owed.map((r) => ({ oid: r.oid, version: r.version })) },
      });
    }
    return owed.length;
  });
}

/** A subtree's versions with how many of its accounts accepted the current one (central authority). */
export async function subtreeRules(deps: Deps, actor: Actor, oid: string) {
  if (!isValidOid(oid) || !authorize(actor, 'policy.manage', { oid })) throw notFound();
  const org = await getOrg(deps.db, oid);
  if (!org) throw notFound();
  const versions = await versionsOf(deps.db, oid);
  const counts = versions[0] ? await acceptanceCount(deps.db, oid, versions[0].id) : null;
  return { org, versions, counts };
}

export async function publishRules(deps: Deps, actor: Actor, oid: string, input: RulesInput, ip: string | null): Promise<{ ok: true; version: number } | { ok: false; problems: Problems }> {
  if (!isValidOid(oid) || !authorize(actor, 'policy.manage', { oid })) throw notFound();
  if (!await getOrg(deps.db, oid)) throw notFound();
  const problems = checkRules(input);
  if (Object.keys(problems).length) return { ok: false, problems };
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const r = await insertNextVersion(trx, { oid, title: input.title.trim(), body: input.body.trim(), now, by: actor.accountId });
    await audit(trx, now, { actor: actor.accountId, action: 'policy.usageRules.publish', targetType: 'org', targetId: oid, orgOid: oid, ip, details: { version: r.version } });
    return { ok: true as const, version: r.version };
  });
}
