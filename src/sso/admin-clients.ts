// Administering each application system's OpenID Connect client (SSO-2): who may (authorize
// 'client.manage' with the system's category), what is stored, and the client secret, which is
// generated here, shown once, and kept only encrypted. A system the caller may not manage does
// not exist for it (404), exactly like an unknown one.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { HttpError, notFound } from '../platform/http/errors.ts';
import { randomToken } from '../platform/crypto.ts';
import { authorize, type Actor } from '../admin/authorize.ts';
import type { ClientAuthMethod } from './tables.ts';
import { usesSecret, validateClient, type ClientErrors, type ClientInput, type ClientValue, type GrantType } from './admin-client-rules.ts';

export interface ManagedSystem { code: string; nameZh: string; nameEn: string; category: string; certificateFlag: boolean }

export interface ClientView {
  authMethod: ClientAuthMethod; redirectUris: string[]; postLogoutRedirectUris: string[]; backchannelLogoutUri: string | null;
  initiateLoginUri: string | null; grantTypes: string[]; certificateRequired: boolean; enabled: boolean;
  jwks: { keys: unknown[] } | null; hasSecret: boolean; updatedAt: Date | null;
}

export interface ClientSystem extends ManagedSystem {
  /** False until the client is first saved: the view then shows the defaults below. */
  configured: boolean;
  client: ClientView;
}

/** The issuer the systems are told to ask (the provider's); used by portal tiles for `iss`. */
export const ssoIssuer = (deps: Deps): string => `${deps.config.baseUrl}/oidc`;

const defaults = (s: ManagedSystem): ClientView => ({
  authMethod: 'client_secret_basic', redirectUris: [], postLogoutRedirectUris: [], backchannelLogoutUri: null, initiateLoginUri: null,
  grantTypes: ['authorization_code', 'refresh_token'], certificateRequired: s.certificateFlag, enabled: true, jwks: null, hasSecret: false, updatedAt: null,
});

/** The systems whose client the caller may manage; the registry is small, each system is put to `authorize`. */
export async function clientManageScope(deps: Deps, actor: Actor): Promise<ManagedSystem[]> {
  const rows = await deps.db.selectFrom('application_systems').select(['code', 'name_zh', 'name_en', 'category', 'flags'])
    .orderBy('category').orderBy('code').execute();
  return rows.filter((s) => authorize(actor, 'client.manage', { category: s.category })).map((s) => ({
    code: s.code, nameZh: s.name_zh, nameEn: s.name_en, category: s.category,
    certificateFlag: (s.flags as { certificateRequired?: unknown }).certificateRequired === true,
  }));
}

async function clientRows(deps: Deps, codes: string[]) {
  if (codes.length === 0) return [];
  return deps.db.selectFrom('sso_clients').selectAll().where('system_code', 'in', codes).execute();
}

type ClientRow = Awaited<ReturnType<typeof clientRows>>[number];

const toView = (r: ClientRow): ClientView => ({
  authMethod: r.auth_method, redirectUris: r.redirect_uris, postLogoutRedirectUris: r.post_logout_redirect_uris,
  backchannelLogoutUri: r.backchannel_logout_uri, initiateLoginUri: r.initiate_login_uri, grantTypes: r.grant_types,
  certificateRequired: r.certificate_required, enabled: r.enabled, jwks: r.jwks, hasSecret: r.secret_enc !== null, updatedAt: r.updated_at,
});

/** Every system the caller may manage with its client; none at all is "not found". */
export async function listClients(deps: Deps, actor: Actor): Promise<ClientSystem[]> {
  const systems = await clientManageScope(deps, actor);
  if (systems.length === 0) throw notFound();
  const rows = new Map((await clientRows(deps, systems.map((s) => s.code))).map((r) => [r.system_code, r]));
  return systems.map((s) => {
    const r = rows.get(s.code);
    return { ...s, configured: r !== undefined, client: r ? toView(r) : defaults(s) };
  });
}

