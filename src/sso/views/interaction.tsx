// Pages of the single sign-on interaction (SSO-2..4): consent, refusal, the hop back to the
// system, and the provider's logout and error pages. Forms post to Tessera itself (CSP form-action
// 'self'); the way back to a system is a GET (see ContinuePage).
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import type { Refusal } from '../access.ts';

export function ConsentPage({ ctx, uid, system, claims }: { ctx: PageContext; uid: string; system: string; claims: string[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('sso.consent.title')}>
      <p>{t('sso.consent.intro', { system })}</p>
      <h2 id="claims-heading">{t('sso.consent.claims')}</h2>
      <ul aria-labelledby="claims-heading" data-testid="consent-claims">
        {claims.map((c) => <li key={c} data-claim={c}>{t(`sso.claim.${c}` as MessageKey)}</li>)}
      </ul>
      <p class="hint">{t('sso.consent.revokeHint')}</p>
      <form method="post" action={`/sso/interaction/${uid}/consent`}>
        <CsrfField ctx={ctx} />
        <p class="actions">
          <button type="submit" name="decision" value="accept" class="primary">{t('sso.consent.accept')}</button>{' '}
          <button type="submit" name="decision" value="cancel" class="secondary">{t('sso.consent.cancel')}</button>
        </p>
      </form>
    </Layout>
  );
}

/** `stepUp`: where a stronger sign-in (the certificate) can be made, coming back here (SSO-2). */
export function RefusedPage({ ctx, uid, system, refusal, stepUp }: { ctx: PageContext; uid: string; system: string; refusal: Refusal; stepUp?: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('sso.refused.title')}>
      <Notice kind="error">{t(`sso.refused.${refusal}`, { system })}</Notice>
      {stepUp && <p><a href={stepUp} data-testid="step-up">{t('sso.refused.stepUp', { system })}</a></p>}
      <form method="post" action={`/sso/interaction/${uid}/abort`}>
        <CsrfField ctx={ctx} />
        <button type="submit">{t('sso.refused.back')}</button>
      </form>
    </Layout>
  );
}

/**
 * The hop back to the system. Chromium applies form-action to every redirect that follows a form
 * post, so a 303 from a Tessera form to the system's redirect_uri would be blocked; this page is
 * reached by a same-site redirect and leaves by its Refresh header (or the link), a new navigation.
 */
export function ContinuePage({ ctx, system, to }: { ctx: PageContext; system: string; to: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('sso.continue.title')}>
      <p role="status">{t('sso.continue.text', { system })}</p>
      <p><a href={to} data-testid="continue">{t('sso.continue.link', { system })}</a></p>
    </Layout>
  );
}

/** RP-initiated logout: the provider's own form (its xsrf secret) posts to its confirm endpoint. */
export function LogoutPage({ ctx, action, xsrf, system }: { ctx: PageContext; action: string; xsrf: string; system?: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('sso.logout.title')}>
      <p>{system ? t('sso.logout.question', { system }) : t('sso.logout.questionNoSystem')}</p>
      <form method="post" action={action}>
        <input type="hidden" name="xsrf" value={xsrf} />
        <p class="actions">
          <button type="submit" name="logout" value="yes">{t('sso.logout.all')}</button>{' '}
          {system && <button type="submit">{t('sso.logout.onlyThis')}</button>}
        </p>
      </form>
    </Layout>
  );
}

export function LoggedOutPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title={ctx.t('sso.loggedOut.title')}>
      <p role="status">{ctx.t('sso.loggedOut.text')}</p>
      <p><a href="/login">{ctx.t('nav.login')}</a></p>
    </Layout>
  );
}

export function SsoErrorPage({ ctx, message }: { ctx: PageContext; message: string }) {
  return (
    <Layout ctx={ctx} title={ctx.t('sso.error.title')}>
      <Notice kind="error">{message}</Notice>
      <p><a href="/">{ctx.t('error.back')}</a></p>
    </Layout>
  );
}
