// Public look-up of a school's main-account holder (ACC-9; seed 001 "查詢學校主帳號負責人"):
// school code + captcha; the answer shows name, department, title and office phone, nothing else.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import { CaptchaField, type CaptchaView } from '../../auth/views/captcha-field.tsx';
import type { HolderCard, Tenant } from '../tenant-accounts.ts';

export interface HolderView {
  captcha?: CaptchaView; code?: string; error?: string; none?: boolean;
  result?: { tenant: Tenant; holders: HolderCard[] };
}

const phone = (h: HolderCard) => [h.officePhone, h.officeExt ? `#${h.officeExt}` : null].filter(Boolean).join(' ') || '—';

export function HolderPage({ ctx, v }: { ctx: PageContext; v: HolderView }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('tenant.holderTitle')}>
      <p>{t('tenant.holderIntro')}</p>
      {v.error && <Notice kind="error">{v.error}</Notice>}
      {v.none && <Notice kind="info">{t('tenant.holderNone')}</Notice>}
      <form method="post" action="/tenant/holder" class="stack">
        <CsrfField ctx={ctx} />
        <div>
          <label for="code">{t('tenant.code')}</label>
          <input id="code" name="code" required maxLength={20} pattern="[A-Za-z0-9]{1,20}" inputMode="numeric" value={v.code ?? ''} />
        </div>
        <CaptchaField ctx={ctx} captcha={v.captcha} refreshHref="/tenant/holder" />
        <button type="submit">{t('tenant.holderSubmit')}</button>
      </form>
      {v.result && (
        <table data-testid="holders">
          <caption>{t('tenant.holderResult', { school: v.result.tenant.name, code: v.result.tenant.code })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('profile.field.name')}</th><th scope="col">{t('profile.field.department')}</th>
              <th scope="col">{t('profile.field.title')}</th><th scope="col">{t('profile.field.officePhone')}</th>
            </tr>
          </thead>
          <tbody>
            {v.result.holders.map((h) => (
              <tr><td>{h.name}</td><td>{h.department ?? '—'}</td><td>{h.title ?? '—'}</td><td>{phone(h)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <p><a href="/login">{t('forgot.back')}</a></p>
    </Layout>
  );
}
