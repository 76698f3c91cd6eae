// Existing contacts (seed 000 step 3): pick one's name, type the e-mail and mobile on record,
// verify by e-mail OR mobile; then the code, which signs in.
import { Layout, CsrfField, Notice, type PageContext } from '../../../platform/web/layout.tsx';
import { CaptchaField, type CaptchaView } from '../../../auth/views/captcha-field.tsx';
import { Field, FieldShell, describedBy, errorText } from '../../../admin/views/fields.tsx';
import type { ContactErrors, ContactOption } from '../contact.ts';
import type { CodeProblem } from '../service.ts';
import type { OtpChannel } from '../otp.ts';
import { AgencyBox, codeProblemText } from './shared.tsx';

export interface ContactView {
  org: { oid: string; name: string }; contacts: ContactOption[];
  values: { accountId?: string; email?: string; mobile?: string }; errors?: ContactErrors; limited?: boolean; captcha?: CaptchaView;
}

export function ContactPage({ ctx, v }: { ctx: PageContext; v: ContactView }) {
  const { t } = ctx;
  const err = (f: keyof ContactErrors) => (v.errors?.[f] ? errorText(ctx, v.errors[f]!) : undefined);
  const newHref = `/apply/identity?oid=${encodeURIComponent(v.org.oid)}`;
  const pickHint = t('apply.contact.pickHint');
  return (
    <Layout ctx={ctx} title={t('apply.contact.title')}>
      {v.limited && <Notice kind="error">{t('apply.limited')}</Notice>}
      {v.errors && Object.keys(v.errors).length > 0 && <Notice kind="error">{t(v.errors.captcha ? 'login.captchaWrong' : 'error.badRequest')}</Notice>}
      <p>{t('apply.contact.intro')}</p>
      <AgencyBox ctx={ctx} org={v.org} />
      <p>{t('apply.contact.noName')} <a href={newHref}>{t('apply.contact.newAccount')}</a></p>
      <form method="post" action="/apply/contact" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="oid" value={v.org.oid} />
        <FieldShell ctx={ctx} name="accountId" label={t('profile.field.name')} hint={pickHint} error={err('accountId')} required>
          <select id="accountId" name="accountId" aria-required="true" aria-invalid={err('accountId') ? 'true' : undefined}
            aria-describedby={describedBy('accountId', pickHint, err('accountId'))}>
            <option value="">{t('apply.contact.choose')}</option>
            {v.contacts.map((c) => <option value={String(c.id)} selected={String(c.id) === v.values.accountId}>{c.label}</option>)}
          </select>
        </FieldShell>
        <Field ctx={ctx} name="email" type="email" label={t('profile.field.email')} value={v.values.email} error={err('email')} required autocomplete="email" maxLength={254} />
        <Field ctx={ctx} name="mobile" type="tel" label={t('profile.field.mobile')} value={v.values.mobile} error={err('mobile')} required autocomplete="tel"
          maxLength={20} hint={t('profile.hint.mobile')} />
        <CaptchaField ctx={ctx} captcha={v.captcha} refreshHref={`/apply/contact?oid=${encodeURIComponent(v.org.oid)}`} />
        <p class="hint">{t('apply.contact.either')}</p>
        <div class="actions">
          <button type="submit" name="channel" value="mail">{t('apply.contact.byMail')}</button>
          {' '}
          <button type="submit" name="channel" value="sms">{t('apply.contact.bySms')}</button>
        </div>
      </form>
      <p><a href="/apply">{t('apply.back')}</a></p>
    </Layout>
  );
}

export interface ContactVerifyView { channel: OtpChannel; minutes: number; problem?: CodeProblem; refused?: string; info?: string }

export function ContactVerifyPage({ ctx, v }: { ctx: PageContext; v: ContactVerifyView }) {
  const { t } = ctx;
  const problem = v.problem ? codeProblemText(ctx, v.problem) : undefined;
  const hint = t(v.channel === 'mail' ? 'apply.contact.sentMail' : 'apply.contact.sentSms', { minutes: v.minutes });
  return (
    <Layout ctx={ctx} title={t('apply.contact.verifyTitle')}>
      {v.info && <Notice kind="info">{v.info}</Notice>}
      {v.refused && <Notice kind="error">{v.refused}</Notice>}
      {problem && <Notice kind="error">{problem}</Notice>}
      <form method="post" action="/apply/contact/verify" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <div>
          <label for="code">{t(v.channel === 'mail' ? 'apply.code.mail' : 'apply.code.sms')}</label>
          <span id="code-hint" class="hint">{hint}</span>
          <input id="code" name="code" inputMode="numeric" autocomplete="one-time-code" maxLength={12} size={8} aria-required="true"
            aria-invalid={problem ? 'true' : undefined} aria-describedby="code-hint" />
        </div>
        <button type="submit">{t('apply.contact.signIn')}</button>
      </form>
      <form method="post" action="/apply/contact/resend" class="inline-form">
        <CsrfField ctx={ctx} />
        <button type="submit" class="secondary">{t(v.channel === 'mail' ? 'apply.resend.mail' : 'apply.resend.sms')}</button>
      </form>
      <p><a href="/apply">{t('apply.back')}</a></p>
    </Layout>
  );
}
