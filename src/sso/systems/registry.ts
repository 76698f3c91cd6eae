// The application-system and role registry (SSO-1), read side.
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/http/errors.ts';
import { authorize, type Actor } from '../../access/authorize.ts';
import { applyScopes } from './apply-scope-store.ts';
import { findRegistryRow, findRoleCategory, registryRows, rolesOfSystems, systemCategories, type RegistryRow } from './store.ts';

export interface SystemView {
  code: string; nameZh: string; nameEn: string; category: string; flags: Record<string, unknown>;
  /** The owning organisation (SSO-1) and its registered name; null for the national root, which is not registered. */
  ownerOid: string; ownerName: string | null;
  roles: { code: string; nameZh: string; nameEn: string }[];
  /** Subtree roots whose organisations may apply for its roles (REQ-1). */
  applyScope: string[];
}

async function withRoles(deps: Deps, systems: RegistryRow[]): Promise<SystemView[]> {
  const codes = systems.map((s) => s.code);
  const [roles, scopes] = codes.length ? await Promise.all([
    rolesOfSystems(deps.db, codes),
    applyScopes(deps.db),
  ]) : [[], new Map<string, string[]>()];
  return systems.map((s) => ({
    code: s.code, nameZh: s.name_zh, nameEn: s.name_en, category: s.category, flags: s.flags, ownerOid: s.owner_oid, ownerName: s.owner_name,
    roles: roles.filter((r) => r.system_code === s.code).map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en })),
    applyScope: scopes.get(s.code) ?? [],
  }));
}

export async function listSystems(deps: Deps, actor: Actor): Promise<SystemView[]> {
  if (!authorize(actor, 'system.read')) throw notFound();
  return withRoles(deps, await registryRows(deps.db));
}

/** One system of the registry; an unknown code is "not found". */
export async function getSystem(deps: Deps, actor: Actor, code: string): Promise<SystemView> {
  if (!authorize(actor, 'system.read')) throw notFound();
  const row = await findRegistryRow(deps.db, code);
  if (!row) throw notFound();
  const [s] = await withRoles(deps, [row]);
  return s;
}

/** The category of a role's system, for role.assign decisions; undefined for an unknown role. */
export async function roleCategory(deps: Deps, roleCode: string): Promise<string | undefined> {
  return findRoleCategory(deps.db, roleCode);
}

/** Every category in the registry (a grant may name only these, or '*'). */
export async function knownCategories(deps: Deps): Promise<Set<string>> {
  return new Set(await systemCategories(deps.db));
}
