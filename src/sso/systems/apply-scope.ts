// Which subtrees may apply for an application system's roles (SSO-1, REQ-1, issue 9 item 14): the
// application form offers an organisation only the systems open to it; the central authority sets
// the subtrees on the system's page and through the API.
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/http/errors.ts';
import { isValidOid } from '../../orgs/oid.ts';
import { oidWithin } from '../../requests/approvers-sql.ts';
import { authorize, type Actor } from '../../access/authorize.ts';

export const MAX_APPLY_SUBTREES = 50;

/** Codes of the systems that an organisation may apply for (a subtree of the system covers it). */
export async function systemCodesOpenTo(db: Db, orgOid: string): Promise<string[]> {
  const rows = await db.selectFrom('system_apply_scope').select('system_code').distinct()
    .where(oidWithin(sql.val(orgOid), sql.ref<string>('subtree_oid'))).execute();
  return rows.map((r) => r.system_code);
}

/** The subtrees of one system with the names of those that are registered nodes (the page's list). */
export async function applyScopeView(deps: Deps, code: string) {
  const system = await deps.db.selectFrom('application_systems').select(['code', 'name_zh', 'name_en']).where('code', '=', code).executeTakeFirst();
  if (!system) throw notFound();
  const subtrees = (await applyScopes(deps.db, code)).get(code) ?? [];
  const names = subtrees.length === 0 ? [] : await deps.db.selectFrom('orgs').select(['oid', 'name']).where('oid', 'in', subtrees).execute();
  const nameOf = new Map(names.map((n) => [n.oid, n.name]));
  return {
    system: { code: system.code, nameZh: system.name_zh, nameEn: system.name_en },
    subtrees: subtrees.map((oid) => ({ oid, name: nameOf.get(oid) ?? null })),
  };
}

/** Every system's subtrees, sorted (systems without any are absent). */
export async function applyScopes(db: Db, code?: string): Promise<Map<string, string[]>> {
  let q = db.selectFrom('system_apply_scope').select(['system_code', 'subtree_oid']).orderBy('system_code').orderBy('subtree_oid');
  if (code !== undefined) q = q.where('system_code', '=', code);
  const out = new Map<string, string[]>();
  for (const r of await q.execute()) out.set(r.system_code, [...(out.get(r.system_code) ?? []), r.subtree_oid]);
  return out;
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
    const system = await trx.selectFrom('application_systems').select('code').where('code', '=', code).forUpdate().executeTakeFirst();
    if (!system) throw notFound();
    const before = (await applyScopes(trx, code)).get(code) ?? [];
    if (before.join() === wanted.join()) return { ok: true as const, subtrees: wanted };
    await trx.deleteFrom('system_apply_scope').where('system_code', '=', code).execute();
    if (wanted.length) await trx.insertInto('system_apply_scope').values(wanted.map((subtree_oid) => ({ system_code: code, subtree_oid }))).execute();
    await audit(trx, now, { actor: actor.accountId, action: 'system.applyScope.set', targetType: 'system', targetId: code, ip, details: { before, after: wanted } });
    return { ok: true as const, subtrees: wanted };
  });
}
