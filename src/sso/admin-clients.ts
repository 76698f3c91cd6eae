// Administering each application system's OpenID Connect client (SSO-2): who may (authorize
// 'client.manage' with the system's owner and category), what is stored, and the client secret, which is
// generated here, shown once, and kept only encrypted. A system the caller may not manage does
// not exist for it (404), exactly like an unknown one.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { HttpError, notFound } from '../platform/http/errors.ts';
import { authorize, systemScopeFor, type Actor } from '../access/authorize.ts';
import type { ClientAuthMethod, IdTokenAlg } from './tables.ts';
import { usesSecret, type ClientFieldError, type GrantType } from './client-rules.ts';
import { upsertClient } from './clients.ts';
import { clientRows, type ClientRow } from './clients-store.ts';
import { findSystem, systemsWithin, type SystemRow } from './systems/store.ts';
import { errorsByField, parseJwksText, type ClientErrors } from './admin-client-rules.ts';
import { clientAdministrators, mailClientChange } from './admin-notify.ts';
import { discoveryUrlOf, issuerOf } from './provider.ts';

/** The settings as the form and the API carry them (URIs as lists, the JWKS as JSON text). */
export interface ClientSettingsInput {
  authMethod: string; redirectUris: string[]; postLogoutRedirectUris: string[]; backchannelLogoutUri: string; initiateLoginUri: string;
  grantTypes: string[]; certificateRequired: boolean; enabled: boolean; jwks: string; idTokenAlg: string;
}

export interface ManagedSystem { code: string; nameZh: string; nameEn: string; category: string; ownerOid: string; certificateFlag: boolean }

export interface ClientView {
  authMethod: ClientAuthMethod; redirectUris: string[]; postLogoutRedirectUris: string[]; backchannelLogoutUri: string | null;
  initiateLoginUri: string | null; grantTypes: string[]; certificateRequired: boolean; enabled: boolean;
  jwks: { keys: unknown[] } | null; idTokenAlg: IdTokenAlg; hasSecret: boolean; updatedAt: Date | null;
}

export interface ClientSystem extends ManagedSystem {
  /** False until the client is first saved: the view then shows the defaults below. */
  configured: boolean;
  client: ClientView;
  /** Where the system's OpenID Connect library starts (issue 9 item 19): the same for every client. */
  issuer: string; discoveryUrl: string;
}

const defaults = (s: ManagedSystem): ClientView => ({
  authMethod: 'client_secret_basic', redirectUris: [], postLogoutRedirectUris: [], backchannelLogoutUri: null, initiateLoginUri: null,
  grantTypes: ['authorization_code', 'refresh_token'], certificateRequired: s.certificateFlag, enabled: true, jwks: null, idTokenAlg: 'ES256',
  hasSecret: false, updatedAt: null,
});

const managed = (s: SystemRow): ManagedSystem => ({
  code: s.code, nameZh: s.name_zh, nameEn: s.name_en, category: s.category, ownerOid: s.owner_oid,
  certificateFlag: (s.flags as { certificateRequired?: unknown }).certificateRequired === true,
});

/** The systems whose client the caller may manage: `authorize`'s rule in SQL (owner within a grant's jurisdiction, category covered). */
export async function clientManageScope(deps: Deps, actor: Actor): Promise<ManagedSystem[]> {
  return (await systemsWithin(deps.db, systemScopeFor(actor, 'client.manage'))).map(managed);
}

const endpoints = (deps: Deps) => ({ issuer: issuerOf(deps), discoveryUrl: discoveryUrlOf(deps) });

const toView = (r: ClientRow): ClientView => ({
  authMethod: r.auth_method, redirectUris: r.redirect_uris, postLogoutRedirectUris: r.post_logout_redirect_uris,
  backchannelLogoutUri: r.backchannel_logout_uri, initiateLoginUri: r.initiate_login_uri, grantTypes: r.grant_types,
  certificateRequired: r.certificate_required, enabled: r.enabled, jwks: r.jwks, idTokenAlg: r.id_token_signed_response_alg,
  hasSecret: r.secret_enc !== null, updatedAt: r.updated_at,
});

/** Every system the caller may manage with its client; none at all is "not found". */
export async function listClients(deps: Deps, actor: Actor): Promise<ClientSystem[]> {
  const systems = await clientManageScope(deps, actor);
  if (systems.length === 0) throw notFound();
  const rows = new Map((await clientRows(deps.db, systems.map((s) => s.code))).map((r) => [r.system_code, r]));
  return systems.map((s) => {
    const r = rows.get(s.code);
    return { ...s, configured: r !== undefined, client: r ? toView(r) : defaults(s), ...endpoints(deps) };
  });
}

/** One system the caller may manage, with its client. */
export async function getClient(deps: Deps, actor: Actor, code: string): Promise<ClientSystem> {
  const s = await findSystem(deps.db, code);
  if (!s || !authorize(actor, 'client.manage', { oid: s.owner_oid, category: s.category })) throw notFound();
  const system = managed(s);
  const [r] = await clientRows(deps.db, [code]);
  return { ...system, configured: r !== undefined, client: r ? toView(r) : defaults(system), ...endpoints(deps) };
}

/** Saved; `secret` only when one was generated now (a new secret-based client): shown this once. */
export type ClientOutcome = { ok: true; value: ClientSystem; secret?: string } | { ok: false; errors: ClientErrors };

