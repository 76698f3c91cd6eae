// Step 2 (seed 000 step 4 「新增帳號」): name, official e-mail and mobile; on 驗證 a code goes to
// each at once. An agency with contacts offers the existing-contact sign-in instead (step 3).
import { Layout, CsrfField, Notice, type PageContext } from '../../../platform/web/layout.tsx';
import { CaptchaField, type CaptchaView } from '../../../auth/views/captcha-field.tsx';
import { Field, errorText } from '../../../admin/views/fields.tsx';
import type { IdentityErrors } from '../service.ts';
import { ApplySteps, AgencyBox } from './shared.tsx';

export interface IdentityView {
  org: { oid: string; name: string }; hasContacts: boolean; domains: string[]; minutes: number;
  values: { name?: string; email?: string; mobile?: string }; errors?: IdentityErrors; limited?: boolean; captcha?: CaptchaView;
}

export function IdentityPage({ ctx, v }: { ctx: PageContext; v: IdentityView }) {
  const { t } = ctx;
  const domains = v.domains.join('、');
  const err = (f: keyof IdentityErrors) => (v.errors?.[f] ? errorText(ctx, v.errors[f]!, { domains }) : undefined);
  const self = `/apply/identity?oid=${encodeURIComponent(v.org.oid)}`;
  return (
    <Layout ctx={ctx} title={t('apply.identity.title')}>
      <ApplySteps ctx={ctx} current={2} />
      {v.limited && <Notice kind="error">{t('apply.limited')}</Notice>}
      {v.errors && Object.keys(v.errors).length > 0 && <Notice kind="error">{t(v.errors.captcha ? 'login.captchaWrong' : 'error.badRequest')}</Notice>}
      <p>{t('apply.identity.intro')}</p>
      <AgencyBox ctx={ctx} org={v.org} />
      {v.hasContacts && (
        <p class="notice info">{t('apply.identity.contactHint')} <a href={`/apply/contact?oid=${encodeURIComponent(v.org.oid)}`}>{t('apply.contact.link')}</a></p>
      )}
      <form method="post" action="/apply/identity" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="oid" value={v.org.oid} />
        <Field ctx={ctx} name="name" label={t('profile.field.name')} value={v.values.name} error={err('name')} required autocomplete="name" maxLength={60}
          hint={t('apply.hint.name')} />
        <Field ctx={ctx} name="email" type="email" label={t('profile.field.email')} value={v.values.email} error={err('email')} required autocomplete="email"
          maxLength={254} hint={t('profile.hint.email', { domains })} />
        <Field ctx={ctx} name="mobile" type="tel" label={t('profile.field.mobile')} value={v.values.mobile} error={err('mobile')} required autocomplete="tel"
          maxLength={20} hint={t('profile.hint.mobile')} />
        <CaptchaField ctx={ctx} captcha={v.captcha} refreshHref={self} />
        <p class="hint">{t('apply.identity.sendNote', { minutes: v.minutes })}</p>
        <button type="submit">{t('apply.identity.submit')}</button>
      </form>
      <p><a href="/apply">{t('apply.back')}</a></p>
    </Layout>
  );
}
