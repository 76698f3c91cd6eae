// Step 4 (seed 000 step 7 「請填寫申請資料」): username with the live availability check, password
// with the strength meter and the unit's rules, and the rest of the profile. Name, e-mail and
// mobile were verified and are shown, not asked again.
import { Layout, CsrfField, Notice, type PageContext } from '../../../platform/web/layout.tsx';
import type { Policy } from '../../../orgs/policy.ts';
import type { MessageKey } from '../../../platform/web/messages.ts';
import { NewPasswordFields, PasswordRules } from '../../../auth/views/change-password.tsx';
import { Field, errorText } from '../../../admin/views/fields.tsx';
import type { ProfileErrors, ProfileField } from '../service.ts';
import { ApplySteps, AgencyBox, CancelForm } from './shared.tsx';

export interface AccountView {
  org: { oid: string; name: string }; name: string; email: string; mobile: string;
  values: Partial<Record<ProfileField | 'username', string>>; errors?: ProfileErrors; passwordErrors?: MessageKey[];
  policy: Policy; info?: string;
}

export function AccountPage({ ctx, v }: { ctx: PageContext; v: AccountView }) {
  const { t } = ctx;
  const errors = v.errors ?? {};
  const domains = v.policy['email.allowedDomains'].join('、');
  const err = (f: keyof ProfileErrors) => (errors[f] ? errorText(ctx, errors[f]!, { domains }) : undefined);
  const f = (name: ProfileField, label: MessageKey, extra: Partial<Parameters<typeof Field>[0]> = {}) =>
    <Field ctx={ctx} name={name} label={t(label)} value={v.values[name]} error={err(name)} {...extra} />;
  const failed = Object.keys(errors).length > 0 || (v.passwordErrors?.length ?? 0) > 0;
  const scheme = v.policy['username.scheme'];
  return (
    <Layout ctx={ctx} title={t('apply.account.title')}>
      <ApplySteps ctx={ctx} current={4} />
      {v.info && <Notice kind="info">{v.info}</Notice>}
      {failed && (
        <div class="notice error" role="alert">
          <p>{t('error.badRequest')}</p>
          {v.passwordErrors && v.passwordErrors.length > 0 && <ul>{v.passwordErrors.map((e) => <li>{t(e)}</li>)}</ul>}
        </div>
      )}
      <AgencyBox ctx={ctx} org={v.org} />
      <section aria-labelledby="verified-h">
        <h2 id="verified-h">{t('apply.account.verified')}</h2>
        <dl>
          <dt>{t('profile.field.name')}</dt><dd data-testid="applicant-name">{v.name}</dd>
          <dt>{t('profile.field.email')}</dt><dd>{v.email}</dd>
          <dt>{t('profile.field.mobile')}</dt><dd>{v.mobile}</dd>
        </dl>
      </section>
      <p class="hint">{t('admin.required')}</p>
      <form method="post" action="/apply/account" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        {/* app.js reads the unit here for the live username check. */}
        <input type="hidden" id="unitOid" value={v.org.oid} />
        <Field ctx={ctx} name="username" label={t('login.username')} value={v.values.username} error={err('username')} required maxLength={100}
          hint={t(`apply.usernameHint.${scheme}`)} autocomplete="username" />
        <p id="username-check" class="hint" aria-live="polite" data-username-check="/apply/username-check"></p>
        <NewPasswordFields ctx={ctx} username={v.values.username ?? ''} />
        <PasswordRules ctx={ctx} policy={v.policy} hasHistory={false} />
        {f('nationalId', 'profile.field.nationalId', { required: v.policy['nationalId.required'], maxLength: 20, hint: t('apply.hint.nationalId') })}
        {f('title', 'profile.field.title', { required: true, autocomplete: 'organization-title', hint: t('apply.hint.title') })}
        {f('department', 'profile.field.department', { hint: t('apply.hint.department') })}
        {f('address', 'profile.field.address', { required: true, hint: t('apply.hint.address') })}
        {f('officePhone', 'profile.field.officePhone', { required: true, type: 'tel', hint: t('apply.hint.officePhone') })}
        {f('officeExt', 'profile.field.officeExt', { inputMode: 'numeric', maxLength: 8 })}
        {f('fax', 'profile.field.fax', { type: 'tel' })}
        <button type="submit">{t('apply.next')}</button>
      </form>
      <CancelForm ctx={ctx} />
    </Layout>
  );
}