/** The stored view as input, so a partial change (the API's PATCH) keeps the rest. */
export const inputOf = (c: ClientView): ClientSettingsInput => ({
  authMethod: c.authMethod, redirectUris: c.redirectUris, postLogoutRedirectUris: c.postLogoutRedirectUris,
  backchannelLogoutUri: c.backchannelLogoutUri ?? '', initiateLoginUri: c.initiateLoginUri ?? '', grantTypes: c.grantTypes,
  certificateRequired: c.certificateRequired, enabled: c.enabled, jwks: c.jwks ? JSON.stringify(c.jwks, null, 2) : '', idTokenAlg: c.idTokenAlg,
});

const auditView = (v: ClientView | ClientSettingsInput) => ({
  authMethod: v.authMethod, redirectUris: v.redirectUris, postLogoutRedirectUris: v.postLogoutRedirectUris,
  backchannelLogoutUri: v.backchannelLogoutUri || null, initiateLoginUri: v.initiateLoginUri || null, grantTypes: v.grantTypes,
  certificateRequired: v.certificateRequired, enabled: v.enabled, jwks: Boolean(v.jwks), idTokenAlg: v.idTokenAlg,
});

/** A refusal by the client rules, thrown inside the transaction so nothing it wrote stays. */
class Refused extends Error {
  constructor(readonly errors: ClientFieldError[]) { super('refused'); }
}

/**
 * Saves the client's settings through the provider's upsertClient (its rules, its encryption), with
 * the audit event in the same transaction. A new secret-based client gets a secret, returned once;
 * switching to a method without a shared secret drops the stored one.
 */
export async function saveClient(deps: Deps, actor: Actor, code: string, input: ClientSettingsInput, ip: string | null): Promise<ClientOutcome> {
  const before = await getClient(deps, actor, code);
  const jwks = parseJwksText(input.jwks);
  const now = deps.clock.now();
  let secret: string | undefined;
  try {
    secret = await deps.db.transaction().execute(async (trx) => {
      const res = await upsertClient(trx, deps, {
        systemCode: code, authMethod: input.authMethod as ClientAuthMethod, grantTypes: input.grantTypes as GrantType[],
        redirectUris: input.redirectUris, postLogoutRedirectUris: input.postLogoutRedirectUris,
        backchannelLogoutUri: input.backchannelLogoutUri.trim() || null, initiateLoginUri: input.initiateLoginUri.trim() || null,
        jwks: jwks.jwks, certificateRequired: input.certificateRequired, enabled: input.enabled, idTokenSignedResponseAlg: input.idTokenAlg as IdTokenAlg,
      });
      const errors = res.ok ? [] : res.errors;
      // Text that is not JSON is refused even when the method ignores it: it was typed for a reason.
      if (jwks.invalid) errors.push({ field: 'jwks', message: 'sso.client.jwksInvalid' });
      if (!res.ok || errors.length) throw new Refused(errors); // rolls back whatever was written
      // Where sign-ins may be sent, and the secret, are what a take-over changes: the system's other administrators hear of it.
      const previous = before.configured ? before.client.redirectUris : [];
      const added = input.redirectUris.filter((u) => !previous.includes(u));
      const removed = previous.filter((u) => !input.redirectUris.includes(u));
      const secretReplaced = before.configured && res.secret !== undefined;
      const notify = added.length || removed.length || secretReplaced ? await clientAdministrators(trx, before, actor.accountId) : [];
      await audit(trx, now, {
        actor: actor.accountId, action: before.configured ? 'sso.client.update' : 'sso.client.create', targetType: 'application_system', targetId: code, ip,
        details: { before: before.configured ? auditView(before.client) : null, after: auditView(input), secretGenerated: res.secret !== undefined, notified: notify.length },
      });
      if (added.length || removed.length) await mailClientChange(trx, deps, now, actor.accountId, before, notify, { change: 'redirectUris', added, removed });
      if (secretReplaced) await mailClientChange(trx, deps, now, actor.accountId, before, notify, { change: 'secret' });
      return res.secret;
    });
  } catch (e) {
    if (e instanceof Refused) return { ok: false, errors: errorsByField(e.errors) };
    throw e;
  }
  return { ok: true, value: await getClient(deps, actor, code), secret };
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
  const v = c.client;
  const now = deps.clock.now();
  const secret = await deps.db.transaction().execute(async (trx) => {
    const res = await upsertClient(trx, deps, {
      systemCode: code, authMethod: v.authMethod, grantTypes: v.grantTypes as GrantType[], redirectUris: v.redirectUris,
      postLogoutRedirectUris: v.postLogoutRedirectUris, backchannelLogoutUri: v.backchannelLogoutUri, initiateLoginUri: v.initiateLoginUri,
      jwks: v.jwks, certificateRequired: v.certificateRequired, enabled: v.enabled, idTokenSignedResponseAlg: v.idTokenAlg, rotateSecret: true,
    });
    // The stored settings passed these rules when saved; a refusal now means the rules changed under them.
    if (!res.ok || !res.secret) throw new HttpError(409, 'sso.admin.saveFirst');
    const notify = await clientAdministrators(trx, c, actor.accountId);
    await audit(trx, now, {
      actor: actor.accountId, action: 'sso.client.secret', targetType: 'application_system', targetId: code, ip, details: { rotated: v.hasSecret, notified: notify.length },
    });
    await mailClientChange(trx, deps, now, actor.accountId, c, notify, { change: 'secret' });
    return res.secret;
  });
  return { clientId: code, clientSecret: secret };
}
