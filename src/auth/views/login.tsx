import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import { ShowPassword } from './change-password.tsx';

export interface LoginView { captcha?: { id: string; imageDataUri: string }; error?: string; info?: string; username?: string; next?: string }

export function LoginPage({ ctx, v }: { ctx: PageContext; v: LoginView }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('login.title')}>
      {v.error && <Notice kind="error">{v.error}</Notice>}
      {v.info && <Notice kind="info">{v.info}</Notice>}
      <form method="post" action="/login" class="stack">
        <CsrfField ctx={ctx} />
        {v.next && <input type="hidden" name="next" value={v.next} />}
        <div>
          <label for="username">{t('login.username')}</label>
          <input id="username" name="username" autocomplete="username" required maxLength={100} value={v.username ?? ''} />
        </div>
        <div>
          <label for="password">{t('login.password')}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required maxLength={256} />
          <ShowPassword ctx={ctx} fields={['password']} />
        </div>
        {v.captcha && (
          <div>
            <label for="captcha">{t('login.captcha')}</label>
            <div class="captcha">
              <img src={v.captcha.imageDataUri} alt={t('login.captchaImage')} width={180} height={52} />
              <a href={`/login${v.next ? `?next=${encodeURIComponent(v.next)}` : ''}`}>{t('login.captchaRefresh')}</a>
            </div>
            <input type="hidden" name="captchaId" value={v.captcha.id} />
            <input id="captcha" name="captcha" inputMode="numeric" autocomplete="off" required maxLength={6} pattern="[0-9]{6}" />
          </div>
        )}
        <button type="submit">{t('login.submit')}</button>
      </form>
      <p><a href="/password/forgot">{t('login.forgot')}</a></p>
      <p><a href="/activate/resend">{t('activate.loginLink')}</a></p>
      <p><a href="/tenant/holder">{t('tenant.holderLoginLink')}</a></p>
      <p><a href="/apply">{t('apply.loginLink')}</a></p>
    </Layout>
  );
}
