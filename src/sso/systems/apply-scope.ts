// Which subtrees may apply for an application system's roles (SSO-1, REQ-1, issue 9 item 14): the
// application form offers an organisation only the systems open to it; the central authority sets
// the subtrees on the system's page and through the API.
import type { Deps } from '../../platform/deps.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/http/errors.ts';
import { isValidOid } from '../../orgs/oid.ts';
import { authorize, type Actor } from '../../access/authorize.ts';
import { findSystem } from './store.ts';
import { applyScopes, lockSystem, orgNames, replaceApplyScope } from './apply-scope-store.ts';

export const MAX_APPLY_SUBTREES = 50;

/** The subtrees of one system with the names of those that are registered nodes (the page's list). */
export async function applyScopeView(deps: Deps, code: string) {
  const system = await findSystem(deps.db, code);
  if (!system) throw notFound();
  const subtrees = (await applyScopes(deps.db, code)).get(code) ?? [];
  const names = subtrees.length === 0 ? [] : await orgNames(deps.db, subtrees);
  const nameOf = new Map(names.map((n) => [n.oid, n.name]));
  return {
    system: { code: system.code, nameZh: system.name_zh, nameEn: system.name_en },
    subtrees: subtrees.map((oid) => ({ oid, name: nameOf.get(oid) ?? null })),
  };
}

export type ApplyScopeOutcome = { ok: true; subtrees: string[] } | { ok: false; invalid: string[] };

/** Replaces a system's subtrees (central authority only), audited with before and after. */
export async function setApplyScope(deps: Deps, actor: Actor, code: string, subtrees: string[], ip: string | null): Promise<ApplyScopeOutcome> {
  if (!authorize(actor, 'system.manage')) throw notFound();
  const wanted = [...new Set(subtrees.map((s) => s.trim()).filter(Boolean))].sort();
  const invalid = wanted.filter((o) => !isValidOid(o));
  if (invalid.length || wanted.length > MAX_APPLY_SUBTREES) return { ok: false, invalid };
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    if (!await lockSystem(trx, code)) throw notFound();
    const before = (await applyScopes(trx, code)).get(code) ?? [];
    if (before.join() === wanted.join()) return { ok: true as const, subtrees: wanted };
    await replaceApplyScope(trx, code, wanted);
    await audit(trx, now, { actor: actor.accountId, action: 'system.applyScope.set', targetType: 'system', targetId: code, ip, details: { before, after: wanted } });
    return { ok: true as const, subtrees: wanted };
  });
}
