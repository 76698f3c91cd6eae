// Set-password link pages (AUTH-4, ACC-7; seed 001 "設定密碼", "補寄驗証信"): the form behind the
// link, one neutral page for any link that does not work, and the resend form.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { Policy } from '../../orgs/policy.ts';
import type { MessageKey } from '../../platform/web/messages.ts';
import { PasswordRules, NewPasswordFields } from '../../auth/views/change-password.tsx';
import { CaptchaField, type CaptchaView } from '../../auth/views/captcha-field.tsx';
import { IdentityFields } from '../../auth/views/forgot.tsx';

export type ActivateView =
  | { kind: 'form'; token: string; name: string; username: string; policy: Policy; hasHistory: boolean; errors?: MessageKey[] }
  | { kind: 'invalid'; hours: number }
  | { kind: 'done' };

export function ActivatePage({ ctx, v }: { ctx: PageContext; v: ActivateView }) {
  const { t } = ctx;
  if (v.kind === 'done') {
    return (
      <Layout ctx={ctx} title={t('activate.title')}>
        <Notice kind="info">{t('activate.done')}</Notice>
        <p><a href="/login">{t('nav.login')}</a></p>
      </Layout>
    );
  }
  if (v.kind === 'invalid') {
    // Expired, used, voided and unknown links all get this page: it tells nobody which one it was.
    return (
      <Layout ctx={ctx} title={t('activate.title')}>
        <Notice kind="error">{t('activate.invalid', { hours: v.hours })}</Notice>
        <p><a href="/activate/resend">{t('activate.getNew')}</a></p>
      </Layout>
    );
  }
  return (
    <Layout ctx={ctx} title={t('activate.title')}>
      <p>{t('activate.greeting', { name: v.name })}</p>
      {v.errors && v.errors.length > 0 && (
        <div class="notice error" role="alert"><ul>{v.errors.map((e) => <li>{t(e)}</li>)}</ul></div>
      )}
      <dl>
        <dt>{t('home.username')}</dt><dd data-testid="activate-username">{v.username}</dd>
        <dt>{t('profile.field.name')}</dt><dd>{v.name}</dd>
      </dl>
      <form method="post" action={`/activate/${v.token}`} class="stack">
        <CsrfField ctx={ctx} />
        {/* For password managers: the account the new password belongs to. */}
        <input type="hidden" name="username" value={v.username} autocomplete="username" />
        <NewPasswordFields ctx={ctx} username={v.username} />
        <button type="submit">{t('activate.submit')}</button>
      </form>
      <PasswordRules ctx={ctx} policy={v.policy} hasHistory={v.hasHistory} />
    </Layout>
  );
}

export interface ResendView { captcha?: CaptchaView; error?: string; info?: string; name?: string; username?: string; email?: string }

export function ResendPage({ ctx, v }: { ctx: PageContext; v: ResendView }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('activate.resendTitle')}>
      <p>{t('activate.resendIntro')}</p>
      {v.error && <Notice kind="error">{v.error}</Notice>}
      {v.info && <Notice kind="info">{v.info}</Notice>}
      <form method="post" action="/activate/resend" class="stack">
        <CsrfField ctx={ctx} />
        <IdentityFields ctx={ctx} v={v} />
        <CaptchaField ctx={ctx} captcha={v.captcha} refreshHref="/activate/resend" />
        <button type="submit">{t('forgot.submit')}</button>
      </form>
      <p><a href="/login">{t('forgot.back')}</a></p>
    </Layout>
  );
}
