// Forgotten password, step 1 of 2 (AUTH-5; seed 001 "忘記密碼(1/2)"): the requester's own details.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import { CaptchaField, type CaptchaView } from './captcha-field.tsx';

export interface ForgotView { captcha?: CaptchaView; error?: string; resend?: boolean; name?: string; username?: string; email?: string; minutes: number }

export function ResetSteps({ ctx, current }: { ctx: PageContext; current: 1 | 2 }) {
  const { t } = ctx;
  return (
    <ol class="steps" aria-label={t('forgot.steps')}>
      <li aria-current={current === 1 ? 'step' : undefined}>{t('forgot.step1')}</li>
      <li aria-current={current === 2 ? 'step' : undefined}>{t('forgot.step2')}</li>
    </ol>
  );
}

/** Name + username + e-mail: how a person proves who they are to forgotten-password and 補寄驗證信 (AUTH-5, ACC-7). */
export function IdentityFields({ ctx, v }: { ctx: PageContext; v: { name?: string; username?: string; email?: string } }) {
  const { t } = ctx;
  return (
    <>
      <div>
        <label for="name">{t('forgot.name')}</label>
        <input id="name" name="name" autocomplete="name" required maxLength={100} value={v.name ?? ''} />
      </div>
      <div>
        <label for="username">{t('forgot.username')}</label>
        <input id="username" name="username" autocomplete="username" required maxLength={100} value={v.username ?? ''} aria-describedby="username-hint" />
        <p id="username-hint" class="hint">{t('forgot.usernameHint')}</p>
      </div>
      <div>
        <label for="email">{t('forgot.email')}</label>
        <input id="email" name="email" type="email" autocomplete="email" required maxLength={254} value={v.email ?? ''} />
      </div>
    </>
  );
}

export function ForgotPage({ ctx, v }: { ctx: PageContext; v: ForgotView }) {
  const { t } = ctx;
  const self = v.resend ? '/password/forgot?resend=1' : '/password/forgot';
  return (
    <Layout ctx={ctx} title={t(v.resend ? 'forgot.resendTitle' : 'forgot.title')}>
      <ResetSteps ctx={ctx} current={1} />
      <p>{v.resend ? t('forgot.resendIntro') : t('forgot.intro', { minutes: v.minutes })}</p>
      {v.error && <Notice kind="error">{v.error}</Notice>}
      <form method="post" action="/password/forgot" class="stack">
        <CsrfField ctx={ctx} />
        {v.resend && <input type="hidden" name="resend" value="1" />}
        <IdentityFields ctx={ctx} v={v} />
        <CaptchaField ctx={ctx} captcha={v.captcha} refreshHref={self} />
        <button type="submit">{t('forgot.submit')}</button>
      </form>
      <p><a href="/login">{t('forgot.back')}</a></p>
    </Layout>
  );
}