/** One system the caller may manage, with its client. */
export async function getClient(deps: Deps, actor: Actor, code: string): Promise<ClientSystem> {
  const s = await deps.db.selectFrom('application_systems').select(['code', 'name_zh', 'name_en', 'category', 'flags'])
    .where('code', '=', code).executeTakeFirst();
  if (!s || !authorize(actor, 'client.manage', { category: s.category })) throw notFound();
  const system: ManagedSystem = {
    code: s.code, nameZh: s.name_zh, nameEn: s.name_en, category: s.category,
    certificateFlag: (s.flags as { certificateRequired?: unknown }).certificateRequired === true,
  };
  const [r] = await clientRows(deps, [code]);
  return { ...system, configured: r !== undefined, client: r ? toView(r) : defaults(system) };
}

export type ClientOutcome = { ok: true; value: ClientSystem } | { ok: false; errors: ClientErrors };

/** The stored view as the rules' input, so a partial change (the API's PATCH) keeps the rest. */
export const inputOf = (c: ClientView): ClientInput => ({
  authMethod: c.authMethod, redirectUris: c.redirectUris, postLogoutRedirectUris: c.postLogoutRedirectUris,
  backchannelLogoutUri: c.backchannelLogoutUri ?? '', initiateLoginUri: c.initiateLoginUri ?? '', grantTypes: c.grantTypes,
  certificateRequired: c.certificateRequired, enabled: c.enabled, jwks: c.jwks ? JSON.stringify(c.jwks, null, 2) : '',
});

const auditView = (v: ClientValue | ClientView) => ({
  authMethod: v.authMethod, redirectUris: v.redirectUris, postLogoutRedirectUris: v.postLogoutRedirectUris,
  backchannelLogoutUri: v.backchannelLogoutUri, initiateLoginUri: v.initiateLoginUri, grantTypes: v.grantTypes,
  certificateRequired: v.certificateRequired, enabled: v.enabled, jwks: v.jwks !== null,
});

/**
 * Saves the client's settings. Switching to a method without a shared secret (private_key_jwt,
 * none) drops the stored secret, so a secret no longer in use cannot be used later.
 */
export async function saveClient(deps: Deps, actor: Actor, code: string, input: ClientInput, ip: string | null): Promise<ClientOutcome> {
  const before = await getClient(deps, actor, code);
  const r = validateClient(input);
  if (!r.value) return { ok: false, errors: r.errors };
  const v = r.value;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const row = {
      auth_method: v.authMethod, redirect_uris: v.redirectUris, post_logout_redirect_uris: v.postLogoutRedirectUris,
      backchannel_logout_uri: v.backchannelLogoutUri, initiate_login_uri: v.initiateLoginUri, grant_types: v.grantTypes as GrantType[] as string[],
      certificate_required: v.certificateRequired, enabled: v.enabled, jwks: v.jwks ? JSON.stringify(v.jwks) : null, updated_at: now,
    };
    await trx.insertInto('sso_clients').values({ system_code: code, ...row, created_at: now })
      .onConflict((oc) => oc.column('system_code').doUpdateSet({ ...row, ...(usesSecret(v.authMethod) ? {} : { secret_enc: null }) }))
      .execute();
    await audit(trx, now, {
      actor: actor.accountId, action: before.configured ? 'sso.client.update' : 'sso.client.create', targetType: 'application_system', targetId: code, ip,
      details: { before: before.configured ? auditView(before.client) : null, after: auditView(v) },
    });
  });
  return { ok: true, value: await getClient(deps, actor, code) };
}

/**
 * Generates a new client secret (產生新密鑰): the old one stops working at once. Returned to be
 * shown this once; stored only encrypted. A client not saved yet, or one whose method uses no
 * shared secret, has none to rotate (409).
 */
export async function rotateSecret(deps: Deps, actor: Actor, code: string, ip: string | null): Promise<{ clientId: string; clientSecret: string }> {
  const c = await getClient(deps, actor, code);
  if (!c.configured) throw new HttpError(409, 'sso.admin.saveFirst');
  if (!usesSecret(c.client.authMethod)) throw new HttpError(409, 'sso.admin.secretNotUsed');
  const secret = randomToken(32);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('sso_clients').set({ secret_enc: deps.keyring.encrypt(secret), updated_at: now }).where('system_code', '=', code).execute();
    await audit(trx, now, {
      actor: actor.accountId, action: 'sso.client.secret', targetType: 'application_system', targetId: code, ip,
      details: { rotated: c.client.hasSecret },
    });
  });
  return { clientId: code, clientSecret: secret };
}
