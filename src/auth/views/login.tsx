// 會員登入 (AUTH-1; seed 001's login page): guest announcements above the form, the school-code
// hint under the username, and the links to the self-service pages.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import { ShowPassword } from './change-password.tsx';
import type { AnnouncementPage } from '../../portal/announcements.ts';
import { AnnouncementTable } from '../../portal/views/announcement-table.tsx';
import { PasskeyLogin } from './passkeys.tsx';
import { CertificateLoginLink } from '../cert/views.tsx';

export interface LoginView {
  captcha?: { id: string; imageDataUri: string }; error?: string; info?: string; username?: string; next?: string;
  /** The newest guest announcements (SSO-5: visible before login). */
  announcements?: AnnouncementPage;
}

export function LoginPage({ ctx, v }: { ctx: PageContext; v: LoginView }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('login.title')}>
      {v.error && <Notice kind="error">{v.error}</Notice>}
      {v.info && <Notice kind="info">{v.info}</Notice>}
      {v.announcements && v.announcements.items.length > 0 && (
        <section aria-labelledby="login-announcements">
          <h2 id="login-announcements">{t('portal.announcements')}</h2>
          <AnnouncementTable ctx={ctx} r={v.announcements} href={(a) => `/announcements/${a.id}`} />
          {v.announcements.total > v.announcements.items.length && <p><a href="/announcements">{t('portal.announcements.more')}</a></p>}
        </section>
      )}
      <form method="post" action="/login" class="stack">
        <CsrfField ctx={ctx} />
        {v.next && <input type="hidden" name="next" value={v.next} />}
        <div>
          <label for="username">{t('login.username')}</label>
          <input id="username" name="username" autocomplete="username" required maxLength={100} value={v.username ?? ''} aria-describedby="username-hint" />
          <p id="username-hint" class="hint">{t('login.usernameHint')}</p>
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
      <CertificateLoginLink ctx={ctx} next={v.next} />
      <PasskeyLogin ctx={ctx} next={v.next} />
      <p><a href="/password/forgot">{t('login.forgot')}</a></p>
      <p><a href="/activate/resend">{t('activate.loginLink')}</a></p>
      <p><a href="/tenant/holder">{t('tenant.holderLoginLink')}</a></p>
      <p><a href="/apply">{t('apply.loginLink')}</a></p>
    </Layout>
  );
}
