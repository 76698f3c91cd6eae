// When the provider must stop and ask (SSO-2..4). On top of oidc-provider's own checks:
// - login: the browser's Tessera session is the only sign-in. No session (or another account, or
//   another sign-in method) → the login interaction, which sends the user through /login.
// - access: the account must be enabled, hold a role in the system, and meet its certificate flag;
//   otherwise the refusal page and access_denied / unmet_authentication_requirements to the RP.
// - consent: a stored consent (sso_consents) covering the requested claims, even if the provider
//   still holds a grant (the user may have revoked it).
import type { interactionPolicy, KoaContextWithOIDC } from 'oidc-provider';
import { oidc } from './oidc-lib.ts';
import type { Deps } from '../platform/deps.ts';
import { authContextOf } from './auth-context.ts';
import { refusalOf, systemAccess, type SystemAccess } from './access.ts';
import { claimsForScopes } from './claims.ts';
import { linkedRequest } from './request-link.ts';

/** The access facts, read once per request however many checks ask. */
const accessCache = new WeakMap<object, Promise<SystemAccess>>();
export function accessFor(deps: Deps, ctx: KoaContextWithOIDC): Promise<SystemAccess> {
  let p = accessCache.get(ctx);
  if (!p) {
    p = systemAccess(deps.db, Number(ctx.oidc.session!.accountId), ctx.oidc.client!.clientId);
    accessCache.set(ctx, p);
  }
  return p;
}

/** The requested scopes' claims are all among the consented ones. */
export function consentCovers(consented: string[] | null, scope: string | undefined): boolean {
  if (!consented) return false;
  const have = new Set(consented);
  return claimsForScopes((scope ?? '').split(' ')).every((c) => have.has(c));
}

export function buildPolicy(deps: Deps): interactionPolicy.DefaultPolicy {
  const { base, Prompt, Check } = oidc().interactionPolicy;
  const policy = base();

  policy.get('login')!.checks.add(new Check('tessera_session', 'the Tessera sign-in is missing or has changed', 'login_required', (ctx) => {
    const s = linkedRequest(ctx.req)?.ctx?.session;
    if (!s || s.mustChangePassword) return Check.REQUEST_PROMPT;
    const op = ctx.oidc.session!;
    if (op.accountId !== String(s.accountId) || op.acr !== authContextOf(s.authMethod).acr) return Check.REQUEST_PROMPT;
    return Check.NO_NEED_TO_PROMPT;
  }), 0);

  // The acr a client asks for (acr_values, or an acr claim request) is judged with the system's
  // flag in the access prompt below, where the refusal page offers the step-up; the provider's own
  // essential-acr checks would ask the login prompt again and again for a sign-in the Tessera
  // session cannot change by itself.
  policy.get('login')!.checks.remove('essential_acrs');
  policy.get('login')!.checks.remove('essential_acr');
  const acrRequest = (ctx: KoaContextWithOIDC) => {
    const c = (ctx.oidc.claims as { id_token?: { acr?: { value?: unknown; values?: unknown } } } | undefined)?.id_token?.acr;
    const claimsAcr = [...(Array.isArray(c?.values) ? c.values : []), ...(typeof c?.value === 'string' ? [c.value] : [])].filter((v): v is string => typeof v === 'string');
    const acrValues = ctx.oidc.params?.acr_values;
    return { acrValues: typeof acrValues === 'string' ? acrValues : undefined, claimsAcr };
  };
  const refusal = async (ctx: KoaContextWithOIDC) => refusalOf(await accessFor(deps, ctx), ctx.oidc.session!.acr, acrRequest(ctx));
  policy.add(new Prompt({ name: 'access', requestable: false },
    new Check('account_disabled', 'the account is not enabled', 'access_denied', async (ctx) => (await refusal(ctx)) === 'account_disabled'),
    new Check('no_role', 'the account holds no role in this system', 'access_denied', async (ctx) => (await refusal(ctx)) === 'no_role'),
    new Check('certificate_required', 'this system requires a certificate sign-in', 'unmet_authentication_requirements',
      async (ctx) => (await refusal(ctx)) === 'certificate_required'),
    new Check('acr_required', 'the requested authentication context was not obtained', 'unmet_authentication_requirements',
      async (ctx) => (await refusal(ctx)) === 'acr_required'),
  ), 1);

  policy.get('consent')!.checks.add(new Check('tessera_consent', 'consent to release the claims is required', 'consent_required',
    async (ctx) => !consentCovers((await accessFor(deps, ctx)).consentedClaims, ctx.oidc.params!.scope as string | undefined)), 0);

  return policy;
}
