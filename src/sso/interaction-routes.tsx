// The provider's interactions (SSO-2..4), as Tessera pages:
// - login: the Tessera session is the sign-in. Without one the user goes through /login (captcha,
//   lock-out, policy, forced password change live there) and comes back here.
// - access: the refusal page (no role, certificate or stronger sign-in required, account not
//   enabled), then the error to the system; where a stronger sign-in would do, the page offers the
//   step-up (certificate sign-in, then back here, where the new sign-in is handed to the provider).
// - consent: the consent page; accepting stores sso_consents and the provider's grant.
// Each ends on the continue page, which sends the browser back into the provider by a GET.
// Every route declares its input (OPS-4, issue 10); the audit and consent writes are the services'.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { typed, Text, Closed, Field, FormBody, NoQuery, PAGE } from '../platform/http/contract.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { endSession } from '../auth/session-store.ts';
import { authContextOf } from './auth-context.ts';
import { recordRefusal, type Refusal } from './access.ts';
import { claimsForScopes } from './claims.ts';
import { giveConsent } from './consents.ts';
import type { ProviderHost } from './provider.ts';
import { systemName } from './systems/name.ts';
import { certificateStepUpPossible } from '../auth/cert/service.ts';
import { ConsentPage, ContinuePage, RefusedPage, SsoErrorPage } from './views/interaction.tsx';

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;
type Params = { uid: string };
/** The provider's interaction id (its cookie names the same one). */
const params = Closed({ uid: Text(100) });

const REFUSALS: Refusal[] = ['account_disabled', 'no_role', 'certificate_required', 'acr_required'];
const STEP_UP: ReadonlySet<Refusal> = new Set(['certificate_required', 'acr_required']);
const epochOf = (d: Date) => Math.floor(d.getTime() / 1000);

