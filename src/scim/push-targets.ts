// SSO-6 ADM-2 ADM-7: a system's SCIM push targets — the receiver's SCIM base URL and bearer secret
// (encrypted with the keyring, never shown again), bound to a subtree the same way a SCIM token is:
// only where one of the administrator's grants could assign the system's roles. Setting one
// queues every live account of the subtree (the initial load); removing one drops what waits.
// Listed with their sync status (last success, last failure and its reason, failures in a row,
// waiting and abandoned changes) for the system's SCIM page and the API. Audited.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { isValidOid } from '../orgs/oid.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { uriProblem } from '../sso/client-rules.ts';
import { findSystem } from '../sso/systems/store.ts';
import { tokenScope } from './tokens.ts';
import { deletePushTarget, enqueueInitialLoad, findPushTarget, pushTargetsOf, upsertPushTarget } from './push-store.ts';

export type PushError = 'scim.push.badOid' | 'scim.push.outside' | 'scim.push.badUrl' | 'scim.push.badSecret';
export type SetPushOutcome = { ok: true; id: number; queued: number } | { ok: false; field: 'jurisdictionOid' | 'url' | 'secret'; error: PushError };

export interface PushTargetView {
  id: number; jurisdictionOid: string; url: string; enabled: boolean; createdAt: Date; lastSuccessAt: Date | null; lastFailureAt: Date | null;
  lastError: string | null; failures: number; pending: number; givenUp: number;
}

async function systemFor(deps: Deps, actor: Actor, code: string) {
  const s = await findSystem(deps.db, code);
  if (!s) throw notFound();
  const scope = tokenScope(actor, s.category);
  if (!scope.all && scope.roots.length === 0) throw notFound();
  return s;
}

export async function listPushTargets(deps: Deps, actor: Actor, systemCode: string): Promise<PushTargetView[]> {
  const s = await systemFor(deps, actor, systemCode);
  const rows = await pushTargetsOf(deps.db, systemCode, tokenScope(actor, s.category));
  return rows.map((r) => ({
    id: Number(r.id), jurisdictionOid: r.jurisdiction_oid, url: r.url, enabled: r.enabled, createdAt: r.created_at, lastSuccessAt: r.last_success_at,
    lastFailureAt: r.last_failure_at, lastError: r.last_error, failures: Number(r.failures), pending: Number(r.pending), givenUp: Number(r.given_up),
  }));
}

/** Registers (or re-keys) the system's push target over a subtree and queues the subtree's people. */
export async function setPushTarget(deps: Deps, actor: Actor, systemCode: string, input: { jurisdictionOid: string; url: string; secret: string }, ip: string | null): Promise<SetPushOutcome> {
  const s = await systemFor(deps, actor, systemCode);
  const root = input.jurisdictionOid.trim();
  if (!isValidOid(root)) return { ok: false, field: 'jurisdictionOid', error: 'scim.push.badOid' };
  if (!authorize(actor, 'role.assign', { oid: root, category: s.category })) return { ok: false, field: 'jurisdictionOid', error: 'scim.push.outside' };
  const url = input.url.trim();
  if (uriProblem(url) || new URL(url).search) return { ok: false, field: 'url', error: 'scim.push.badUrl' };
  const secret = input.secret.trim();
  if (secret.length < 16 || secret.length > 4000 || /\s/.test(secret)) return { ok: false, field: 'secret', error: 'scim.push.badSecret' };
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const t = await upsertPushTarget(trx, { systemCode, root, url, secretEnc: deps.keyring.encrypt(secret), createdBy: actor.accountId, now });
    const queued = t.created ? await enqueueInitialLoad(trx, t.id, root) : 0;
    await audit(trx, now, {
      actor: actor.accountId, action: 'system.scimPush.set', targetType: 'system', targetId: systemCode, orgOid: root, ip,
      details: { system: systemCode, targetId: t.id, jurisdictionOid: root, host: new URL(url).host, created: t.created, queued },
    });
    return { ok: true as const, id: t.id, queued };
  });
}

/** Removes a push target of the system; out of reach (or another system's) is "not found". */
export async function removePushTarget(deps: Deps, actor: Actor, systemCode: string, id: number, ip: string | null): Promise<{ removed: boolean }> {
  const s = await systemFor(deps, actor, systemCode);
  const t = await findPushTarget(deps.db, id);
  if (!t || t.system_code !== systemCode || !authorize(actor, 'role.assign', { oid: t.jurisdiction_oid, category: s.category })) throw notFound();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await deletePushTarget(trx, id);
    await audit(trx, now, { actor: actor.accountId, action: 'system.scimPush.remove', targetType: 'system', targetId: systemCode, orgOid: t.jurisdiction_oid, ip, details: { system: systemCode, targetId: id } });
  });
  return { removed: true };
}
