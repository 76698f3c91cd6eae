// The application-system and role registry (SSO-1), read side.
import type { Deps } from '../platform/deps.ts';
import { notFound } from '../platform/http/errors.ts';
import { authorize, type Actor } from './authorize.ts';
import { applyScopes } from './system-apply-scope.ts';

export interface SystemView {
  code: string; nameZh: string; nameEn: string; category: string; flags: Record<string, unknown>;
  roles: { code: string; nameZh: string; nameEn: string }[];
  /** Subtree roots whose organisations may apply for its roles (REQ-1). */
  applyScope: string[];
}

export async function listSystems(deps: Deps, actor: Actor): Promise<SystemView[]> {
  if (!authorize(actor, 'system.read')) throw notFound();
  const [systems, roles, scopes] = await Promise.all([
    deps.db.selectFrom('application_systems').select(['code', 'name_zh', 'name_en', 'category', 'flags']).orderBy('category').orderBy('code').execute(),
    deps.db.selectFrom('roles').select(['code', 'system_code', 'name_zh', 'name_en']).orderBy('code').execute(),
    applyScopes(deps.db),
  ]);
  return systems.map((s) => ({
    code: s.code, nameZh: s.name_zh, nameEn: s.name_en, category: s.category, flags: s.flags,
    roles: roles.filter((r) => r.system_code === s.code).map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en })),
    applyScope: scopes.get(s.code) ?? [],
  }));
}

/** The category of a role's system, for role.assign decisions; undefined for an unknown role. */
export async function roleCategory(deps: Deps, roleCode: string): Promise<string | undefined> {
  const r = await deps.db.selectFrom('roles as r').innerJoin('application_systems as s', 's.code', 'r.system_code')
    .select('s.category').where('r.code', '=', roleCode).executeTakeFirst();
  return r?.category;
}

/** Every category in the registry (a grant may name only these, or '*'). */
export async function knownCategories(deps: Deps): Promise<Set<string>> {
  const rows = await deps.db.selectFrom('application_systems').select('category').distinct().execute();
  return new Set(rows.map((r) => r.category));
}
