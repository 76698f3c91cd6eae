// Small factories for the objects tests need besides accounts (accounts.ts): roles held,
// administration grants, application systems with their roles, and consents. Each writes the rows
// directly, as set-up, without the authorization the product's own paths apply; a test that is
// about those paths goes through HTTP instead.
import type { Deps } from '../../src/platform/deps.ts';
import type { GrantKind } from '../../src/access/authorize.ts';

/** The account holds these roles (ROLE codes such as 'csm_user'). */
export async function giveRoles(deps: Deps, accountId: number, ...roleCodes: string[]): Promise<void> {
  const now = deps.clock.now();
  await deps.db.insertInto('role_grants').values(roleCodes.map((role_code) => ({ account_id: accountId, role_code, granted_by: null, granted_at: now }))).execute();
}

/** The account holds an administration grant (ADM-1) over `oid` for these system categories. */
export async function giveGrant(deps: Deps, accountId: number, kind: GrantKind, oid: string, categories: string[] = []): Promise<void> {
  await deps.db.insertInto('admin_grants').values({ account_id: accountId, kind, jurisdiction_oid: oid, categories }).execute();
}

/** An application system (SSO-1) with one role per entry of `roles` (code → Chinese name). */
export async function addSystem(deps: Deps, s: { code: string; name: string; nameEn?: string; category: string; ownerOid?: string; roles?: Record<string, string> }): Promise<void> {
  await deps.db.insertInto('application_systems').values({ code: s.code, name_zh: s.name, name_en: s.nameEn ?? s.name, category: s.category, ...(s.ownerOid ? { owner_oid: s.ownerOid } : {}), flags: '{}' }).execute();
  const roles = Object.entries(s.roles ?? {});
  if (roles.length) await deps.db.insertInto('roles').values(roles.map(([code, name]) => ({ code, system_code: s.code, name_zh: name, name_en: name }))).execute();
}

/** The account has consented to release these claims to the system (SSO-3). */
export async function giveConsent(deps: Deps, accountId: number, systemCode: string, claims: string[]): Promise<void> {
  await deps.db.insertInto('sso_consents').values({ account_id: accountId, system_code: systemCode, claims, granted_at: deps.clock.now() }).execute();
}

/** The account has a passkey (AUTH-11) — a stored row only, with a key no authenticator holds. */
export async function givePasskey(deps: Deps, accountId: number, name = '通行密鑰 1'): Promise<number> {
  const r = await deps.db.insertInto('passkeys').values({
    account_id: accountId, credential_id: `test-${accountId}-${Math.random().toString(36).slice(2)}`, public_key: Buffer.from([1, 2, 3]), counter: 0,
    transports: ['internal'], aaguid: '00000000-0000-0000-0000-000000000000', backup_eligible: false, backup_state: false, name, created_at: deps.clock.now(),
  }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** The account has a registered citizen certificate (AUTH-8) — a stored binding only, no certificate behind it. */
export async function giveCertificate(deps: Deps, accountId: number): Promise<number> {
  const serial = Math.random().toString(16).slice(2, 14);
  const r = await deps.db.insertInto('cert_bindings').values({
    account_id: accountId, issuer_key_id: 'test-issuer', serial, subject_key_id: `ski-${serial}`, thumbprint: `tp-${serial}`,
    issuer: 'C=TW, O=行政院, OU=內政部憑證管理中心', common_name: '林建國', not_after: new Date('2030-01-01T00:00:00Z'), created_at: deps.clock.now(),
  }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