export function interactionRoutes(app: FastifyInstance, deps: Deps, host: ProviderHost): void {
  const pages = typed(app);
  /** The interaction this browser is in (its cookie), or the "expired" page. */
  async function load(req: FastifyRequest<{ Params: Params }>, reply: FastifyReply): Promise<{ provider: Provider; d: Details } | null> {
    const provider = await host.get();
    try {
      const d = await provider.interactionDetails(req.raw, reply.raw);
      if (d.uid === req.params.uid) return { provider, d };
    } catch { /* no cookie, expired, finished */ }
    await page(req, reply, (ctx) => <SsoErrorPage ctx={ctx} message={ctx.t('sso.error.expired')} />, 400);
    return null;
  }

  const nameOf = async (req: FastifyRequest, d: Details) =>
    (await systemName(deps.db, String(d.params.client_id), req.ctx.lang)) ?? req.ctx.t('sso.unknownSystem');
  const here = (uid: string) => `/sso/interaction/${uid}`;
  const toLogin = (reply: FastifyReply, uid: string) => reply.redirect(`/login?next=${encodeURIComponent(here(uid))}`, 303);

  const continuePage = async (req: FastifyRequest, reply: FastifyReply, d: Details) => {
    reply.header('refresh', `0;url=${d.returnTo}`);
    const system = await nameOf(req, d);
    return page(req, reply, (ctx) => <ContinuePage ctx={ctx} system={system} to={d.returnTo} />);
  };

  pages.get('/sso/interaction/:uid', { schema: { params, querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const x = await load(req, reply);
    if (!x) return reply;
    const { provider, d } = x;
    const { uid } = req.params;
    const s = req.ctx.session;
    if (d.prompt.name === 'login') {
      if (!s) return toLogin(reply, uid);
      // The system asked for a fresh sign-in (prompt=login, or max_age older than this session):
      // end the Tessera session and sign in again; the marker lets the new session through.
      const maxAge = d.prompt.details.max_age as number | undefined;
      const fresh = d.prompt.reasons.includes('login_prompt')
        || (maxAge !== undefined && deps.clock.now().getTime() - s.createdAt.getTime() > maxAge * 1000);
      const after = (d.result as { tesseraReauthAfter?: number } | undefined)?.tesseraReauthAfter;
      if (fresh && !(after !== undefined && s.createdAt.getTime() >= after)) {
        await provider.interactionResult(req.raw, reply.raw, { tesseraReauthAfter: deps.clock.now().getTime() }, { mergeWithLastSubmission: false });
        await endSession(deps.db, s.idHash);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return toLogin(reply, uid);
      }
      const { acr, amr } = authContextOf(s.authMethod);
      await provider.interactionResult(req.raw, reply.raw, {
        login: { accountId: String(s.accountId), acr, amr, ts: epochOf(s.createdAt), remember: false },
      }, { mergeWithLastSubmission: false });
      return continuePage(req, reply, d);
    }
    if (d.prompt.name === 'access') {
      const refusal = REFUSALS.find((r) => d.prompt.reasons.includes(r)) ?? 'no_role';
      // Back from a step-up (SSO-2): the browser signed in anew (certificate) since the provider
      // asked; hand that sign-in to the provider, which judges the request again.
      if (s && !s.mustChangePassword && STEP_UP.has(refusal)
        && (String(s.accountId) !== d.session?.accountId || authContextOf(s.authMethod).acr !== d.session?.acr)) {
        const { acr, amr } = authContextOf(s.authMethod);
        await provider.interactionResult(req.raw, reply.raw, {
          login: { accountId: String(s.accountId), acr, amr, ts: epochOf(s.createdAt), remember: false },
        }, { mergeWithLastSubmission: false });
        return continuePage(req, reply, d);
      }
      await recordRefusal(deps, {
        accountId: Number(d.session?.accountId) || null, systemCode: String(d.params.client_id), orgOid: s?.unitOid ?? null,
        ip: clientIp(req), refusal, acr: d.session?.acr,
      });
      const system = await nameOf(req, d);
      const stepUp = STEP_UP.has(refusal) && s && await certificateStepUpPossible(deps, s.unitOid)
        ? `/login/certificate?next=${encodeURIComponent(here(uid))}` : undefined;
      return page(req, reply, (ctx) => <RefusedPage ctx={ctx} uid={uid} system={system} refusal={refusal} stepUp={stepUp} />, 403);
    }
    if (d.prompt.name === 'consent') {
      if (!s || String(s.accountId) !== d.session?.accountId) return toLogin(reply, uid);
      const system = await nameOf(req, d);
      const claims = claimsForScopes(String(d.params.scope ?? '').split(' '));
      return page(req, reply, (ctx) => <ConsentPage ctx={ctx} uid={uid} system={system} claims={claims} />);
    }
    return page(req, reply, (ctx) => <SsoErrorPage ctx={ctx} message={ctx.t('sso.error.expired')} />, 400);
  });

  pages.post('/sso/interaction/:uid/consent', { schema: { params, body: FormBody({ decision: Field(20) }), response: PAGE } }, async (req, reply) => {
    const x = await load(req, reply);
    if (!x) return reply;
    const { provider, d } = x;
    const s = req.ctx.session;
    if (d.prompt.name !== 'consent' || !s || String(s.accountId) !== d.session?.accountId) return reply.redirect(here(req.params.uid), 303);
    if (req.body.decision !== 'accept') {
      await provider.interactionResult(req.raw, reply.raw, { error: 'access_denied', error_description: 'the user did not consent' }, { mergeWithLastSubmission: false });
      return reply.redirect(`${here(req.params.uid)}/continue`, 303);
    }
    const clientId = String(d.params.client_id);
    const scope = String(d.params.scope ?? '');
    const grant = (d.grantId ? await provider.Grant.find(d.grantId) : undefined)
      ?? new provider.Grant({ accountId: d.session.accountId, clientId });
    grant.addOIDCScope(scope);
    const missingClaims = d.prompt.details.missingOIDCClaims as string[] | undefined;
    if (missingClaims?.length) grant.addOIDCClaims(missingClaims);
    const grantId = await grant.save();
    await giveConsent(deps, {
      accountId: s.accountId, systemCode: clientId, claims: claimsForScopes(scope.split(' ')), orgOid: s.unitOid, ip: clientIp(req),
    });
    await provider.interactionResult(req.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return reply.redirect(`${here(req.params.uid)}/continue`, 303);
  });

  pages.post('/sso/interaction/:uid/abort', { schema: { params, body: FormBody({}), response: PAGE } }, async (req, reply) => {
    const x = await load(req, reply);
    if (!x) return reply;
    const { provider, d } = x;
    if (d.prompt.name !== 'access') return reply.redirect(here(req.params.uid), 303);
    const certificate = d.prompt.reasons.includes('certificate_required') || d.prompt.reasons.includes('acr_required');
    await provider.interactionResult(req.raw, reply.raw, certificate
      ? { error: 'unmet_authentication_requirements', error_description: 'this system requires a certificate sign-in' }
      : { error: 'access_denied', error_description: 'the account may not enter this system' }, { mergeWithLastSubmission: false });
    return reply.redirect(`${here(req.params.uid)}/continue`, 303);
  });

  pages.get('/sso/interaction/:uid/continue', { schema: { params, querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const x = await load(req, reply);
    if (!x) return reply;
    if (!x.d.result) return reply.redirect(here(req.params.uid), 303);
    return continuePage(req, reply, x.d);
  });
}
