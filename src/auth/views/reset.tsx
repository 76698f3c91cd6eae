// Forgotten password, step 2 of 2 (AUTH-5; seed 001 "忘記密碼(2/2)"): code from the mail, new
// password with the strength meter, captcha; "resend code" goes back to step 1.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { Policy } from '../../orgs/policy.ts';
import { PasswordRules, NewPasswordFields } from './change-password.tsx';
import { CaptchaField, type CaptchaView } from './captcha-field.tsx';
import { ResetSteps } from './forgot.tsx';

export interface ResetView { captcha?: CaptchaView; errors?: string[]; info?: string; username?: string; code?: string; /** The account's policy, once a right code identified it; else a neutral note. */
  policy?: Policy; done?: boolean }

export function ResetPage({ ctx, v }: { ctx: PageContext; v: ResetView }) {
  const { t } = ctx;
  if (v.done) {
    return (
      <Layout ctx={ctx} title={t('reset.title')}>
        <Notice kind="info">{t('reset.done')}</Notice>
        <p><a href="/login">{t('nav.login')}</a></p>
      </Layout>
    );
  }
  return (
    <Layout ctx={ctx} title={t('reset.title')}>
      <ResetSteps ctx={ctx} current={2} />
      {v.info && <Notice kind="info">{v.info}</Notice>}
      {v.errors && v.errors.length > 0 && (
        <div class="notice error" role="alert"><ul>{v.errors.map((e) => <li>{e}</li>)}</ul></div>
      )}
      <form method="post" action="/password/reset" class="stack">
        <CsrfField ctx={ctx} />
        <div>
          <label for="username">{t('forgot.username')}</label>
          <input id="username" name="username" autocomplete="username" required maxLength={100} value={v.username ?? ''} />
        </div>
        <div>
          <label for="code">{t('reset.code')}</label>
          <input id="code" name="code" inputMode="numeric" autocomplete="one-time-code" required maxLength={8} pattern="[0-9]{8}"
            value={v.code ?? ''} aria-describedby="code-hint" />
          <p id="code-hint" class="hint">{t('reset.codeHint')} {t('reset.notReceived')} <a href="/password/forgot?resend=1">{t('reset.resend')}</a></p>
        </div>
        <NewPasswordFields ctx={ctx} username={v.username ?? ''} />
        <CaptchaField ctx={ctx} captcha={v.captcha} refreshHref="/password/reset" />
        <button type="submit">{t('reset.submit')}</button>
      </form>
      {v.policy ? <PasswordRules ctx={ctx} policy={v.policy} hasHistory={true} />
        : <p class="hint" id="rules-h" data-testid="rules-neutral">{t('reset.policyNote')}</p>}
    </Layout>
  );
}
